// Helpers for the fault suite: an idp of the test's own (started, killed
// and restarted by the test, with the settings it needs) on the stack's
// PostgreSQL, requests on fresh connections (so no pooled connection ties
// a probe to a busy worker), load loops, and PostgreSQL frozen or
// stopped. tests/lib/stack.sh exports IDP_BIN, PG_DIR, STACK_DIR, ...
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { openSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { CookieJar, env, formInputs, pkce, sleep } from '../e2e/lib.mjs';
import { exchange, makeClient } from '../e2e/flow.mjs';
import { TEST_ORG, sharedApi } from '../e2e/rp.mjs';

export { sleep };

const SANITIZER = /ERROR: (Address|Leak)Sanitizer|runtime error:/;

export async function freePort() {
  const srv = net.createServer();
  await new Promise((ok) => srv.listen(0, '127.0.0.1', ok));
  const { port } = srv.address();
  await new Promise((ok) => srv.close(ok));
  return port;
}

// One HTTP exchange on a connection of its own. Never rejects: a refused
// or reset connection is status 0 with the error's code in `error`.
export function request(method, url, opts = {}) {
  const headers = { connection: 'close', ...(opts.headers ?? {}) };
  let body = opts.body;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (opts.jar && opts.jar.cookies.size) headers.cookie = opts.jar.header();
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (e) => resolve({ status: 0, error: e.code, t0, t1: Date.now() }));
      res.on('end', () => {
        const h = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        }
        const text = Buffer.concat(chunks).toString();
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        const r = { status: res.statusCode, headers: h, text, json, t0, t1: Date.now(),
          location: h.get('location') };
        if (opts.jar) opts.jar.store(r);
        resolve(r);
      });
    });
    // Only so that a hung server cannot hang the suite: far longer than
    // anything a test waits for.
    req.setTimeout(opts.timeout ?? 60000, () => req.destroy(Object.assign(
      new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => resolve({ status: 0, error: e.code, t0, t1: Date.now() }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// An idp process of the test's own; settings on top of the stack's.
export class Idp {
  constructor(settings = {}) {
    this.settings = settings;
    this.log = `${env.STACK_DIR}/idp-fault-${process.pid}-${Date.now()}.log`;
  }

  async start() {
    this.port ??= await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    const fd = openSync(this.log, 'a');
    this.proc = spawn(env.IDP_BIN, [], {
      env: { ...process.env, IDP_LISTEN: `127.0.0.1:${this.port}`, IDP_ISSUER: this.url,
        ...this.settings },
      stdio: ['ignore', fd, fd],
    });
    this.exited = new Promise((ok) => this.proc.on('exit', (code, sig) => ok({ code, sig })));
    for (let i = 0; i < 200; i++) {
      const r = await request('GET', `${this.url}/healthz`, { timeout: 2000 });
      if (r.status === 200) return this;
      if (this.proc.exitCode !== null) break;
      await sleep(100);
    }
    throw new Error(`idp did not start:\n${this.logText().slice(-2000)}`);
  }

  alive() { return this.proc.exitCode === null && this.proc.signalCode === null; }
  logText() { return readFileSync(this.log, 'utf8'); }

  async kill9() {
    this.proc.kill('SIGKILL');
    await this.exited;
  }

  // SIGTERM: idp drains and must exit 0 with the sanitizers quiet.
  async stop() {
    if (!this.alive()) return;
    this.proc.kill('SIGTERM');
    const { code, sig } = await this.exited;
    const log = this.logText();
    assert.equal(code, 0, `idp exited with ${code ?? sig} after SIGTERM:\n${log.slice(-2000)}`);
    assert.doesNotMatch(log, SANITIZER, 'a sanitizer reported in the idp log');
  }
}

// pg_stop or pg_start (deploy/lib/pg.sh) of the stack's PostgreSQL,
// without blocking the event loop: the load goes on meanwhile.
export function pg(action) {
  const p = spawn('bash', ['-c', `. "$ROOT/deploy/lib/pg.sh"; pg_${action} "$PG_DIR"`],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => { err += d; });
  return new Promise((ok, fail) => p.on('exit', (code) => (code === 0 ? ok()
    : fail(new Error(`pg_${action}: ${err}`)))));
}

// The processes of the stack's PostgreSQL: the postmaster and its children.
function pgPids() {
  const pm = Number(readFileSync(`${env.PG_DIR}/data/postmaster.pid`, 'utf8').split('\n')[0]);
  const kids = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat;
    try { stat = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pm) kids.push(Number(d));
  }
  return [pm, ...kids];
}

// SIGSTOP every PostgreSQL process (the postmaster first, so it forks no
// new backend); returns a function that sends SIGCONT to them all. They
// are thawed on exit too, whatever failed, so the stack can stop.
export function freezePostgres() {
  const pm = pgPids()[0];
  process.kill(pm, 'SIGSTOP');
  const all = pgPids();
  for (const p of all.slice(1)) process.kill(p, 'SIGSTOP');
  const thaw = () => {
    for (const p of all) {
      try { process.kill(p, 'SIGCONT'); } catch { /* gone */ }
    }
  };
  process.once('exit', thaw);
  return thaw;
}

// Loops that send req() until stop() (and then wait for the ones in
// flight), pausing between requests so that quick 503s do not take every
// core; every exchange is kept for the assertions.
export function loops(n, req, pauseMs = 10) {
  const results = [];
  let running = true;
  const run = async () => {
    while (running) {
      results.push(await req());
      if (pauseMs) await sleep(pauseMs);
    }
  };
  const all = Array.from({ length: n }, run);
  return {
    results,
    async stop() { running = false; await Promise.all(all); return results; },
  };
}

export const basic = (c) => `Basic ${Buffer.from(
  `${encodeURIComponent(c.id)}:${encodeURIComponent(c.secret)}`).toString('base64')}`;

export function clientCredentials(idp, client) {
  return request('POST', `${idp.url}/token`, {
    headers: { authorization: basic(client) },
    form: { grant_type: 'client_credentials' },
  });
}

// A 503 the way the provider promises it: Retry-After and an OAuth error
// (JSON routes) or an error page (HTML routes).
export function assertUnavailable(r, what) {
  assert.equal(r.status, 503, `${what}: expected 503, got ${r.status} ${r.error ?? ''} ${r.text?.slice(0, 200) ?? ''}`);
  assert.match(r.headers.get('retry-after') ?? '', /^\d+$/, `${what}: 503 without Retry-After`);
  if ((r.headers.get('content-type') ?? '').startsWith('application/json')) {
    assert.equal(r.json?.error, 'temporarily_unavailable', `${what}: ${r.text}`);
  }
}

// An authorization request of client's, from the browser of jar.
export function authorize(idp, client, jar, extra = {}) {
  const { challenge } = pkce();
  const q = new URLSearchParams({ response_type: 'code', client_id: client.id,
    redirect_uri: client.redirect, scope: 'openid', state: 's', nonce: 'n',
    code_challenge: challenge, code_challenge_method: 'S256', ...extra });
  return request('GET', `${idp.url}/authorize?${q}`, { jar });
}

// An idp of the test's own (4 workers, plus settings) and a
// client_credentials service whose token requests make the load.
export async function serviceStack(t, settings = {}) {
  const idp = await new Idp({ IDP_WORKER_THREADS: '4', ...settings }).start();
  t.after(() => idp.stop());
  sharedApi();
  const svc = makeClient({ grants: ['client_credentials'], redirects: [], scope: 'uji.read',
    org: TEST_ORG });
  assert.equal((await clientCredentials(idp, svc)).status, 200);
  return { idp, svc, pid: idp.proc.pid };
}

// Every answer of a load loop: served, or a 503 as promised.
export function assertServedOrUnavailable(results, what) {
  for (const r of results) {
    assert.ok(r.status === 200 || r.status === 503, `${what}: ${r.status} ${r.error ?? ''} ${r.text ?? ''}`);
    if (r.status === 503) assertUnavailable(r, what);
  }
}

// Served again within 2 s of since, and from then on every request.
export function assertRecovered(results, since, what) {
  const after = results.filter((r) => r.t0 >= since);
  const firstOk = after.find((r) => r.status === 200);
  assert.ok(firstOk && firstOk.t1 - since <= 2000, `${what} served again within 2 s`);
  for (const r of after.filter((x) => x.t0 >= since + 2000)) {
    assert.equal(r.status, 200, `${what} afterwards: ${r.status} ${r.text ?? ''}`);
  }
}

// The login page of an authorization request, for a browser of its own.
export async function loginPage(idp, client, jar, extra = {}) {
  const r = await authorize(idp, client, jar, extra);
  assert.equal(r.status, 200, `login page: ${r.status} ${r.text?.slice(0, 200)}`);
  return r;
}

export function submitLogin(idp, jar, page, user) {
  const f = formInputs(page.text);
  assert.ok(f.login && f.csrf_token, 'the page has a login form');
  return request('POST', `${idp.url}/login`, {
    jar, form: { ...f, username: user.username, password: user.password },
  });
}

// A person signed in at idp to client c, the code exchanged: the
// browser's jar and the ID token (a hint for /logout).
export async function signInAt(idp, c, user) {
  const jar = new CookieJar();
  const { verifier, challenge } = pkce();
  const page = await loginPage(idp, c, jar, { code_challenge: challenge });
  const r = await submitLogin(idp, jar, page, user);
  assert.equal(r.status, 302, r.text?.slice(0, 200));
  const code = new URL(r.location).searchParams.get('code');
  const t = await exchange(c, code, verifier);
  assert.equal(t.status, 200, t.text);
  return { jar, idToken: t.json.id_token };
}

export { CookieJar };
