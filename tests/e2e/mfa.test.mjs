// The second factor end to end: an authenticator app set up on
// /account/mfa (QR code, the key as text, the first code), the second step
// of a sign-in with codes computed here by node's own HMAC-SHA1 (RFC 6238,
// independent of the provider's code), replay refused, recovery codes used
// once, wrong codes throttled, acr and amr in the ID token, step-up of a
// signed-in person, require_mfa clients and organisations leading a person
// to set up a factor, acr_values, prompt=none, discovery, the helpdesk's
// idpctl user mfa-reset, and bad input answered with pages, never a 5xx.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt, http, idpctl, pkce, psql, sleep, unique } from './lib.mjs';
import { addManifest, testOrg } from './rp.mjs';
import { REDIRECT, authorizeUrl as plainUrl, callback, exchange as plainExchange, makeClient,
  makeUser, newJar, submitLogin } from './flow.mjs';
import { base32, totp, totpAt } from './totp.mjs';

// Every authorization of this file with one PKCE pair.
const PKCE = pkce();
const authorizeUrl = (client, extra = {}) => plainUrl(client, { code_challenge: PKCE.challenge,
  code_challenge_method: 'S256', ...extra });
const exchange = (client, code) => plainExchange(client, code, PKCE.verifier);

// The inputs of the form on the page whose hidden action is action.
function form(html, action) {
  for (const f of html.split('<form').slice(1)) {
    const body = f.split('</form>')[0];
    if (!body.includes(`name="action" value="${action}"`)) continue;
    const out = {};
    for (const m of body.matchAll(/<input\b[^>]*>/g)) {
      const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
      if (name) out[name] = (/\bvalue="([^"]*)"/.exec(m[0])?.[1] ?? '').replace(/&amp;/g, '&');
    }
    return out;
  }
  assert.fail(`no form with action ${action}`);
}

// Sign in to /account/mfa with the password; returns the page.
async function accountPage(jar, user) {
  const r = await http('GET', '/login?next=%2Faccount%2Fmfa', { jar });
  assert.equal(r.status, 200);
  const s = await submitLogin(jar, r, user.username, user.password);
  assert.equal(s.status, 303, s.text.slice(0, 300));
  const a = await http('GET', '/account/mfa', { jar });
  assert.equal(a.status, 200, a.text.slice(0, 300));
  return a;
}

// Set up the app for a signed-in person: returns { key, codes }.
async function enrolApp(jar, page, action = '/account/mfa') {
  const r = await http('POST', action, { jar, form: form(page.text, 'enrol') });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.text, /<svg class="qr"[^>]*role="img"/);
  assert.match(r.text, /otpauth:\/\/totp\/[^<]*secret=[A-Z2-7]+/);
  const key = base32(/<code class="secret">([^<]*)<\/code>/.exec(r.text)[1]);
  assert.equal(key.length, 20);
  const f = form(r.text, 'enrol_confirm');
  const wrong = await http('POST', action, { jar, form: { ...f, code: '000000' === totp(key) ? '111111' : '000000' } });
  assert.equal(wrong.status, 400);
  assert.match(wrong.text, /role="alert"/);
  const ok = await http('POST', action, { jar, form: { ...form(wrong.text, 'enrol_confirm'), code: totp(key) } });
  assert.equal(ok.status, 200, ok.text.slice(0, 300));
  const codes = [...ok.text.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
  assert.equal(codes.length, 10);
  return { key, codes, page: ok };
}

// Start a sign-in to client; after the password, the second step's page.
async function toSecondStep(jar, client, user, extra = {}) {
  const r = await http('GET', authorizeUrl(client, extra), { jar });
  assert.equal(r.status, 200);
  const s = await submitLogin(jar, r, user.username, user.password);
  assert.equal(s.status, 200, `expected the second step, got ${s.status}`);
  return s;
}

test('the app is set up, asked for at every sign-in, and its codes work once', async () => {
  const user = makeUser();
  const client = makeClient();
  const jar = newJar();
  const { key, codes } = await enrolApp(jar, await accountPage(jar, user));
  const ev = psql(`SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id
    WHERE u.username = '${user.username}' AND a.event = 'mfa.totp_enrolled'`);
  assert.equal(ev.trim(), '1');
  const secret = psql(`SELECT count(*) FROM credentials c JOIN users u ON u.id = c.user_id
    WHERE u.username = '${user.username}' AND kind = 'recovery_code' AND used_at IS NULL`);
  assert.equal(secret.trim(), '10');
  // The key is kept sealed under the key-encryption key, not in plaintext.
  const form_ = psql(`SELECT totp_secret IS NULL, totp_kek_id IS NOT NULL,
    position('\\x${key.toString('hex')}'::bytea IN totp_sealed) FROM credentials c
    JOIN users u ON u.id = c.user_id WHERE u.username = '${user.username}' AND kind = 'totp'`);
  assert.equal(form_, 't|t|0');

  // A new browser: the password, then the code (the next step's: the
  // current one was used by the set-up).
  const jar2 = newJar();
  const step = await toSecondStep(jar2, client, user);
  assert.match(step.text, /autocomplete="one-time-code"/);
  assert.match(step.text, /inputmode="numeric"/);
  const last = Number(psql(`SELECT totp_last_step FROM credentials c JOIN users u
    ON u.id = c.user_id WHERE u.username = '${user.username}' AND kind = 'totp'`));
  const used = await http('POST', '/login/factor', { jar: jar2,
    form: { ...form(step.text, 'totp'), code: totpAt(key, last) } });
  // The code of the set-up's step: accepted once already.
  assert.equal(used.status, 400);
  assert.match(used.text, /sudah dipakai|was used already/);
  const code = totpAt(key, last + 1);
  const ok = await http('POST', '/login/factor', { jar: jar2,
    form: { ...form(used.text, 'totp'), code } });
  assert.equal(ok.status, 302, ok.text.slice(0, 400));
  const p = callback(ok.location);
  const tok = await exchange(client, p.code);
  assert.equal(tok.status, 200, tok.text);
  const idt = decodeJwt(tok.json.id_token).payload;
  assert.equal(idt.acr, '2');
  assert.deepEqual(idt.amr, ['pwd', 'otp', 'mfa']);
  // The same session goes on; prompt=login and max_age ask for the
  // password and then the second factor again.
  const on = await http('GET', authorizeUrl(client), { jar: jar2 });
  assert.equal(on.status, 302);
  for (const extra of [{ prompt: 'login' }, { max_age: '1' }]) {
    if (extra.max_age) await sleep(2100);
    const again = await http('GET', authorizeUrl(client, extra), { jar: jar2 });
    assert.equal(again.status, 200);
    const s2 = await submitLogin(jar2, again, user.username, user.password);
    assert.equal(s2.status, 200);
    assert.match(s2.text, /autocomplete="one-time-code"/);
  }

  // The same code again, in yet another browser: a replay.
  const jar3 = newJar();
  const step3 = await toSecondStep(jar3, client, user);
  const replay = await http('POST', '/login/factor', { jar: jar3,
    form: { ...form(step3.text, 'totp'), code } });
  assert.equal(replay.status, 400);
  assert.match(replay.text, /sudah dipakai|was used already/);

  // A recovery code, once (case and spaces do not matter).
  const rc = await http('POST', '/login/factor', { jar: jar3,
    form: { ...form(replay.text, 'recovery'), recovery_code: ` ${codes[0].toUpperCase()} ` } });
  assert.equal(rc.status, 302, rc.text.slice(0, 300));
  const jar4 = newJar();
  const step4 = await toSecondStep(jar4, client, user);
  const again = await http('POST', '/login/factor', { jar: jar4,
    form: { ...form(step4.text, 'recovery'), recovery_code: codes[0] } });
  assert.equal(again.status, 400);
  assert.match(again.text, /kode pemulihan itu salah|recovery code is wrong/i);
});

test('bad codes are pages, never errors, and wrong ones are throttled', async () => {
  const user = makeUser();
  const client = makeClient();
  const jar = newJar();
  await enrolApp(jar, await accountPage(jar, user));
  const j = newJar();
  let page = await toSecondStep(j, client, user);
  for (const bad of ['abc', '1234567', '12345', '１２３４５６', 'x'.repeat(5000), '']) {
    const r = await http('POST', '/login/factor', { jar: j, form: { ...form(page.text, 'totp'), code: bad } });
    assert.ok([400, 429].includes(r.status), `${bad.slice(0, 10)}: ${r.status}`);
    page = r;
  }
  const rec = await http('POST', '/login/factor', { jar: j, form: { ...form(page.text, 'recovery'),
    recovery_code: 'zzzzz-zzzzz-zzzzz' } });
  assert.ok([400, 429].includes(rec.status));
  let status = 0;
  for (let i = 0; i < 20 && status !== 429; i++) {
    const r = await http('POST', '/login/factor', { jar: j, form: { ...form(page.text, 'totp'), code: '000001' } });
    status = r.status;
    if (r.status === 429) assert.ok(Number(r.headers.get('retry-after')) >= 1);
    else page = r;
  }
  assert.equal(status, 429, 'wrong codes end in a wait');
  const refusals = psql(`SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id
    WHERE u.username = '${user.username}' AND a.event = 'mfa.totp_refused'`);
  assert.ok(Number(refusals) >= 5);
  // Unknown actions and forms without a pending login are pages too.
  const odd = await http('POST', '/login/factor', { jar: j, form: { ...form(page.text, 'totp'), action: 'zap' } });
  assert.ok([200, 429].includes(odd.status));
  const none = await http('POST', '/login/factor', { jar: j, form: { action: 'totp', code: '123456' } });
  assert.equal(none.status, 400);
  const notForm = await http('POST', '/login/factor', { jar: j, body: '{}', headers: { 'content-type': 'application/json' } });
  assert.equal(notForm.status, 400);
});

test('a service with require_mfa leads a person without a factor to set one up, then on', async () => {
  const org = testOrg();
  const id = unique('mfa-rp-');
  const r = addManifest({ client_id: id, client_name: 'Layanan SI ASN Uji', owner_organisation: org,
    first_party: true, redirect_uris: [REDIRECT], grant_types: ['authorization_code'],
    scope: 'openid profile', token_endpoint_auth_method: 'client_secret_basic', require_mfa: true });
  assert.equal(r.status, 0, r.stderr);
  const client = { id, secret: r.json.client_secret, redirect: REDIRECT };
  const plain = makeClient();
  const user = makeUser();
  const jar = newJar();
  // Signed in to another service with the password alone first.
  const a = await http('GET', authorizeUrl(plain), { jar });
  const s = await submitLogin(jar, a, user.username, user.password);
  assert.equal(s.status, 302);
  // prompt=none cannot ask.
  const silent = await http('GET', authorizeUrl(client, { prompt: 'none' }), { jar });
  assert.equal(silent.status, 302);
  assert.equal(callback(silent.location).error, 'interaction_required');
  // The signed-in person is offered the set-up, without the password.
  const offer = await http('GET', authorizeUrl(client), { jar });
  assert.equal(offer.status, 200);
  assert.match(offer.text, /Layanan SI ASN Uji/);
  const { key, page } = await enrolApp(jar, offer, '/login/factor');
  assert.ok(key.length === 20);
  const go = await http('POST', '/login/factor', { jar, form: form(page.text, 'continue') });
  assert.equal(go.status, 302, go.text.slice(0, 300));
  const p = callback(go.location);
  assert.ok(p.code);
  const tok = await exchange(client, p.code);
  const idt = decodeJwt(tok.json.id_token).payload;
  assert.equal(idt.acr, '2');
  assert.ok(idt.amr.includes('otp') && idt.amr.includes('mfa'));
  // The same session goes on to the service without another step.
  const again = await http('GET', authorizeUrl(client), { jar });
  assert.equal(again.status, 302);
  assert.ok(callback(again.location).code);
});

test('acr_values=2 asks for a second factor; acr_values=1 2 does not for a person without one', async () => {
  const user = makeUser();
  const client = makeClient();
  const asked = await toSecondStep(newJar(), client, user, { acr_values: '2' });
  assert.match(asked.text, /name="action" value="enrol"/);
  const j = newJar();
  const r = await http('GET', authorizeUrl(client, { acr_values: '1 2' }), { jar: j });
  const s = await submitLogin(j, r, user.username, user.password);
  assert.equal(s.status, 302);
  const tok = await exchange(client, callback(s.location).code);
  const idt = decodeJwt(tok.json.id_token).payload;
  assert.equal(idt.acr, '1');
  assert.deepEqual(idt.amr, ['pwd']);
  const bad = await http('GET', authorizeUrl(client, { acr_values: 'x'.repeat(300) }), { jar: j });
  assert.equal(bad.status, 302);
  assert.equal(callback(bad.location).error, 'invalid_request');
  // The claims parameter: an essential acr of 2 asks too (OIDC Core
  // §5.5.1.1); a voluntary one does not.
  const ess = await toSecondStep(newJar(), client, user,
    { claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['2'] } } }) });
  assert.match(ess.text, /name="action" value="enrol"/);
  const j2 = newJar();
  const r2 = await http('GET', authorizeUrl(client,
    { claims: JSON.stringify({ id_token: { acr: { values: ['2'] } } }) }), { jar: j2 });
  assert.equal((await submitLogin(j2, r2, user.username, user.password)).status, 302);
  const disco = await http('GET', '/.well-known/openid-configuration');
  assert.deepEqual(disco.json.acr_values_supported, ['1', '2']);
});

test('an organisation that requires a second factor; the helpdesk resets a lost phone', async () => {
  const org = unique('e2e.mfa.');
  testOrg(org, 'BKPSDM Uji');
  const user = makeUser({ org });
  const client = makeClient();
  assert.equal(idpctl(['org', 'require-mfa', org, 'yes']).status, 0);
  assert.equal(idpctl(['org', 'require-mfa', org, 'maybe']).status, 2);
  assert.notEqual(idpctl(['org', 'require-mfa', 'tidak.ada', 'yes']).status, 0);
  const offer = await toSecondStep(newJar(), client, user);
  assert.match(offer.text, /name="action" value="enrol"/);
  const jar = newJar();
  await enrolApp(jar, await (async () => {
    const r = await http('GET', '/login?next=%2Faccount%2Fmfa', { jar });
    const s = await submitLogin(jar, r, user.username, user.password);
    assert.equal(s.status, 200, 'the organisation asks for the set-up first');
    return s;
  })(), '/login/factor');
  // The last factor of such a person is not removed.
  const acct = await http('GET', '/account/mfa', { jar });
  assert.equal(acct.status, 200);
  const rm = await http('POST', '/account/mfa', { jar, form: form(acct.text, 'remove_totp') });
  assert.equal(rm.status, 303);
  const left = psql(`SELECT count(*) FROM credentials c JOIN users u ON u.id = c.user_id
    WHERE u.username = '${user.username}' AND kind = 'totp'`);
  assert.equal(left.trim(), '1');
  // Lost phone: the helpdesk resets; sessions end, the audit says so.
  const reset = idpctl(['--json', 'user', 'mfa-reset', user.username]);
  assert.equal(reset.status, 0, reset.stderr);
  assert.ok(reset.json.factors_removed >= 11);
  assert.ok(reset.json.sessions_ended >= 1);
  assert.equal((await http('GET', '/account/mfa', { jar })).status, 303);
  const audit = psql(`SELECT details->>'factors_removed' FROM audit_log a JOIN users u ON u.id = a.user_id
    WHERE u.username = '${user.username}' AND a.event = 'mfa.reset'`);
  assert.ok(Number(audit) >= 11);
  assert.notEqual(idpctl(['user', 'mfa-reset', 'tidak-ada-orangnya']).status, 0);
  assert.equal(idpctl(['user', 'mfa-reset']).status, 2);
});

test('removing the app asks first, then mails and audits; the session must have used it', async () => {
  const user = makeUser();
  const jar = newJar();
  const { key } = await enrolApp(jar, await accountPage(jar, user));
  // A second browser that signs in anew is sent through the second step.
  const j2 = newJar();
  const r = await http('GET', '/login?next=%2Faccount%2Fmfa', { jar: j2 });
  const step = await submitLogin(j2, r, user.username, user.password);
  assert.equal(step.status, 200);
  assert.match(step.text, /one-time-code/);
  const ok = await http('POST', '/login/factor', { jar: j2, form: { ...form(step.text, 'totp'), code: totp(key, 1) } });
  assert.equal(ok.status, 303);
  assert.equal(ok.location, '/account/mfa');
  const acct = await http('GET', '/account/mfa', { jar: j2 });
  const ask = await http('POST', '/account/mfa', { jar: j2, form: form(acct.text, 'remove_totp') });
  assert.equal(ask.status, 200);
  assert.match(ask.text, /name="confirm" value="yes"/);
  const done = await http('POST', '/account/mfa', { jar: j2, form: { ...form(acct.text, 'remove_totp'), confirm: 'yes' } });
  assert.equal(done.status, 303);
  const rows = psql(`SELECT string_agg(kind, ',') FROM credentials c JOIN users u ON u.id = c.user_id
    WHERE u.username = '${user.username}' AND kind <> 'password'`);
  assert.equal(rows.trim(), '');
  const ev = psql(`SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id
    WHERE u.username = '${user.username}' AND a.event = 'mfa.totp_removed'`);
  assert.equal(ev.trim(), '1');
  const bad = await http('POST', '/account/mfa', { jar: j2, form: { action: 'enrol' } });
  assert.equal(bad.status, 400);
});
