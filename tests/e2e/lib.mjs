// Helpers for the end-to-end suite: HTTP with a cookie jar (like a
// browser), idpctl and psql runners, PKCE, JWT decoding, form scraping.
// The stack (tests/lib/stack.sh) exports IDP_URL, IDP_CTL, PG_DIR, ...
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { request as httpRequest } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';

export const env = process.env;
export const ISSUER = env.IDP_URL;

export class CookieJar {
  constructor() { this.cookies = new Map(); }
  store(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, { value, attrs: attrs.map((a) => a.trim()) });
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v.value}`).join('; ');
  }
  get(name) { return this.cookies.get(name)?.value; }
  attrs(name) { return this.cookies.get(name)?.attrs ?? []; }
}

// One HTTP exchange, never following redirects, on a connection of its
// own: a pooled keep-alive socket could have been closed by idp (after
// request_head_timeout) while this process was blocked in spawnSync, and
// sending the request again would hide a connection idp really dropped.
export async function http(method, url, opts = {}) {
  const headers = { connection: 'close', ...(opts.headers ?? {}) };
  let body = opts.body;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  if (opts.jar && opts.jar.cookies.size) headers.cookie = opts.jar.header();
  const full = url.startsWith('http') ? url : ISSUER + url;
  const res = await fetch(full, { method, headers, body, redirect: 'manual' });
  if (opts.jar) opts.jar.store(res);
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json,
    location: res.headers.get('location') };
}

// A browser following a link: like http(), but over node:http with the
// headers of a page navigation. mod_auth_openidc answers 401 instead of a
// redirect to a request that is not one, and fetch() always says
// Sec-Fetch-Mode: cors.
export function navigate(method, url, { jar, form } = {}) {
  const full = new URL(url, env.IDP_URL);
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const headers = { accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document',
    ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    ...(jar?.cookies.size ? { cookie: jar.header() } : {}) };
  return new Promise((resolve, reject) => {
    const req = httpRequest(full, { method, headers }, (res) => {
      const h = new Headers();
      for (let k = 0; k < res.rawHeaders.length; k += 2) h.append(res.rawHeaders[k], res.rawHeaders[k + 1]);
      jar?.store({ headers: h });
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text, location: h.get('location') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function idpctl(args, { input, env: extra } = {}) {
  const r = spawnSync(env.IDP_CTL, args, {
    input, encoding: 'utf8', env: { ...process.env, ...(extra ?? {}) },
  });
  let json;
  try { json = JSON.parse(r.stdout); } catch { json = undefined; }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

export function psql(sql) {
  const r = spawnSync('psql', ['-X', '-q', '-At', '-h', `${env.PG_DIR}/run`,
    '-p', env.PG_PORT, '-U', 'idp', '-d', 'idp', '-c', sql],
  { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout.trim();
}

export function pgctl(action) {
  const r = spawnSync('bash', ['-c',
    `. "$ROOT/deploy/lib/pg.sh"; pg_${action} "$PG_DIR"`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_${action}: ${r.stderr}`);
}

export const b64url = (buf) => Buffer.from(buf).toString('base64url');

export function pkce() {
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  return { verifier, challenge };
}

export function decodeJwt(t) {
  const [h, p] = t.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()),
  };
}

// Hidden and named inputs of the first form in a page.
export function formInputs(html) {
  const out = {};
  for (const m of html.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    const value = /\bvalue="([^"]*)"/.exec(m[0])?.[1] ?? '';
    if (name) out[name] = value.replace(/&amp;/g, '&').replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  }
  return out;
}

export function formAction(html) {
  return /<form\b[^>]*\baction="([^"]*)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let seq = 0;
export function unique(prefix) {
  seq += 1;
  return `${prefix}${process.pid}x${seq}`;
}

export async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

// A second idp on the stack's database and keys, with settings of its own
// (IDP_* values in extra). stop() checks, like the stack does, that it
// exits 0 on SIGTERM and that the sanitizers stayed quiet. host names the
// issuer's host (it listens on 127.0.0.1 either way): "localhost" for
// passkeys, whose relying party id cannot be an IP address.
export async function startIdp(extra, { host = '127.0.0.1' } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(env.IDP_BIN, [], {
    env: { ...process.env, IDP_LISTEN: `127.0.0.1:${port}`,
      IDP_ISSUER: `http://${host}:${port}`, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((r) => child.on('exit', (code, sig) => r({ code, sig })));
  let up = false;
  for (let i = 0; i < 100 && !up && child.exitCode === null; i++) {
    up = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (!up) await sleep(100);
  }
  if (!up) {
    child.kill('SIGKILL');
    throw new Error(`idp did not start:\n${log}`);
  }
  return {
    url: `http://${host}:${port}`,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      const { code, sig } = await exited;
      if (code !== 0) throw new Error(`idp exited with ${code ?? sig}:\n${log}`);
      if (/ERROR: (Address|Leak)Sanitizer|runtime error:/.test(log)) {
        throw new Error(`sanitizer report:\n${log}`);
      }
    },
  };
}
