#!/usr/bin/env node
// Front-channel preparation for bench/run.sh, done like a browser does it:
//
//   node bench/prep.mjs sessions OPTIONS   sign people in (GET /authorize,
//        then POST /login with their password) and write one SSO session
//        cookie value a line: bench/wrk/mint.lua mints codes with them
//   node bench/prep.mjs logins OPTIONS     fetch login pages (GET /authorize
//        without a session) and write "browser_cookie<TAB>login<TAB>csrf
//        <TAB>username<TAB>password" a line: bench/wrk/login.lua posts them
//        With --creds lines "username<TAB>password<TAB>hex TOTP key" (people
//        with an authenticator app), each line also gets the first time
//        step and the codes of --totp-steps steps from the one before now
//        (RFC 6238, SHA-1, 6 digits): bench/wrk/totp_login.lua posts both
//   node bench/prep.mjs totp-people OPTIONS   give the people of --creds
//        from --from, --count of them, a random TOTP key each: writes
//        "username<TAB>password<TAB>hex key" a line
//   node bench/prep.mjs peer-sessions OPTIONS --authorize /auth
//        the same as sessions at oidc-provider (bench/peer/server.mjs):
//        follow its login interaction, post username and password, end at
//        the client's redirect; write the session's Cookie header a line
//
// OPTIONS: --issuer URL --client ID --redirect URI --challenge S256-CHALLENGE
//          --creds FILE (username<TAB>password) --from N --count N --out FILE
//          [--concurrency N] [--cookie NAME] [--authorize PATH]
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const [mode, ...rest] = process.argv.slice(2);
const opt = {};
for (let i = 0; i < rest.length; i += 2) opt[rest[i].replace(/^--/, '')] = rest[i + 1];
if (!['sessions', 'logins', 'peer-sessions', 'totp-people'].includes(mode) || !opt.out
  || (mode !== 'totp-people' && !opt.issuer)) {
  console.error('usage: prep.mjs sessions|logins|peer-sessions|totp-people --issuer URL --client ID '
    + '--redirect URI --challenge C --creds FILE --from N --count N --out FILE');
  process.exit(2);
}
const from = Number(opt.from ?? 0);
const count = Number(opt.count ?? 1);
const conc = Number(opt.concurrency ?? 8);
const sessionCookie = opt.cookie ?? 'idp_session';
const creds = readFileSync(opt.creds, 'utf8').trim().split('\n').map((l) => l.split('\t'));

const authorizePath = `${opt.authorize ?? '/authorize'}?${new URLSearchParams({
  response_type: 'code', client_id: opt.client, redirect_uri: opt.redirect,
  scope: 'openid profile email organisation', state: 'bench-state', nonce: 'bench-nonce',
  code_challenge: opt.challenge, code_challenge_method: 'S256',
})}`;

function cookieOf(res, name) {
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(';')[0];
    const i = pair.indexOf('=');
    if (pair.slice(0, i).trim() === name) return pair.slice(i + 1).trim();
  }
  return undefined;
}

function input(html, name) {
  for (const m of html.matchAll(/<input\b[^>]*>/g)) {
    if (new RegExp(`\\bname="${name}"`).test(m[0])) {
      return (/\bvalue="([^"]*)"/.exec(m[0])?.[1] ?? '').replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>');
    }
  }
  return undefined;
}

async function loginPage() {
  const res = await fetch(opt.issuer + authorizePath, { redirect: 'manual' });
  const html = await res.text();
  const browser = cookieOf(res, 'idp_browser');
  const login = input(html, 'login');
  const csrf = input(html, 'csrf_token');
  if (res.status !== 200 || !browser || !login || !csrf) {
    throw new Error(`GET /authorize: expected a login page, got ${res.status}`);
  }
  return { browser, login, csrf };
}

// A browser's cookies for one origin (names are unique there).
class Jar {
  constructor() { this.c = new Map(); }
  store(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const expired = attrs.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired) this.c.delete(pair.slice(0, i).trim());
      else this.c.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
  }
  header() { return [...this.c].map(([k, v]) => `${k}=${v}`).join('; '); }
}

async function go(jar, url, init = {}) {
  const res = await fetch(new URL(url, opt.issuer), { ...init, redirect: 'manual',
    headers: { ...(init.headers ?? {}), cookie: jar.header() } });
  jar.store(res);
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

// oidc-provider: its redirects to the interaction, the login form there,
// on to the client's redirect with a code.
async function peerSession(username, password) {
  const jar = new Jar();
  let r = await go(jar, authorizePath);
  for (let hops = 0; hops < 10; hops++) {
    if (r.status === 200 && /\/login"/.test(r.text)) {
      r = await go(jar, /action="([^"]+)"/.exec(r.text)[1], { method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password }).toString() });
    } else if (r.status >= 300 && r.status < 400 && r.location?.startsWith(opt.redirect)) {
      const session = [...jar.c].filter(([n]) => n.startsWith('_session'))
        .map(([n, v]) => `${n}=${v}`).join('; ');
      if (!session) throw new Error(`${username}: no session cookie`);
      return session;
    } else if (r.status >= 300 && r.status < 400 && r.location) {
      r = await go(jar, r.location);
    } else {
      throw new Error(`${username}: unexpected ${r.status}: ${r.text.slice(0, 200)}`);
    }
  }
  throw new Error(`${username}: too many redirects`);
}

// RFC 6238 with SHA-1 and 6 digits: the code of time step step.
function totpAt(key, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(msg).digest();
  const o = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// The first step and the codes of the steps from the one before now.
function codes(hex) {
  const key = Buffer.from(hex, 'hex');
  const first = Math.floor(Date.now() / 30000) - 1;
  const n = Number(opt['totp-steps'] ?? 24);
  return [String(first), ...Array.from({ length: n }, (_, i) => totpAt(key, first + i))];
}

async function one(k) {
  const [username, password, key] = creds[(from + k) % creds.length];
  if (mode === 'totp-people') return [username, password, randomBytes(20).toString('hex')].join('\t');
  if (mode === 'peer-sessions') return peerSession(username, password);
  const page = await loginPage();
  if (mode === 'logins') {
    return [page.browser, page.login, page.csrf, username, password,
      ...(key ? codes(key) : [])].join('\t');
  }
  const res = await fetch(`${opt.issuer}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded',
      cookie: `idp_browser=${page.browser}` },
    body: new URLSearchParams({ login: page.login, csrf_token: page.csrf, username, password })
      .toString(),
  });
  await res.arrayBuffer();
  const s = cookieOf(res, sessionCookie);
  if (res.status !== 302 || !s) throw new Error(`POST /login for ${username}: ${res.status}`);
  return s;
}

const out = new Array(count);
let next = 0;
async function worker() {
  while (next < count) {
    const k = next++;
    out[k] = await one(k);
  }
}
await Promise.all(Array.from({ length: Math.min(conc, count) }, worker));
writeFileSync(opt.out, `${out.join('\n')}\n`);
