// Python Authlib (Debian python3-authlib) as a relying party with the
// defaults its documentation shows: it always asks for
// "openid email profile offline_access". The provider ignores what the
// client may not have and signs the person in (OIDC Core §3.1.2.1, §11):
// a first-party service keeps its refresh token; a third-party one gets
// one only after consenting to offline access with prompt=consent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ISSUER = process.env.IDP_URL;
const PY = '/usr/bin/python3';
const RP = join(import.meta.dirname, 'authlib_rp.py');
const REDIRECT = 'http://127.0.0.1:8082/callback';

function idpctl(args, input) {
  const r = spawnSync(process.env.IDP_CTL, args, { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return args.includes('--json') ? JSON.parse(r.stdout) : {};
}

function authlib(...args) {
  const r = spawnSync(PY, [RP, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// The person's browser: cookies, the login and consent forms, redirects.
async function browse(url, user) {
  const cookies = new Map();
  const go = async (u, init = {}) => {
    const headers = { ...(init.headers ?? {}) };
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(u, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return res;
  };
  const post = (path, form) => go(new URL(path, ISSUER), { method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  let res = await go(url);
  let consented = false;
  while (res.status === 200) {
    const html = await res.text();
    const field = (n) => new RegExp(`name="${n}" value="([^"]*)"`).exec(html)?.[1];
    if (/name="password"/.test(html)) {
      res = await post('/login', { login: field('login'), csrf_token: field('csrf_token'), ...user });
    } else {
      consented = true;
      res = await post('/consent', { login: field('login'), csrf_token: field('csrf_token'), decision: 'allow' });
    }
  }
  assert.equal(res.status, 302);
  return { callback: res.headers.get('location'), consented };
}

const stamp = `${process.pid}`;
const user = { username: `authlib${stamp}`, password: 'Pura-Besakih-2031 senja' };
user.sub = idpctl(['--json', 'user', 'add', user.username, '--name', 'Ni Luh Authlib',
  '--email', `${user.username}@baliprov.go.id`, '--password-stdin'], `${user.password}\n`).sub;

test('Authlib, first-party service: offline_access not registered is left out; sign-in, refresh', async () => {
  const c = idpctl(['--json', 'client', 'add', `authlib-${stamp}`, '--name', 'Layanan Authlib',
    '--redirect-uri', REDIRECT, '--grant', 'authorization_code', '--grant', 'refresh_token',
    '--scope', 'openid profile email organisation', '--first-party']);
  const args = [ISSUER, `authlib-${stamp}`, c.client_secret, REDIRECT];
  const saved = authlib('start', ...args);
  assert.match(saved.url, /scope=openid\+email\+profile\+offline_access/);
  const { callback, consented } = await browse(saved.url, user);
  assert.equal(consented, false);
  const out = authlib('finish', ...args, JSON.stringify(saved), callback);
  assert.equal(out.scope, 'openid email profile');
  assert.equal(out.sub, user.sub);
  assert.equal(out.userinfo_sub, user.sub);
  assert.equal(out.refresh_token, true, 'first-party: refresh tokens with the refresh grant');
  assert.equal(out.refreshed, true);
});

test('Authlib, self-registered third-party service without scope: consent, then offline access with prompt=consent', async () => {
  idpctl(['org', 'add', 'interop.mitra', '--name', 'Mitra Interop', '--kind', 'central_agency']);
  const iat = idpctl(['--json', 'iat', 'create', '--org', 'interop.mitra', '--auto-approve'])
    .initial_access_token;
  const reg = await (await fetch(`${ISSUER}/register`, { method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${iat}` },
    body: JSON.stringify({ client_name: `Aplikasi Authlib ${stamp}`, redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'] }) })).json();
  const args = [ISSUER, reg.client_id, reg.client_secret, REDIRECT];
  const saved = authlib('start', ...args);
  const first = await browse(saved.url, user);
  assert.equal(first.consented, true);
  const out = authlib('finish', ...args, JSON.stringify(saved), first.callback);
  assert.equal(out.scope, 'openid email profile', 'offline_access needs prompt=consent');
  assert.equal(out.refresh_token, false);
  const again = authlib('start', ...args);
  const second = await browse(`${again.url}&prompt=consent`, user);
  assert.equal(second.consented, true);
  const out2 = authlib('finish', ...args, JSON.stringify(again), second.callback);
  assert.equal(out2.scope, 'openid email profile offline_access');
  assert.equal(out2.refresh_token, true);
  assert.equal(out2.refreshed, true);
});

// A sector identifier document (OIDC Core §8.1) on loopback: the stack's
// idp runs with outbound_allow_loopback.
async function sectorDocument(uris) {
  const { createServer } = await import('node:http');
  const s = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(uris));
  });
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  return { uri: `http://127.0.0.1:${s.address().port}/sektor.json`, close: () => s.close() };
}

test('Authlib, two self-registered services of one sector: the same pairwise sub, not the public one', async () => {
  const redirects = [REDIRECT, 'http://127.0.0.1:8083/callback'];
  const doc = await sectorDocument(redirects);
  try {
    idpctl(['org', 'add', 'interop.mitra', '--name', 'Mitra Interop', '--kind', 'central_agency']);
    const iat = idpctl(['--json', 'iat', 'create', '--org', 'interop.mitra', '--uses', '2', '--auto-approve'])
      .initial_access_token;
    const subs = [];
    for (const [i, redirect] of redirects.entries()) {
      const reg = await (await fetch(`${ISSUER}/register`, { method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${iat}` },
        body: JSON.stringify({ client_name: `Aplikasi Sektor ${i} ${stamp}`, redirect_uris: [redirect],
          subject_type: 'pairwise', sector_identifier_uri: doc.uri }) })).json();
      assert.equal(reg.subject_type, 'pairwise', JSON.stringify(reg));
      const args = [ISSUER, reg.client_id, reg.client_secret, redirect];
      const saved = authlib('start', ...args);
      const { callback } = await browse(saved.url, user);
      const out = authlib('finish', ...args, JSON.stringify(saved), callback);
      assert.equal(out.userinfo_sub, out.sub, 'userinfo names the same subject');
      subs.push(out.sub);
    }
    assert.equal(subs[0], subs[1], 'one sector, one subject, as Authlib validated it');
    assert.notEqual(subs[0], user.sub);
    assert.match(subs[0], /^[A-Za-z0-9_-]{43}$/);
  } finally {
    doc.close();
  }
});
