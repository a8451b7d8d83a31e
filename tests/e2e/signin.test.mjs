// Sign in once: the authorization code flow with PKCE, the login page,
// SSO sessions, ID tokens, userinfo and refresh, driven like a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { CookieJar, ISSUER, decodeJwt, formInputs, http, idpctl, psql, sleep } from './lib.mjs';
import { REDIRECT, authorizeUrl, callback, exchange, makeClient, makeUser, newJar,
  refresh, signIn, submitLogin, userinfo } from './flow.mjs';

const org = (() => {
  idpctl(['org', 'add', 'baliprov', '--name', 'Pemerintah Provinsi Bali', '--kind', 'province']);
  idpctl(['org', 'add', 'badung', '--name', 'Kabupaten Badung', '--kind', 'regency',
    '--parent', 'baliprov']);
  return 'badung';
})();

async function verifyJwt(jwt) {
  const { header, payload } = decodeJwt(jwt);
  const jwks = (await http('GET', '/jwks')).json;
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, `kid ${header.kid} is in the JWKS`);
  const [h, p, s] = jwt.split('.');
  const opts = jwk.kty === 'EC' ? { dsaEncoding: 'ieee-p1363' } : {};
  assert.ok(verify('sha256', Buffer.from(`${h}.${p}`),
    { key: createPublicKey({ key: jwk, format: 'jwk' }), ...opts },
    Buffer.from(s, 'base64url')), 'signature verifies');
  return { header, payload };
}

test('happy path: login page, code, token, ID token, userinfo', async () => {
  const user = makeUser({ org, name: 'I Ketut Uji' });
  const client = makeClient({ name: 'Portal Evaluasi SPBE' });
  const jar = newJar();
  const { verifier, challenge } = (await import('./lib.mjs')).pkce();
  const page = await http('GET', authorizeUrl(client, {
    code_challenge: challenge, code_challenge_method: 'S256', nonce: 'nonce-1', state: 's1',
  }), { jar });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html; charset=utf-8/);
  assert.equal(page.headers.get('cache-control'), 'no-store');
  assert.match(page.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(page.headers.get('referrer-policy'));
  assert.match(page.text, /<html lang="id">/);
  assert.match(page.text, /Masuk ke Portal Evaluasi SPBE/);
  assert.match(page.text, /<label for="username">/);
  assert.match(page.text, /<label for="password">/);
  assert.doesNotMatch(page.text, /<script/i, 'no JavaScript');
  const f = formInputs(page.text);
  assert.ok('username' in f && 'password' in f && f.csrf_token && f.login);

  const r = await submitLogin(jar, page, user.username, user.password);
  assert.equal(r.status, 302);
  const cb = callback(r.location);
  assert.ok(r.location.startsWith(`${REDIRECT}?`));
  assert.equal(cb.state, 's1');
  assert.equal(cb.iss, ISSUER);
  const attrs = jar.attrs('idp_session');
  assert.ok(attrs.includes('HttpOnly') && attrs.includes('SameSite=Lax'));
  assert.ok(!attrs.includes('Secure'), 'no Secure flag on an http issuer');
  const cookie = jar.get('idp_session');
  assert.equal(psql(`SELECT count(*) FROM sessions WHERE id_digest = '\\x${
    createHash('sha256').update(cookie).digest('hex')}'`), '1', 'only the digest is stored');

  const t = await exchange(client, cb.code, verifier);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.headers.get('cache-control'), 'no-store');
  assert.equal(t.json.token_type, 'Bearer');
  assert.ok(t.json.refresh_token && t.json.access_token && t.json.expires_in > 0);
  assert.equal(psql(`SELECT count(*) FROM access_tokens WHERE token_digest = '\\x${
    createHash('sha256').update(t.json.access_token).digest('hex')}'`), '1');
  const { header, payload } = await verifyJwt(t.json.id_token);
  assert.equal(header.alg, 'RS256');
  assert.equal(payload.iss, ISSUER);
  assert.equal(payload.aud, client.id);
  assert.equal(payload.sub, user.sub);
  assert.equal(payload.nonce, 'nonce-1');
  assert.ok(payload.exp > payload.iat && payload.iat >= payload.auth_time);
  assert.ok(Math.abs(payload.auth_time - Date.now() / 1000) < 60);
  assert.ok(payload.sid && payload.acr && Array.isArray(payload.amr));
  const half = createHash('sha256').update(t.json.access_token).digest().subarray(0, 16);
  assert.equal(payload.at_hash, half.toString('base64url'));
  assert.equal(payload.name, 'I Ketut Uji');
  assert.equal(payload.organisation.code, 'badung');
  assert.equal(payload.organisation.parent, 'baliprov');

  const ui = await userinfo(t.json.access_token);
  assert.equal(ui.status, 200);
  assert.equal(ui.json.sub, user.sub);
  assert.equal(ui.json.email, `${user.username}@baliprov.go.id`);
  assert.equal(ui.json.organisation.name, 'Kabupaten Badung');
  assert.equal(ui.json.phone_number, undefined, 'phone scope was not asked');
  const post = await http('POST', '/userinfo', { form: { access_token: t.json.access_token } });
  assert.equal(post.status, 200);
  assert.equal(post.json.sub, user.sub);
});

test('English page by ui_locales and by Accept-Language', async () => {
  const client = makeClient({ name: 'Satu Data Bali' });
  const a = await http('GET', authorizeUrl(client, { ui_locales: 'en-US',
    code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }), { jar: newJar() });
  assert.match(a.text, /<html lang="en">/);
  assert.match(a.text, /Sign in to Satu Data Bali/);
  const b = await http('GET', authorizeUrl(client), { jar: newJar(),
    headers: { 'accept-language': 'en-GB,en;q=0.9' } });
  assert.match(b.text, /Sign in to/);
  const c = await http('GET', authorizeUrl(client), { jar: newJar(),
    headers: { 'accept-language': 'id-ID,id;q=0.9,en;q=0.8' } });
  assert.match(c.text, /Masuk ke/);
  const jar = newJar();
  const d = await http('GET', authorizeUrl(client), { jar });
  const en = await http('GET', `/login?login=${formInputs(d.text).login}&lang=en`, { jar });
  assert.equal(en.status, 200);
  assert.match(en.text, /Sign in to Satu Data Bali/);
});

test('wrong credentials: one generic message for unknown users and wrong passwords', async () => {
  const user = makeUser();
  const client = makeClient();
  const bodies = [];
  for (const [name, pw] of [[user.username, 'salah-sekali'], ['tidak.ada.orangnya', 'apa-saja']]) {
    const jar = newJar();
    const page = await http('GET', authorizeUrl(client), { jar });
    const r = await submitLogin(jar, page, name, pw);
    assert.equal(r.status, 200);
    assert.equal(jar.get('idp_session'), undefined);
    const msg = /<p class="error"[^>]*>([^<]*)<\/p>/.exec(r.text)?.[1];
    assert.ok(msg, 'an error message is shown');
    bodies.push(msg);
  }
  assert.equal(bodies[0], bodies[1]);
  assert.ok(Number(psql(`SELECT count(*) FROM audit_log WHERE event = 'login.failure'`)) >= 2);
  assert.equal(psql(`SELECT count(*) FROM audit_log WHERE details::text LIKE '%salah-sekali%'`), '0',
    'passwords never reach the audit log');
  // A client-supplied X-Forwarded-For is not believed unless configured.
  const jar = newJar();
  const page = await http('GET', authorizeUrl(client), { jar });
  await http('POST', '/login', { jar, headers: { 'x-forwarded-for': '203.0.113.9' },
    form: { ...formInputs(page.text), username: 'xff.probe', password: 'x' } });
  assert.equal(psql(`SELECT host(ip) FROM audit_log WHERE details->>'username' = 'xff.probe'`),
    '127.0.0.1');
});

test('login form: CSRF token and browser binding are enforced', async () => {
  const user = makeUser();
  const client = makeClient();
  const jar = newJar();
  const page = await http('GET', authorizeUrl(client), { jar });
  const f = formInputs(page.text);
  const bad = await http('POST', '/login', { jar,
    form: { ...f, csrf_token: 'x'.repeat(43), username: user.username, password: user.password } });
  assert.equal(bad.status, 400);
  const otherBrowser = await http('POST', '/login', { jar: newJar(),
    form: { ...f, username: user.username, password: user.password } });
  assert.equal(otherBrowser.status, 400);
  const missing = await http('POST', '/login', { jar,
    form: { login: f.login, username: user.username, password: user.password } });
  assert.equal(missing.status, 400);
  const ok = await submitLogin(jar, page, user.username, user.password);
  assert.equal(ok.status, 302);
  const replay = await submitLogin(jar, page, user.username, user.password);
  assert.equal(replay.status, 400, 'a completed login page cannot be replayed');
});

test('SSO: a second client signs the person in with no password prompt', async () => {
  const user = makeUser();
  const a = makeClient({ name: 'e-Kinerja' });
  const b = makeClient({ name: 'SI ASN' });
  const jar = newJar();
  const first = await signIn(jar, a, user);
  assert.ok(first.page, 'the first client showed the login page');
  const second = await signIn(jar, b, user);
  assert.equal(second.page, undefined, 'the second client got a code without a page');
  const t = await exchange(b, second.params.code, second.verifier);
  assert.equal(t.status, 200);
  const idt = decodeJwt(t.json.id_token).payload;
  assert.equal(idt.sub, user.sub);
  const t1 = await exchange(a, first.params.code, first.verifier);
  assert.equal(decodeJwt(t1.json.id_token).payload.sid, idt.sid, 'one session, one sid');
  assert.equal(decodeJwt(t1.json.id_token).payload.auth_time, idt.auth_time);
});

test('prompt=none: code with a session, login_required without one', async () => {
  const user = makeUser();
  const client = makeClient();
  const none = await http('GET', authorizeUrl(client, { prompt: 'none', state: 'q' }),
    { jar: newJar() });
  assert.equal(none.status, 302);
  const p = callback(none.location);
  assert.equal(p.error, 'login_required');
  assert.equal(p.state, 'q');
  assert.equal(p.iss, ISSUER);
  const jar = newJar();
  await signIn(jar, client, user);
  const again = await http('GET', authorizeUrl(client, { prompt: 'none' }), { jar });
  assert.equal(again.status, 302);
  assert.ok(callback(again.location).code);
  const mixed = await http('GET', authorizeUrl(client, { prompt: 'none login' }), { jar });
  assert.equal(callback(mixed.location).error, 'invalid_request');
});

test('max_age=1 after 2 s and prompt=login force a new password check', async () => {
  const user = makeUser();
  const client = makeClient();
  const jar = newJar();
  const first = await signIn(jar, client, user);
  const t1 = await exchange(client, first.params.code, first.verifier);
  const at1 = decodeJwt(t1.json.id_token).payload.auth_time;
  await sleep(2100);
  const page = await http('GET', authorizeUrl(client, { max_age: '1' }), { jar });
  assert.equal(page.status, 200, 'max_age exceeded: the login page again');
  const none = await http('GET', authorizeUrl(client, { max_age: '1', prompt: 'none' }), { jar });
  assert.equal(callback(none.location).error, 'login_required');
  const again = await signIn(jar, client, user, { max_age: '1' });
  assert.ok(again.page);
  const t2 = await exchange(client, again.params.code, again.verifier);
  assert.ok(decodeJwt(t2.json.id_token).payload.auth_time >= at1 + 2,
    'auth_time is the time of the new password check');
  const forced = await http('GET', authorizeUrl(client, { prompt: 'login' }), { jar });
  assert.equal(forced.status, 200);
  assert.match(forced.text, /name="password"/);
});

// The sessions row of a session cookie value (its id_digest is SHA-256).
const session = (cookie, cols) => psql(`SELECT ${cols} FROM sessions
  WHERE id_digest = sha256(convert_to('${cookie}', 'UTF8'))`);
const sessionClients = (cookie) => psql(`SELECT string_agg(sc.client_id, ' ' ORDER BY sc.client_id)
  FROM session_clients sc JOIN sessions s ON s.id = sc.session_id
  WHERE s.id_digest = sha256(convert_to('${cookie}', 'UTF8'))`);

test('a new password check rotates the session: the old cookie stops working', async () => {
  const user = makeUser();
  const client = makeClient();
  const other = makeClient();
  const jar = newJar();
  const first = await signIn(jar, client, user);
  const sid1 = decodeJwt((await exchange(client, first.params.code, first.verifier)).json.id_token).payload.sid;
  assert.equal((await signIn(jar, other, user)).page, undefined, 'SSO to the second client');
  const old = jar.get('idp_session');
  const copy = new CookieJar();
  copy.cookies.set('idp_session', { value: old, attrs: [] });
  const again = await signIn(jar, client, user, { prompt: 'login' });
  assert.ok(again.page, 'prompt=login asked for the password');
  const fresh = jar.get('idp_session');
  assert.notEqual(fresh, old, 'a new session id');
  const sid2 = decodeJwt((await exchange(client, again.params.code, again.verifier)).json.id_token).payload.sid;
  assert.notEqual(sid2, sid1);
  const stale = await http('GET', authorizeUrl(client, { prompt: 'none' }), { jar: copy });
  assert.equal(callback(stale.location).error, 'login_required', 'the old cookie signs nobody in');
  const acct = await http('GET', '/account', { jar: copy });
  assert.equal(acct.status, 303, 'the account page asks the old cookie to sign in');
  assert.match(acct.location, /^\/login\?next=/);
  const live = await http('GET', authorizeUrl(other, { prompt: 'none' }), { jar });
  assert.ok(callback(live.location).code, 'the new cookie does');
  assert.equal(session(old, 'ended_at IS NOT NULL'), 't');
  assert.equal(session(fresh, 'ended_at IS NULL'), 't');
  assert.equal(sessionClients(fresh), [client.id, other.id].sort().join(' '),
    'the clients reached before are carried over, so a logout still reaches them');
  // max_age asks for the password too, and rotates the same way.
  psql(`UPDATE sessions SET auth_time = auth_time - interval '1 hour'
    WHERE id_digest = sha256(convert_to('${fresh}', 'UTF8'))`);
  const aged = await signIn(jar, client, user, { max_age: '600' });
  assert.ok(aged.page);
  assert.notEqual(jar.get('idp_session'), fresh);
  assert.equal(session(fresh, 'ended_at IS NOT NULL'), 't');
  // Another person signing in on this browser ends the first one's
  // session, and takes none of its clients.
  const someone = makeUser();
  const before = jar.get('idp_session');
  const switched = await signIn(jar, other, someone, { prompt: 'login' });
  assert.ok(switched.page);
  assert.equal(session(before, 'ended_at IS NOT NULL'), 't');
  assert.equal(sessionClients(jar.get('idp_session')), other.id);
});

test('errors before the redirect URI is trusted show a page and never redirect', async () => {
  const client = makeClient();
  const cases = [
    authorizeUrl({ id: 'no-such-client', redirect: REDIRECT }),
    authorizeUrl(client, { redirect_uri: 'https://evil.example/cb' }),
    authorizeUrl(client, { redirect_uri: `${REDIRECT}/` }),
    authorizeUrl(client, { redirect_uri: undefined }),
    authorizeUrl(client, { client_id: undefined }),
    `${authorizeUrl(client)}&redirect_uri=${encodeURIComponent(REDIRECT)}`,
    // A request object or request_uri replaces the query (RFC 9101 §6.3):
    // when it cannot be used, nothing in the request is trusted.
    authorizeUrl(client, { request: 'eyJ.eyJ.x' }),
    authorizeUrl(client, { request_uri: 'https://x.example/r' }),
  ];
  for (const url of cases) {
    const r = await http('GET', url, { jar: newJar() });
    assert.equal(r.status, 400, url);
    assert.equal(r.location, null, `${url} must not redirect`);
    assert.match(r.headers.get('content-type'), /text\/html/);
  }
});

test('every other authorization error goes back as error, error_description, state, iss', async () => {
  const client = makeClient();
  const pub = makeClient({ auth: 'none' });
  const cases = [
    [client, { response_type: 'token' }, 'unsupported_response_type'],
    [client, { response_type: undefined }, 'invalid_request'],
    [client, { scope: 'admin idp:admin' }, 'invalid_scope'],
    [client, { scope: undefined }, 'invalid_scope'],
    [client, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }, 'invalid_request'],
    [client, { code_challenge: 'short', code_challenge_method: 'S256' }, 'invalid_request'],
    [client, { code_challenge_method: 'S256' }, 'invalid_request'],
    [pub, {}, 'invalid_request'],
    [client, { prompt: 'sometimes' }, 'invalid_request'],
    [client, { max_age: '-3' }, 'invalid_request'],
    [client, { response_mode: 'fragment' }, 'invalid_request'],
    [client, { id_token_hint: 'not.a.token' }, 'invalid_request'],
  ];
  for (const [c, extra, err] of cases) {
    const r = await http('GET', authorizeUrl(c, { state: 'keep-me', ...extra }), { jar: newJar() });
    assert.equal(r.status, 302, JSON.stringify(extra));
    const p = callback(r.location);
    assert.equal(p.error, err, JSON.stringify(extra));
    assert.ok(p.error_description);
    assert.equal(p.state, 'keep-me');
    assert.equal(p.iss, ISSUER);
  }
});

test('token endpoint: code reuse fails and revokes what the code issued', async () => {
  const user = makeUser();
  const client = makeClient();
  const s = await signIn(newJar(), client, user);
  const t = await exchange(client, s.params.code, s.verifier);
  assert.equal(t.status, 200);
  assert.equal((await userinfo(t.json.access_token)).status, 200);
  const again = await exchange(client, s.params.code, s.verifier);
  assert.equal(again.status, 400);
  assert.equal(again.json.error, 'invalid_grant');
  assert.equal((await userinfo(t.json.access_token)).status, 401, 'access token revoked');
  assert.equal((await refresh(client, t.json.refresh_token)).json.error, 'invalid_grant');
});

test('token endpoint: code bound to client, redirect URI and PKCE verifier', async () => {
  const user = makeUser();
  const a = makeClient();
  const b = makeClient();
  const jar = newJar();
  let s = await signIn(jar, a, user);
  let r = await exchange(b, s.params.code, s.verifier);
  assert.equal(r.json.error, 'invalid_grant', 'code from another client');
  s = await signIn(jar, a, user);
  r = await exchange(a, s.params.code, 'x'.repeat(43));
  assert.equal(r.json.error, 'invalid_grant', 'wrong verifier');
  s = await signIn(jar, a, user);
  r = await exchange(a, s.params.code, undefined);
  assert.equal(r.json.error, 'invalid_grant', 'missing verifier');
  s = await signIn(jar, a, user);
  r = await exchange(a, s.params.code, s.verifier, { redirect_uri: 'https://rp.example.go.id/other' });
  assert.equal(r.json.error, 'invalid_grant', 'redirect URI mismatch');
  r = await exchange(a, 'A'.repeat(43), s.verifier);
  assert.equal(r.json.error, 'invalid_grant', 'unknown code');
});

test('token endpoint: client authentication and request errors', async () => {
  const user = makeUser();
  const client = makeClient();
  const s = await signIn(newJar(), client, user);
  const wrong = await exchange({ ...client, secret: 'wrong-secret' }, s.params.code, s.verifier);
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.error, 'invalid_client');
  assert.match(wrong.headers.get('www-authenticate'), /^Basic realm=/);
  const asPost = await http('POST', '/token', { form: { grant_type: 'authorization_code',
    code: s.params.code, redirect_uri: client.redirect, code_verifier: s.verifier,
    client_id: client.id, client_secret: client.secret } });
  assert.equal(asPost.json.error, 'invalid_client', 'registered for basic, used post');
  const unknown = await exchange({ id: 'nobody', secret: 'x', redirect: REDIRECT }, 'c', 'v');
  assert.equal(unknown.status, 401);
  const noType = await http('POST', '/token', { body: 'grant_type=authorization_code',
    headers: { 'content-type': 'text/plain' } });
  assert.equal(noType.status, 400);
  assert.equal(noType.json.error, 'invalid_request');
  const noGrant = await http('POST', '/token', { form: { client_id: client.id } });
  assert.equal(noGrant.json.error, 'invalid_request');
  const h = { authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` };
  const unsupported = await http('POST', '/token', { headers: h, form: { grant_type: 'password' } });
  assert.equal(unsupported.json.error, 'unsupported_grant_type');
  const cc = await http('POST', '/token', { headers: h, form: { grant_type: 'client_credentials' } });
  assert.equal(cc.json.error, 'unauthorized_client');
  const get = await http('GET', '/token');
  assert.equal(get.status, 405);
  const both = await http('POST', '/token', { headers: h, form: { grant_type: 'refresh_token',
    refresh_token: 'x', client_id: client.id, client_secret: client.secret } });
  assert.equal(both.json.error, 'invalid_request', 'two authentication methods');
});

test('an expired code is refused', async () => {
  const user = makeUser();
  const client = makeClient();
  const s = await signIn(newJar(), client, user);
  psql(`UPDATE authorization_codes SET expires_at = now() - interval '1 second'
        WHERE client_id = '${client.id}'`);
  const r = await exchange(client, s.params.code, s.verifier);
  assert.equal(r.json.error, 'invalid_grant');
});

test('refresh tokens rotate; a used one revokes the whole family', async () => {
  const user = makeUser();
  const client = makeClient();
  const s = await signIn(newJar(), client, user);
  const t = (await exchange(client, s.params.code, s.verifier)).json;
  const r1 = await refresh(client, t.refresh_token);
  assert.equal(r1.status, 200);
  assert.notEqual(r1.json.refresh_token, t.refresh_token);
  assert.equal(decodeJwt(r1.json.id_token).payload.sub, user.sub);
  assert.equal(decodeJwt(r1.json.id_token).payload.nonce, undefined);
  const narrow = await refresh(client, r1.json.refresh_token, { scope: 'openid' });
  assert.equal(narrow.status, 200);
  assert.equal(narrow.json.scope, 'openid');
  const wide = await refresh(client, narrow.json.refresh_token, { scope: 'openid profile' });
  assert.equal(wide.json.error, 'invalid_scope', 'RFC 6749 §6: wider than granted');
  // wide consumed nothing? it did: the token was used; start again from a fresh one.
  const s2 = await signIn(newJar(), client, user);
  const t2 = (await exchange(client, s2.params.code, s2.verifier)).json;
  const n1 = (await refresh(client, t2.refresh_token)).json;
  assert.equal((await userinfo(n1.access_token)).status, 200);
  const reuse = await refresh(client, t2.refresh_token);
  assert.equal(reuse.json.error, 'invalid_grant');
  assert.equal((await refresh(client, n1.refresh_token)).json.error, 'invalid_grant',
    'the newest refresh token of the family is revoked too');
  assert.equal((await userinfo(n1.access_token)).status, 401);
  const other = makeClient();
  const s3 = await signIn(newJar(), client, user);
  const t3 = (await exchange(client, s3.params.code, s3.verifier)).json;
  assert.equal((await refresh(other, t3.refresh_token)).json.error, 'invalid_grant');
});

test('userinfo: missing, invalid, expired and revoked tokens get RFC 6750 challenges', async () => {
  const missing = await http('GET', '/userinfo');
  assert.equal(missing.status, 401);
  assert.match(missing.headers.get('www-authenticate'), /^Bearer realm="[^"]+", DPoP algs="ES256 PS256 RS256"$/);
  const bad = await userinfo('A'.repeat(43));
  assert.equal(bad.status, 401);
  assert.match(bad.headers.get('www-authenticate'), /error="invalid_token"/);
  const garbage = await userinfo('not a token at all \u00ff');
  assert.equal(garbage.status, 401);
  const user = makeUser();
  const client = makeClient();
  const s = await signIn(newJar(), client, user);
  const t = (await exchange(client, s.params.code, s.verifier)).json;
  const query = await http('GET', `/userinfo?access_token=${t.access_token}`);
  assert.equal(query.status, 400);
  psql(`UPDATE access_tokens SET expires_at = now() - interval '1 second'
        WHERE token_digest = '\\x${createHash('sha256').update(t.access_token).digest('hex')}'`);
  assert.equal((await userinfo(t.access_token)).status, 401, 'expired');
  const s2 = await signIn(newJar(), client, user);
  const t2 = (await exchange(client, s2.params.code, s2.verifier)).json;
  assert.equal(idpctl(['user', 'disable', user.username]).status, 0);
  assert.equal((await userinfo(t2.access_token)).status, 401, 'disabled user');
  const noOpenid = makeClient({ scope: 'profile' });
  const u2 = makeUser();
  const s3 = await signIn(newJar(), noOpenid, u2, { scope: 'profile' });
  const t3 = (await exchange(noOpenid, s3.params.code, s3.verifier)).json;
  assert.equal(t3.id_token, undefined, 'no ID token without openid');
  const ui = await userinfo(t3.access_token);
  assert.equal(ui.status, 403);
  assert.match(ui.headers.get('www-authenticate'), /insufficient_scope/);
});

test('public client with PKCE and an ES256 client', async () => {
  const user = makeUser();
  const pub = makeClient({ auth: 'none', grants: ['authorization_code'] });
  const s = await signIn(newJar(), pub, user);
  const t = await exchange(pub, s.params.code, s.verifier);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.refresh_token, undefined);
  const es = makeClient({ alg: 'ES256' });
  const s2 = await signIn(newJar(), es, user);
  const t2 = await exchange(es, s2.params.code, s2.verifier);
  const { header } = await verifyJwt(t2.json.id_token);
  assert.equal(header.alg, 'ES256');
});

test('id_token_hint: a matching hint passes prompt=none, another user\'s asks to log in', async () => {
  const a = makeUser();
  const b = makeUser();
  const client = makeClient();
  const jarA = newJar();
  const sa = await signIn(jarA, client, a);
  const ta = (await exchange(client, sa.params.code, sa.verifier)).json;
  const jarB = newJar();
  const sb = await signIn(jarB, client, b);
  const tb = (await exchange(client, sb.params.code, sb.verifier)).json;
  const ok = await http('GET', authorizeUrl(client, { prompt: 'none', id_token_hint: ta.id_token }),
    { jar: jarA });
  assert.ok(callback(ok.location).code);
  const other = await http('GET', authorizeUrl(client, { prompt: 'none', id_token_hint: tb.id_token }),
    { jar: jarA });
  assert.equal(callback(other.location).error, 'login_required');
  const foreign = makeClient();
  const wrongAud = await http('GET', authorizeUrl(foreign, { id_token_hint: ta.id_token }),
    { jar: jarA });
  assert.equal(callback(wrongAud.location).error, 'invalid_request');
});

test('third-party clients ask consent, remember it, ask again on prompt=consent', async () => {
  const user = makeUser();
  const client = makeClient({ firstParty: false, name: 'Aplikasi Mitra' });
  const jar = newJar();
  const page = await http('GET', authorizeUrl(client), { jar });
  let r = await submitLogin(jar, page, user.username, user.password);
  assert.equal(r.status, 200, 'consent page after the password');
  assert.match(r.text, /Aplikasi Mitra meminta izin/);
  assert.match(r.text, /name="decision" value="allow"/);
  const consent = formInputs(r.text);
  const none = await http('GET', authorizeUrl(client, { prompt: 'none' }), { jar });
  assert.equal(callback(none.location).error, 'consent_required');
  r = await http('POST', '/consent', { jar, form: { ...consent, decision: 'allow' } });
  assert.equal(r.status, 302);
  assert.ok(callback(r.location).code);
  const remembered = await http('GET', authorizeUrl(client), { jar });
  assert.equal(remembered.status, 302, 'consent remembered');
  const wider = await http('GET', authorizeUrl(client, { scope: 'openid profile email phone' }), { jar });
  assert.equal(wider.status, 200, 'a new scope asks again');
  const again = await http('GET', authorizeUrl(client, { prompt: 'consent', state: 'd' }), { jar });
  assert.equal(again.status, 200);
  const deny = await http('POST', '/consent', { jar,
    form: { ...formInputs(again.text), decision: 'deny' } });
  const p = callback(deny.location);
  assert.equal(p.error, 'access_denied');
  assert.equal(p.state, 'd');
  const forged = await http('POST', '/consent', { jar: newJar(),
    form: { ...formInputs(again.text), decision: 'allow' } });
  assert.equal(forged.status, 400);
});

test('bad input never yields a 5xx', async () => {
  const client = makeClient();
  const urls = [
    '/authorize', '/authorize?%ZZ=1', '/authorize?client_id=%00', `/authorize?client_id=${'x'.repeat(5000)}`,
    '/authorize?client_id=%C3%28', `/authorize?client_id=${client.id}&client_id=${client.id}`,
    `${authorizeUrl(client)}&scope=openid`, `${authorizeUrl(client, { state: 's'.repeat(3000) })}`,
    `${authorizeUrl(client, { nonce: 'n'.repeat(600) })}`, '/login', '/login?login=abc',
    `/authorize?${'a=1&'.repeat(100)}`,
  ];
  for (const u of urls) {
    const r = await http('GET', u, { jar: newJar() });
    assert.ok(r.status < 500, `${u.slice(0, 80)} -> ${r.status}`);
  }
  const posts = [
    ['/token', 'grant_type=authorization_code&code=%FF%FE', 'application/x-www-form-urlencoded'],
    ['/token', 'grant_type=a&grant_type=b', 'application/x-www-form-urlencoded'],
    ['/token', '\u0000\u0001garbage', 'application/x-www-form-urlencoded'],
    ['/token', '{"grant_type":"client_credentials"}', 'application/json'],
    ['/token', 'grant_type=refresh_token&refresh_token=' + 'r'.repeat(60000), 'application/x-www-form-urlencoded'],
    ['/login', 'login=x&csrf_token=y', 'application/x-www-form-urlencoded'],
    ['/login', 'garbage', 'text/plain'],
    ['/consent', 'decision=allow', 'application/x-www-form-urlencoded'],
    ['/authorize', 'client_id=x', 'text/plain'],
    ['/userinfo', 'access_token=%%', 'application/x-www-form-urlencoded'],
  ];
  for (const [path, body, ct] of posts) {
    const r = await http('POST', path, { body, headers: { 'content-type': ct } });
    assert.ok(r.status >= 400 && r.status < 500, `${path} ${body.slice(0, 40)} -> ${r.status}`);
  }
  const noCt = await http('POST', '/token', { body: 'grant_type=client_credentials' });
  assert.equal(noCt.status, 400);
  const dup = await http('POST', '/token', { body: 'grant_type=a&grant_type=b',
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.match(dup.json.error_description, /grant_type is repeated/);
});
