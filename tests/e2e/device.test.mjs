// The device authorization grant (RFC 8628): a kiosk or a command-line
// tool asks for codes, a person signs in on a phone and approves at
// /device, the device polls /token. Every answer of §3.5, and every bad
// input: wrong client, reused device codes, expired codes, denial,
// user-code typos, guessing, forms of another session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ISSUER, decodeJwt, formInputs, http, idpctl, psql } from './lib.mjs';
import { basic, makeClient, makeUser, newJar, refresh, submitLogin, userinfo } from './flow.mjs';

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';

function deviceClient(opts = {}) {
  return makeClient({ redirects: [], grants: opts.grants ?? [DEVICE, 'refresh_token'],
    auth: opts.auth, firstParty: opts.firstParty, name: opts.name ?? 'Kios Pelayanan Desa',
    scope: opts.scope });
}

function auth(client, form) {
  if (client.secret) return { form, headers: { authorization: basic(client) } };
  return { form: { ...form, client_id: client.id }, headers: {} };
}

const start = (client, form = {}) => http('POST', '/device_authorization', auth(client, form));
const poll = (client, deviceCode) => http('POST', '/token',
  auth(client, { grant_type: DEVICE, device_code: deviceCode }));
const digestOf = (code) => `sha256(convert_to('${code.replace(/-/g, '')}', 'UTF8'))`;

// A person signed in on their phone: /device sends them to sign in first
// and back to /device with the code the link carried.
async function signedIn(user, next = '/device') {
  const jar = newJar();
  let r = await http('GET', next, { jar });
  assert.equal(r.status, 303);
  assert.equal(r.location, `/login?next=${encodeURIComponent(next)}`);
  r = await http('GET', r.location, { jar });
  assert.equal(r.status, 200);
  r = await submitLogin(jar, r, user.username, user.password);
  assert.equal(r.status, 303);
  assert.equal(r.location, next);
  return jar;
}

async function enter(jar, typed) {
  const page = await http('GET', '/device', { jar });
  const f = formInputs(page.text);
  return http('POST', '/device', { jar, form: { ...f, user_code: typed } });
}

async function decide(jar, page, decision) {
  const f = formInputs(page.text);
  assert.ok(f.user_code && f.csrf_token, 'the question has its form');
  return http('POST', '/device', { jar, form: { ...f, decision } });
}

test('RFC 8628 §3.1-3.5: codes, the person approves, the device gets tokens like a code exchange', async () => {
  const user = makeUser({ name: 'Ni Luh Putu Sekar' });
  const client = deviceClient({ auth: 'none' });
  const r = await start(client, { scope: 'openid profile' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const d = r.json;
  assert.match(d.device_code, /^[A-Za-z0-9_-]{43}$/);
  assert.match(d.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  assert.equal(d.verification_uri, `${ISSUER}/device`);
  assert.equal(d.verification_uri_complete, `${ISSUER}/device?user_code=${d.user_code}`);
  assert.equal(d.expires_in, 900);
  assert.equal(d.interval, 5);
  assert.equal(psql(`SELECT count(*) FROM device_authorizations WHERE device_code_digest = `
    + `sha256('${d.device_code}') AND user_code_digest = ${digestOf(d.user_code)}`), '1',
  'both codes are kept as digests');

  const pending = await poll(client, d.device_code);
  assert.equal(pending.status, 400);
  assert.equal(pending.json.error, 'authorization_pending');

  // The person scans the QR code of verification_uri_complete.
  const next = new URL(d.verification_uri_complete);
  const jar = await signedIn(user, `${next.pathname}${next.search}`);
  const page = await http('GET', `${next.pathname}${next.search}`, { jar });
  assert.equal(page.status, 200);
  assert.match(page.text, /<html lang="id">/);
  assert.match(page.text, /Kios Pelayanan Desa ingin masuk dengan akun Anda/);
  assert.ok(page.text.includes(`<p class="usercode">${d.user_code}</p>`), 'the code to compare');
  assert.match(page.text, /Melihat nama dan nama pengguna Anda/);
  assert.match(page.text, /Jangan pernah memasukkan kode yang diberikan orang lain/);
  assert.doesNotMatch(page.text, /<script/i);
  const done = await decide(jar, page, 'approve');
  assert.equal(done.status, 303);
  assert.equal(done.location, '/device');
  const after = await http('GET', '/device', { jar });
  assert.match(after.text, /Selesai\. Perangkat akan masuk/);

  const t = await poll(client, d.device_code);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.headers.get('cache-control'), 'no-store');
  assert.equal(t.json.token_type, 'Bearer');
  assert.equal(t.json.scope, 'openid profile');
  assert.ok(t.json.refresh_token, 'a refresh token per the client\'s grants');
  const id = decodeJwt(t.json.id_token).payload;
  assert.equal(id.sub, user.sub);
  assert.equal(id.aud, client.id);
  assert.equal(id.iss, ISSUER);
  assert.ok(id.sid && id.auth_time && id.at_hash);
  assert.equal(id.name, 'Ni Luh Putu Sekar');
  const ui = await userinfo(t.json.access_token);
  assert.equal(ui.json.sub, user.sub);
  const rr = await refresh(client, t.json.refresh_token);
  assert.equal(rr.status, 200, rr.text);
  assert.equal(psql(`SELECT count(*) FROM audit_log WHERE event IN ('device.approved', 'device.tokens') `
    + `AND client_id = '${client.id}'`), '2');

  // A device code works once; presenting it again ends what it issued.
  const again = await poll(client, d.device_code);
  assert.equal(again.status, 400);
  assert.equal(again.json.error, 'invalid_grant');
  assert.equal((await userinfo(t.json.access_token)).status, 401);
  assert.equal((await refresh(client, rr.json.refresh_token)).json.error, 'invalid_grant');
});

test('a confidential client authenticates; without openid no ID token; without refresh_token no refresh token', async () => {
  const user = makeUser();
  const client = deviceClient({ grants: [DEVICE], scope: 'openid profile email' });
  assert.ok(client.secret);
  const noauth = await http('POST', '/device_authorization', { form: { client_id: client.id } });
  assert.equal(noauth.status, 401);
  assert.equal(noauth.json.error, 'invalid_client');
  const d = (await start(client, { scope: 'profile' })).json;
  const jar = await signedIn(user);
  const page = await enter(jar, d.user_code.toLowerCase().replace('-', ' '));
  assert.equal(page.status, 200);
  assert.match(page.text, /ingin masuk dengan akun Anda/, 'typed in lower case with a space');
  assert.equal((await decide(jar, page, 'approve')).status, 303);
  const t = await poll(client, d.device_code);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.id_token, undefined);
  assert.equal(t.json.refresh_token, undefined);
  assert.equal(t.json.scope, 'profile');
});

test('without scope the client\'s registered scope; scope rules as at /authorize; grant and client checks', async () => {
  const client = deviceClient({ auth: 'none', scope: 'openid email' });
  const r = await start(client);
  assert.equal(r.status, 200);
  assert.equal(psql(`SELECT scope FROM device_authorizations WHERE device_code_digest = sha256('${r.json.device_code}')`),
    'openid email');
  // A value the client may not have is dropped, as at /authorize.
  const narrowed = await start(client, { scope: 'openid phone' });
  assert.equal(narrowed.status, 200, narrowed.text);
  assert.equal(psql(`SELECT scope FROM device_authorizations WHERE device_code_digest = sha256('${narrowed.json.device_code}')`),
    'openid');
  for (const scope of ['phone', 'bad"scope', '']) {
    const bad = await start(client, { scope });
    assert.equal(bad.status, 400, scope);
    assert.equal(bad.json.error, 'invalid_scope', scope);
  }
  const codeOnly = makeClient();
  const u = await start(codeOnly);
  assert.equal(u.json.error, 'unauthorized_client');
  const p = await poll(codeOnly, r.json.device_code);
  assert.equal(p.json.error, 'unauthorized_client');
  assert.equal((await http('POST', '/device_authorization', { body: 'x', headers: {} })).status, 400);
  assert.equal((await http('GET', '/device_authorization')).status, 405);
  const unknown = await http('POST', '/device_authorization', { form: { client_id: 'nobody-here' } });
  assert.equal(unknown.json.error, 'invalid_client');
});

test('polling: slow_down adds 5 s each time; wrong client, malformed and unknown codes, missing device_code', async () => {
  const client = deviceClient({ auth: 'none' });
  const other = deviceClient({ auth: 'none' });
  const d = (await start(client)).json;
  assert.equal((await poll(client, d.device_code)).json.error, 'authorization_pending');
  const fast = await poll(client, d.device_code);
  assert.equal(fast.status, 400);
  assert.equal(fast.json.error, 'slow_down');
  const q = `SELECT interval_s FROM device_authorizations WHERE device_code_digest = sha256('${d.device_code}')`;
  assert.equal(psql(q), '10');
  assert.equal((await poll(client, d.device_code)).json.error, 'slow_down');
  assert.equal(psql(q), '15', 'for this and all subsequent requests');
  // A poll after the interval is pending again.
  psql(`UPDATE device_authorizations SET last_poll_at = now() - interval '16 seconds' WHERE device_code_digest = sha256('${d.device_code}')`);
  assert.equal((await poll(client, d.device_code)).json.error, 'authorization_pending');

  const stolen = await poll(other, d.device_code);
  assert.equal(stolen.status, 400);
  assert.equal(stolen.json.error, 'invalid_grant', 'another client\'s device code');
  for (const code of ['short', 'A'.repeat(43), `${d.device_code}x`, 'a.b.c=d'.padEnd(43, '=')]) {
    const r = await poll(client, code);
    assert.equal(r.json.error, 'invalid_grant', code);
  }
  const missing = await http('POST', '/token', auth(client, { grant_type: DEVICE }));
  assert.equal(missing.json.error, 'invalid_request');
});

test('denied, expired, and a code expiring after approval', async () => {
  const user = makeUser();
  const client = deviceClient({ auth: 'none' });
  const denied = (await start(client)).json;
  const jar = await signedIn(user);
  let page = await enter(jar, denied.user_code);
  const r = await decide(jar, page, 'deny');
  assert.equal(r.status, 303);
  assert.match((await http('GET', '/device', { jar })).text, /Ditolak\./);
  const p = await poll(client, denied.device_code);
  assert.equal(p.json.error, 'access_denied');
  assert.equal(psql(`SELECT count(*) FROM audit_log WHERE event = 'device.denied' AND client_id = '${client.id}'`), '1');

  const late = (await start(client)).json;
  psql(`UPDATE device_authorizations SET expires_at = now() - interval '1 second' WHERE device_code_digest = sha256('${late.device_code}')`);
  assert.equal((await poll(client, late.device_code)).json.error, 'expired_token');
  page = await enter(jar, late.user_code);
  assert.match(page.text, /Kode ini sudah tidak berlaku/);

  const raced = (await start(client)).json;
  page = await enter(jar, raced.user_code);
  assert.match(page.text, /ingin masuk/);
  psql(`UPDATE device_authorizations SET expires_at = now() - interval '1 second' WHERE device_code_digest = sha256('${raced.device_code}')`);
  const tooLate = await decide(jar, page, 'approve');
  assert.equal(tooLate.status, 200);
  assert.match(tooLate.text, /Kode ini sudah tidak berlaku/);
  assert.equal((await poll(client, raced.device_code)).json.error, 'expired_token');
});

test('typos are explained on the form; a code is its first person\'s; guessing is throttled', async () => {
  const user = makeUser();
  const other = makeUser();
  const client = deviceClient({ auth: 'none' });
  const jar = await signedIn(user);
  let r = await enter(jar, 'WDJB-MJH');
  assert.equal(r.status, 200);
  assert.match(r.text, /Kode terdiri dari 8 huruf/);
  assert.match(r.text, /aria-invalid="true"/);
  assert.ok(r.text.includes('value="WDJB-MJH"'), 'what was typed is shown again');
  r = await enter(jar, '- -');
  assert.match(r.text, /Isi kode dari layar perangkat/);
  r = await enter(jar, '<script>alert(1)</script>');
  assert.ok(!r.text.includes('<script>alert'), 'typed text is escaped');
  r = await enter(jar, 'B'.repeat(100));
  assert.match(r.text, /Kode terdiri dari 8 huruf/);

  const d = (await start(client)).json;
  const mine = await enter(jar, d.user_code);
  assert.match(mine.text, /ingin masuk/);
  const jar2 = await signedIn(other);
  r = await enter(jar2, d.user_code);
  assert.match(r.text, /Kode ini tidak dikenal/, 'someone else\'s code reads as unknown');
  const f = formInputs(mine.text);
  const hijack = await http('POST', '/device', { jar: jar2, form: { ...f, decision: 'approve' } });
  assert.equal(hijack.status, 400, 'the form is bound to the session that was shown it');
  const csrf2 = formInputs((await http('GET', '/device', { jar: jar2 })).text).csrf_token;
  const hijack2 = await http('POST', '/device', { jar: jar2,
    form: { user_code: f.user_code, csrf_token: csrf2, decision: 'approve' } });
  assert.equal(hijack2.status, 200);
  assert.match(hijack2.text, /Kode ini sudah tidak berlaku/);
  assert.equal((await poll(client, d.device_code)).json.error, 'authorization_pending');

  // Wrong codes that are well formed count, per person, in the sign-in
  // defence (scope user_code): past its free allowance (5 here) the form
  // answers "try again in N seconds" without looking the code up.
  const guesser = makeUser();
  const jar3 = await signedIn(guesser);
  let wrong = 0;
  for (;;) {
    r = await enter(jar3, 'BCDF-GHJK');
    if (r.status === 429) break;
    assert.match(r.text, /Kode ini tidak dikenal/);
    assert.ok(++wrong <= 6, 'guessing is slowed past the allowance');
  }
  assert.ok(wrong >= 5, `the allowance holds (${wrong} wrong codes checked)`);
  assert.match(r.text, /Terlalu banyak kode yang salah\. Coba lagi dalam \d+ detik/);
  assert.ok(Number(r.headers.get('retry-after')) >= 1);
  r = await enter(jar3, d.user_code);
  assert.equal(r.status, 429, 'even a real code waits');
  assert.match(r.text, /Terlalu banyak kode yang salah/);
  r = await http('GET', `/device?user_code=${d.user_code}`, { jar: jar3 });
  assert.equal(r.status, 429, 'the link counts like the form');
  assert.ok(Number(psql(`SELECT count(*) FROM audit_log WHERE event = 'user_code.throttled' AND user_id = `
    + `(SELECT id FROM users WHERE username = '${guesser.username}')`)) >= 3, 'refusals are audited');
  // The person with the code is not slowed by someone else's guessing.
  const again = await enter(jar, d.user_code);
  assert.equal(again.status, 200);
});

test('forms: no session, bad CSRF, bad decision; the page in English; third-party approval is consent', async () => {
  const user = makeUser();
  const client = deviceClient({ auth: 'none', firstParty: false, name: 'Aplikasi Mitra' });
  const anon = await http('POST', '/device', { form: { user_code: 'BCDFGHJK', decision: 'approve' } });
  assert.equal(anon.status, 400);
  assert.match(anon.text, /\/login\?next=%2Fdevice/);
  const jar = await signedIn(user);
  const bad = await http('POST', '/device', { jar, form: { user_code: 'BCDFGHJK', csrf_token: 'x' } });
  assert.equal(bad.status, 400);
  const d = (await start(client, { scope: 'openid email' })).json;
  const en = await http('GET', `/device?user_code=${d.user_code}&lang=en`, { jar });
  assert.match(en.text, /<html lang="en">/);
  assert.match(en.text, /Aplikasi Mitra wants to sign in with your account/);
  assert.match(en.text, /not run by the Bali Provincial Government/);
  const f = formInputs(en.text);
  const odd = await http('POST', '/device', { jar, form: { ...f, decision: 'maybe' } });
  assert.equal(odd.status, 400);
  const odd2 = await http('POST', '/device', { jar, form: { ...f, user_code: 'AAAA', decision: 'approve' } });
  assert.equal(odd2.status, 400);
  assert.equal((await decide(jar, en, 'approve')).status, 303);
  assert.equal(psql(`SELECT array_to_string(array(SELECT unnest(scopes) ORDER BY 1), ' ') `
    + `FROM consents WHERE client_id = '${client.id}'`), 'email openid');
  const t = await poll(client, d.device_code);
  assert.equal(t.status, 200);
  const list = await http('GET', '/account', { jar });
  assert.match(list.text, /Aplikasi Mitra/, 'the consent is listed on the account page');
});

test('discovery lists the device endpoint and grant; a disabled person gets no tokens', async () => {
  const meta = (await http('GET', '/.well-known/openid-configuration')).json;
  assert.equal(meta.device_authorization_endpoint, `${ISSUER}/device_authorization`);
  assert.ok(meta.grant_types_supported.includes(DEVICE));
  const user = makeUser();
  const client = deviceClient({ auth: 'none' });
  const d = (await start(client)).json;
  const jar = await signedIn(user);
  await decide(jar, await enter(jar, d.user_code), 'approve');
  assert.equal(idpctl(['user', 'disable', user.username]).status, 0);
  const t = await poll(client, d.device_code);
  assert.equal(t.json.error, 'invalid_grant');
});
