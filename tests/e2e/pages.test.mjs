// Pages that help when something goes wrong, and the language they speak:
// an HTML 404 for browsers and JSON for API clients, the language choice
// (switch link, ui_locales, remembered choice, Accept-Language), the
// sign-in to the provider's own pages (/login?next=) with every off-site
// target refused, error pages with a next step and the helpdesk, an
// expired login page that starts the same request again, times in WITA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ISSUER, formInputs, http, idpctl, pkce, psql, unique } from './lib.mjs';
import { REDIRECT, authorizeUrl, callback, exchange, makeClient, makeUser, newJar,
  submitLogin } from './flow.mjs';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const html = (s) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
const langOf = (r) => /<html lang="([a-z]+)">/.exec(r.text)?.[1];
const h1 = (r) => /<h1>([^<]*)<\/h1>/.exec(r.text)?.[1];

// The helpdesk the stack configures (tests/lib/stack.sh).
const HELPDESK = {
  tel: 'href="tel:03615550100">(0361) 555-0100</a>',
  mail: 'href="mailto:helpdesk-sso@baliprov.go.id">helpdesk-sso@baliprov.go.id</a>',
  hoursId: 'Senin\u2013Jumat 08.00\u201316.00 WITA',
  hoursEn: 'Monday\u2013Friday 08:00\u201316:00 WITA',
};

// A client with a home page (client_uri), which error pages lead back to.
function clientWithHome(name) {
  const id = unique('home-');
  const dir = mkdtempSync('/tmp/idp-manifest-');
  const file = join(dir, `${id}.json`);
  writeFileSync(file, JSON.stringify({
    client_id: id, client_name: name, first_party: true, enabled: true,
    client_uri: `https://${id}.example.go.id/`, redirect_uris: [REDIRECT],
    grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid profile',
  }));
  const r = idpctl(['--json', 'client', 'add', '--manifest', file]);
  rmSync(dir, { recursive: true });
  assert.equal(r.status, 0, r.stderr);
  return { id, redirect: REDIRECT, home: `https://${id}.example.go.id/` };
}

function smallPrint(r, code) {
  const m = /kode ([a-z_]+), ID permintaan ([0-9a-f]{16})|code ([a-z_]+), request id ([0-9a-f]{16})/
    .exec(r.text);
  assert.ok(m, 'the codes are in small print');
  assert.equal(m[1] ?? m[3], code);
  assert.equal(m[2] ?? m[4], r.headers.get('x-request-id'), 'the request id of the log line');
}

test('unknown paths: an HTML 404 for browsers, JSON for API clients', async () => {
  const page = await http('GET', '/tidak/ada', { headers: { accept: BROWSER } });
  assert.equal(page.status, 404);
  assert.match(page.headers.get('content-type'), /^text\/html; charset=utf-8/);
  assert.match(page.headers.get('content-security-policy'), /script-src 'none'/);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  assert.equal(langOf(page), 'id');
  assert.match(page.text, /<title>Halaman tidak ditemukan · SSO Provinsi Bali<\/title>/);
  assert.match(page.text, /<main>/);
  assert.match(page.text, /href="\/account">Buka halaman akun Anda<\/a>/);
  assert.ok(page.text.includes(HELPDESK.tel));
  smallPrint(page, 'not_found');
  const en = await http('GET', '/tidak/ada', { headers: { accept: BROWSER,
    'accept-language': 'en-GB,en;q=0.9' } });
  assert.equal(langOf(en), 'en');
  assert.equal(h1(en), 'Page not found');
  assert.doesNotMatch(en.text, /Halaman|Kembali|Butuh/);
  for (const accept of [undefined, '*/*', 'application/json',
    'application/json, text/html;q=0.5']) {
    const r = await http('GET', '/tidak/ada', { headers: accept ? { accept } : {} });
    assert.equal(r.status, 404, String(accept));
    assert.match(r.headers.get('content-type'), /^application\/json/, String(accept));
    assert.equal(r.json.error, 'not_found', String(accept));
  }
  // Protocol endpoints answer in their protocol, also to a browser.
  const token = await http('GET', '/token', { headers: { accept: BROWSER } });
  assert.equal(token.status, 405);
  assert.equal(token.json.error, 'method_not_allowed');
  // A page's route with a method it does not take: a page, with Allow.
  const put = await http('PUT', '/login', { headers: { accept: BROWSER } });
  assert.equal(put.status, 405);
  assert.equal(put.headers.get('allow'), 'GET, POST');
  assert.equal(h1(put), 'Halaman tidak dapat dibuka dengan cara ini');
});

test('a page speaks one language: switch link, ui_locales, remembered choice, Accept-Language', async () => {
  const client = makeClient({ name: 'Sistem Absensi' });
  const id = { 'accept-language': 'id-ID,id;q=0.9' };
  let r = await http('GET', authorizeUrl(client), { jar: newJar(),
    headers: { 'accept-language': 'en-US,en;q=0.9,id;q=0.5' } });
  assert.equal(langOf(r), 'en');
  r = await http('GET', authorizeUrl(client), { jar: newJar(),
    headers: { 'accept-language': 'en;q=0.2, id;q=0.8' } });
  assert.equal(langOf(r), 'id', 'q-values decide, not order');
  r = await http('GET', authorizeUrl(client, { ui_locales: 'en' }), { jar: newJar(), headers: id });
  assert.equal(langOf(r), 'en', 'ui_locales over Accept-Language');

  const jar = newJar();
  const page = await http('GET', authorizeUrl(client), { jar, headers: id });
  assert.equal(langOf(page), 'id');
  const link = html(/<a class="lang" href="([^"]+)" lang="en" hreflang="en">English<\/a>/
    .exec(page.text)[1]);
  assert.equal(link, `/login?login=${formInputs(page.text).login}&lang=en`);
  const en = await http('GET', link, { jar, headers: id });
  assert.equal(langOf(en), 'en', 'the switch link');
  assert.equal(h1(en), 'Sign in to Sistem Absensi');
  assert.equal(jar.get('idp_lang'), 'en', 'the choice is remembered');
  assert.doesNotMatch(en.text, /Masuk|Kata sandi|Nama pengguna|Butuh bantuan/,
    'nothing of the other language');

  r = await http('GET', authorizeUrl(client), { jar: jar, headers: id });
  assert.equal(langOf(r), 'en', 'the remembered choice over Accept-Language');
  r = await http('GET', authorizeUrl(client, { ui_locales: 'id' }), { jar, headers: id });
  assert.equal(langOf(r), 'id', 'ui_locales over the remembered choice');
  const fr = await http('GET', `/login?login=${formInputs(en.text).login}&lang=fr`, { jar });
  assert.equal(langOf(fr), 'en', 'an unknown lang= is passed over');

  // The form carries its page's language to the answer.
  const f = formInputs(en.text);
  assert.equal(f.lang, 'en');
  const wrong = await http('POST', '/login', { jar, headers: id,
    form: { ...f, username: 'tidak.ada', password: 'apa-saja' } });
  assert.equal(wrong.status, 200);
  assert.equal(langOf(wrong), 'en');
  assert.match(wrong.text, /The username, NIP, email or password is incorrect\./);
});

test('/account signed out: sign in on the provider itself, then back on /account', async () => {
  const user = makeUser({ name: 'Ni Made Sari' });
  const jar = newJar();
  const acc = await http('GET', '/account', { jar });
  assert.equal(acc.status, 303);
  assert.equal(acc.location, '/login?next=%2Faccount');
  const page = await http('GET', acc.location, { jar });
  assert.equal(page.status, 200);
  assert.equal(h1(page), 'Masuk ke SSO Provinsi Bali');
  assert.match(page.headers.get('content-security-policy'), /form-action 'self'; /,
    'the form leads nowhere but here');
  const f = formInputs(page.text);
  assert.ok(f.login && f.csrf_token);
  assert.equal(psql(`SELECT client_id IS NULL AND next_path = '/account' FROM login_requests
    WHERE id_digest = sha256('${f.login}'::bytea)`), 't', 'a pending login that is not an authorization');

  const bad = await submitLogin(jar, page, user.username, 'salah-sekali');
  assert.equal(bad.status, 200);
  assert.match(bad.text, /role="alert"/);
  const ok = await submitLogin(jar, bad, user.username, user.password);
  assert.equal(ok.status, 303);
  assert.equal(ok.location, '/account');
  assert.ok(jar.get('idp_session'), 'an SSO session');
  const mine = await http('GET', '/account', { jar });
  assert.equal(mine.status, 200);
  assert.match(mine.text, /Anda masuk sebagai Ni Made Sari\./);

  const audit = (event) => psql(`SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id
    WHERE u.username = '${user.username}' AND a.event = '${event}' AND a.client_id IS NULL
    AND a.details->>'next' = '/account'`);
  assert.equal(audit('login.success'), '1', 'audited like other sign-ins');
  assert.equal(audit('login.failure'), '1');

  const again = await http('GET', '/login?next=%2Faccount', { jar });
  assert.equal(again.status, 303, 'signed in already: straight on');
  assert.equal(again.location, '/account');
  const plain = await http('GET', '/login', { jar: newJar() });
  assert.equal(plain.status, 200, '/login alone signs in to the account page');
  assert.equal(h1(plain), 'Masuk ke SSO Provinsi Bali');

  const replay = await submitLogin(jar, bad, user.username, user.password);
  assert.equal(replay.status, 400, 'a used page cannot be posted again');
  assert.match(html(replay.text), /href="\/login\?next=%2Faccount">Mulai lagi/);
  const consent = await http('POST', '/consent', { jar: newJar(), form: { ...f, decision: 'allow' } });
  assert.equal(consent.status, 400);
});

test('a sign-in to the provider never leads off it', async () => {
  const refused = ['//evil.example/', '///evil.example', '/\\evil.example', '\\\\evil.example',
    'https://evil.example/', 'http:evil.example', 'javascript:alert(1)', 'evil.example',
    '/\t/evil.example', '/\n/evil.example', '/ /evil.example', '', '/ak\u00fcn', `/${'a'.repeat(600)}`];
  const user = makeUser();
  const signedIn = newJar();
  const page = await http('GET', '/login?next=%2Faccount', { jar: signedIn });
  assert.equal((await submitLogin(signedIn, page, user.username, user.password)).status, 303);
  const before = Number(psql(`SELECT count(*) FROM audit_log WHERE event = 'login.next_refused'`));
  for (const next of refused) {
    for (const jar of [newJar(), signedIn]) {
      const r = await http('GET', `/login?next=${encodeURIComponent(next)}`, { jar });
      assert.equal(r.status, 400, JSON.stringify(next));
      assert.equal(r.location, null, `${JSON.stringify(next)} must not redirect`);
      assert.equal(h1(r), 'Permintaan tidak dapat diproses');
    }
  }
  assert.equal(Number(psql(`SELECT count(*) FROM audit_log WHERE event = 'login.next_refused'`)),
    before + 2 * refused.length, 'every refusal is audited');
  // Paths of the provider are fine, with their query.
  const deep = await http('GET', `/login?next=${encodeURIComponent('/account?tab=izin')}`,
    { jar: signedIn });
  assert.equal(deep.location, '/account?tab=izin');
  // The table holds no other kind of target either.
  assert.throws(() => psql(`INSERT INTO login_requests (id_digest, browser_digest, next_path,
    params, expires_at) VALUES (sha256('x'), sha256('y'), '//evil.example', '{}', now())`),
  /login_requests_local_path/);
});

test('error pages say what happened and what to do next, with the helpdesk', async () => {
  const unknown = await http('GET', authorizeUrl({ id: 'tidak-terdaftar', redirect: REDIRECT }),
    { jar: newJar() });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.location, null);
  assert.equal(langOf(unknown), 'id');
  assert.equal(h1(unknown), 'Layanan tidak dikenal');
  assert.match(unknown.text, /<h2>Yang dapat Anda lakukan<\/h2>/);
  for (const part of [HELPDESK.tel, HELPDESK.mail, HELPDESK.hoursId]) {
    assert.ok(unknown.text.includes(part), part);
  }
  smallPrint(unknown, 'invalid_request');
  assert.doesNotMatch(unknown.text.replace(/<[^>]*>/g, ' '), /Unknown or disabled|client_id/,
    'the English detail stays in the log');

  const en = await http('GET', authorizeUrl({ id: 'tidak-terdaftar', redirect: REDIRECT },
    { ui_locales: 'en' }), { jar: newJar() });
  assert.equal(langOf(en), 'en');
  assert.equal(h1(en), 'Unknown service');
  assert.ok(en.text.includes(HELPDESK.hoursEn));
  smallPrint(en, 'invalid_request');

  const client = clientWithHome('Portal Kepegawaian');
  const ret = await http('GET', authorizeUrl(client, { redirect_uri: 'https://evil.example/cb' }),
    { jar: newJar() });
  assert.equal(ret.status, 400);
  assert.equal(ret.location, null);
  assert.equal(h1(ret), 'Alamat kembali tidak terdaftar');
  assert.match(ret.text, /Portal Kepegawaian meminta agar Anda dikirim kembali/);
  assert.ok(ret.text.includes(`<a class="button" href="${client.home}">Kembali ke Portal Kepegawaian</a>`),
    'the way back to the service');

  const noId = await http('GET', '/authorize?response_type=code', { jar: newJar() });
  assert.equal(noId.status, 400);
  assert.equal(h1(noId), 'Tautan masuk tidak lengkap');

  const logout = await http('GET', `/logout?client_id=${client.id}&post_logout_redirect_uri=${
    encodeURIComponent('https://evil.example/')}`, { jar: newJar() });
  assert.equal(logout.status, 400);
  assert.equal(h1(logout), 'Permintaan keluar tidak valid');
  assert.ok(logout.text.includes(`href="${client.home}">Kembali ke Portal Kepegawaian</a>`));
  assert.match(logout.text, /href="\/account">Buka halaman akun Anda/);

  // The other pages carry the helpdesk's telephone in their footer.
  const login = await http('GET', authorizeUrl(client, { scope: 'openid profile' }),
    { jar: newJar() });
  assert.equal(login.status, 200);
  assert.match(login.text, /<footer class="foot"><p>Butuh bantuan\? Hubungi Helpdesk SSO Provinsi Bali: <a /);
  assert.ok(login.text.includes(HELPDESK.tel));
});

test('an expired login page starts the same authorization again', async () => {
  const user = makeUser();
  const client = makeClient({ name: 'e-Kinerja' });
  const { verifier, challenge } = pkce();
  const jar = newJar();
  const url = authorizeUrl(client, { state: 'st-tetap', nonce: 'n-tetap', code_challenge: challenge,
    code_challenge_method: 'S256', login_hint: user.username });
  const page = await http('GET', url, { jar });
  const f = formInputs(page.text);
  const expire = () => psql(`UPDATE login_requests SET expires_at = now() - interval '1 second'
    WHERE client_id = '${client.id}'`);
  expire();

  const stale = await http('GET', `/login?login=${f.login}`, { jar });
  assert.equal(stale.status, 400);
  assert.equal(h1(stale), 'Halaman masuk sudah kedaluwarsa');
  const restart = html(/<a class="button" href="(\/authorize\?[^"]+)">Mulai lagi<\/a>/.exec(stale.text)[1]);
  const want = new URL(url, ISSUER).searchParams;
  const got = new URL(restart, ISSUER).searchParams;
  for (const k of ['client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge',
    'code_challenge_method', 'login_hint']) {
    assert.equal(got.get(k), want.get(k), `the same ${k}`);
  }
  const other = await http('GET', `/login?login=${f.login}`, { jar: newJar() });
  assert.equal(other.status, 400);
  assert.doesNotMatch(other.text, /\/authorize\?/, 'another browser is not handed the request');

  const again = await http('GET', restart, { jar });
  assert.equal(again.status, 200);
  expire();
  const late = await submitLogin(jar, again, user.username, user.password);
  assert.equal(late.status, 200, 'posted after it expired: the form again');
  assert.match(late.text, /Halaman masuk tadi sudah kedaluwarsa\. Masukkan kata sandi Anda sekali lagi/);
  const lf = formInputs(late.text);
  assert.equal(lf.username, user.username, 'the name is kept');
  assert.equal(lf.password, '', 'the password is never written back');
  assert.notEqual(lf.login, formInputs(again.text).login, 'a new pending login');
  const done = await submitLogin(jar, late, user.username, user.password);
  assert.equal(done.status, 302);
  const cb = callback(done.location);
  assert.equal(cb.state, 'st-tetap');
  const t = await exchange(client, cb.code, verifier);
  assert.equal(t.status, 200, 'the service finishes its own request');

  const used = await submitLogin(jar, late, user.username, user.password);
  assert.equal(used.status, 400);
  assert.match(used.text, /Mulai lagi/);
});

test('times on the account page are in WITA', async () => {
  const user = makeUser();
  const jar = newJar();
  const page = await http('GET', '/login?next=%2Faccount', { jar });
  assert.equal((await submitLogin(jar, page, user.username, user.password)).status, 303);
  const acc = await http('GET', '/account', { jar });
  const at = Number(psql(`SELECT floor(extract(epoch from s.auth_time)) FROM sessions s
    JOIN users u ON u.id = s.user_id WHERE u.username = '${user.username}'`));
  const bali = new Date((at + 8 * 3600) * 1000);
  const months = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus',
    'September', 'Oktober', 'November', 'Desember'];
  const two = (n) => String(n).padStart(2, '0');
  const text = `${bali.getUTCDate()} ${months[bali.getUTCMonth()]} ${bali.getUTCFullYear()}, `
    + `${two(bali.getUTCHours())}.${two(bali.getUTCMinutes())} WITA`;
  const iso = `${bali.toISOString().slice(0, 19)}+08:00`;
  assert.ok(acc.text.includes(`<dt>Masuk sejak</dt><dd><time datetime="${iso}">${text}</time></dd>`),
    `${text} on the account page`);
});
