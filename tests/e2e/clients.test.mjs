// Service clients: dynamic registration (RFC 7591/7592), client_credentials,
// JWT access tokens (RFC 9068), introspection (RFC 7662), revocation
// (RFC 7009), private_key_jwt (RFC 7523), consent withdrawal, logout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createPublicKey, verify } from 'node:crypto';
import { ISSUER, decodeJwt, formInputs, http, idpctl, psql, unique } from './lib.mjs';
import { TEST_ORG, assertion, iat, json, keyPair, makeApi, pkjwt, reg, sharedApi } from './rp.mjs';
import { authorizeUrl, basic, callback, exchange, makeClient, makeUser, newJar, refresh,
  signIn, submitLogin, userinfo } from './flow.mjs';

test('registration needs a valid initial access token', async () => {
  const body = { client_name: 'Layanan Baru', redirect_uris: ['https://baru.example.go.id/cb'] };
  const none = await reg(body);
  assert.equal(none.status, 401);
  assert.match(none.headers.get('www-authenticate'), /^Bearer/);
  assert.equal((await reg(body, 'A'.repeat(43))).status, 401);
  const t = iat('1');
  const ok = await reg(body, t);
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.headers.get('cache-control'), 'no-store');
  assert.match(ok.json.client_id, /^dcr\./);
  assert.match(ok.json.client_secret, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(ok.json.client_secret_expires_at, 0);
  assert.ok(ok.json.registration_access_token);
  assert.equal(ok.json.registration_client_uri, `${ISSUER}/register/${ok.json.client_id}`);
  assert.deepEqual(ok.json.grant_types, ['authorization_code']);
  assert.equal(ok.json.token_endpoint_auth_method, 'client_secret_basic');
  assert.equal((await reg(body, t)).status, 401, 'a one-use token is spent');
  assert.equal(psql(`SELECT first_party FROM clients WHERE client_id = '${ok.json.client_id}'`), 'f',
    'registered clients are third-party');
  const id = idpctl(['--json', 'iat', 'list']).json.initial_access_tokens.at(-1).id;
  const t2 = iat('0');
  assert.equal(idpctl(['iat', 'revoke', String(id + 1)]).status, 0);
  assert.equal((await reg(body, t2)).status, 401, 'a revoked token is refused');
});

test('every invalid metadata case is refused with the RFC 7591 error', async () => {
  const t = iat('0');
  const cases = [
    [{ redirect_uris: ['http://evil.example/cb'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['https://a.example/cb#frag'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['https://*.example/cb'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['/relative'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: [] }, 'invalid_redirect_uri'],
    [{}, 'invalid_redirect_uri'],
    [{ redirect_uris: 'https://a.example/cb' }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['https://a.example/cb'], grant_types: ['password'] }, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://a.example/cb'], grant_types: ['refresh_token'] }, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://a.example/cb'], response_types: ['token'] }, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'tls_client_auth' }, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://a.example/cb'], id_token_signed_response_alg: 'none' }, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://a.example/cb'], id_token_signed_response_alg: 'HS256' }, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://a.example/cb'], scope: 'openid "bad"' }, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://a.example/cb'], logo_uri: 'http://x.example/logo.png' }, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://a.example/cb'], first_party: true }, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://a.example/cb'], jwks: { keys: [{ kty: 'oct', k: 'AAAA' }] },
      token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata'],
    [{ grant_types: ['client_credentials'], token_endpoint_auth_method: 'none', scope: 'x.read' }, 'invalid_client_metadata'],
    [{ client_name: 'x'.repeat(300), redirect_uris: ['https://a.example/cb'] }, 'invalid_client_metadata'],
  ];
  for (const [body, err] of cases) {
    const r = await reg(body, t);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.error, err, JSON.stringify(body));
    assert.ok(r.json.error_description);
  }
  const notJson = await http('POST', '/register', { body: 'client_name=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${t}` } });
  assert.equal(notJson.status, 400);
  const broken = await http('POST', '/register', { body: '{"a":1,"a":2}',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` } });
  assert.equal(broken.json.error, 'invalid_client_metadata');
});

test('default_max_age: negative or absurd values are refused, sane ones kept and honoured', async () => {
  const t = iat('0');
  for (const v of [-5, -1, 31536001, 1e12, 1.5, '3600', true, [60]]) {
    const r = await reg({ redirect_uris: ['https://a.example/cb'], default_max_age: v }, t);
    assert.equal(r.status, 400, JSON.stringify(v));
    assert.equal(r.json.error, 'invalid_client_metadata', JSON.stringify(v));
    assert.match(r.json.error_description, /default_max_age/);
  }
  for (const v of ['yes', 1]) {
    const r = await reg({ redirect_uris: ['https://a.example/cb'], require_auth_time: v }, t);
    assert.equal(r.json.error, 'invalid_client_metadata', JSON.stringify(v));
  }
  const ok = await reg({ redirect_uris: ['https://a.example/cb'], default_max_age: 600,
    require_auth_time: true }, t);
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.default_max_age, 600);
  assert.equal(ok.json.require_auth_time, true);
  // OIDC Registration §2: the max_age of requests that carry none.
  const user = makeUser();
  const client = makeClient();
  psql(`UPDATE clients SET metadata = metadata || '{"default_max_age": 600}' WHERE client_id = '${client.id}'`);
  const jar = newJar();
  await signIn(jar, client, user);
  assert.equal((await http('GET', authorizeUrl(client), { jar })).status, 302, 'a recent sign-in is enough');
  psql(`UPDATE sessions SET auth_time = auth_time - interval '1 hour'
    WHERE id_digest = sha256(convert_to('${jar.get('idp_session')}', 'UTF8'))`);
  const page = await http('GET', authorizeUrl(client), { jar });
  assert.equal(page.status, 200, 'older than default_max_age: the password again');
  assert.match(page.text, /name="password"/);
  assert.equal((await http('GET', authorizeUrl(client, { max_age: '86400' }), { jar })).status, 302,
    'a max_age in the request wins');
});

test('RFC 7592: read, update with secret rotation, delete', async () => {
  const t = iat('1');
  const r = (await reg({ client_name: 'Mitra', redirect_uris: ['https://mitra.example.go.id/cb'],
    grant_types: ['authorization_code', 'refresh_token'] }, t)).json;
  const uri = `/register/${r.client_id}`;
  const auth = { headers: { authorization: `Bearer ${r.registration_access_token}` } };
  const read = await http('GET', uri, auth);
  assert.equal(read.status, 200);
  assert.equal(read.json.client_name, 'Mitra');
  assert.equal(read.json.client_secret, undefined, 'the secret is never shown again');
  assert.equal((await http('GET', uri, { headers: { authorization: `Bearer ${'B'.repeat(43)}` } })).status, 401);
  assert.equal((await http('GET', '/register/dcr.other', auth)).status, 401);
  const keep = await http('PUT', uri, json({ client_id: r.client_id, client_secret: r.client_secret,
    client_name: 'Mitra Baru', redirect_uris: ['https://mitra.example.go.id/cb2'],
    grant_types: ['authorization_code', 'refresh_token'] }, r.registration_access_token));
  assert.equal(keep.status, 200, keep.text);
  assert.equal(keep.json.client_name, 'Mitra Baru');
  assert.equal(keep.json.client_secret, undefined, 'same secret kept');
  const wrong = await http('PUT', uri, json({ client_id: r.client_id, client_secret: 'nope',
    redirect_uris: ['https://mitra.example.go.id/cb'] }, r.registration_access_token));
  assert.equal(wrong.json.error, 'invalid_client_metadata');
  const badUri = await http('PUT', uri, json({ client_id: r.client_id,
    redirect_uris: ['http://evil.example/cb'] }, r.registration_access_token));
  assert.equal(badUri.json.error, 'invalid_redirect_uri');
  const otherId = await http('PUT', uri, json({ client_id: 'someone-else',
    redirect_uris: ['https://mitra.example.go.id/cb'] }, r.registration_access_token));
  assert.equal(otherId.status, 400);
  const rotate = await http('PUT', uri, json({ client_id: r.client_id,
    redirect_uris: ['https://mitra.example.go.id/cb'] }, r.registration_access_token));
  assert.equal(rotate.status, 200, rotate.text);
  assert.ok(rotate.json.client_secret && rotate.json.client_secret !== r.client_secret);
  const user = makeUser();
  const client = { id: r.client_id, secret: rotate.json.client_secret, redirect: 'https://mitra.example.go.id/cb' };
  const jar = newJar();
  const page = await http('GET', authorizeUrl(client, { scope: 'openid profile email' }), { jar });
  const consent = await submitLogin(jar, page, user.username, user.password);
  const done = await http('POST', '/consent', { jar, form: { ...formInputs(consent.text), decision: 'allow' } });
  const code = callback(done.location).code;
  const old = await exchange({ ...client, secret: r.client_secret }, code, undefined);
  assert.equal(old.status, 401, 'the old secret no longer works');
  const del = await http('DELETE', uri, auth);
  assert.equal(del.status, 204);
  assert.equal((await http('GET', uri, auth)).status, 401);
  assert.equal(psql(`SELECT count(*) FROM clients WHERE client_id = '${r.client_id}'`), '0');
});

// The services of this file call the shared API (uji.read, uji.write),
// which allows the clients of TEST_ORG.
const API = sharedApi();

function ccClient(opts = {}) {
  return makeClient({ grants: ['client_credentials'], redirects: [], scope: opts.scope ?? 'uji.read uji.write',
    atFormat: opts.atFormat, org: TEST_ORG, ...opts });
}

async function cc(client, scope, extra = {}) {
  const form = { grant_type: 'client_credentials', ...extra };
  if (scope !== undefined) form.scope = scope;
  return http('POST', '/token', { form, headers: { authorization: basic(client) } });
}

async function introspect(client, token, hint) {
  const form = { token };
  if (hint) form.token_type_hint = hint;
  return http('POST', '/introspect', { form, headers: { authorization: basic(client) } });
}

async function revoke(client, token, hint) {
  const form = { token };
  if (hint) form.token_type_hint = hint;
  return http('POST', '/revoke', { form, headers: { authorization: basic(client) } });
}

test('client_credentials: allowed scopes granted, others refused; opaque and JWT tokens', async () => {
  const svc = ccClient();
  const r = await cc(svc, 'uji.read');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.scope, 'uji.read');
  assert.equal(r.json.refresh_token, undefined);
  assert.equal(r.json.id_token, undefined);
  assert.equal((await cc(svc, 'uji.admin')).json.error, 'invalid_scope');
  assert.equal((await cc(svc, 'openid')).json.error, 'invalid_scope');
  const all = await cc(svc);
  assert.equal(all.json.scope, 'uji.read uji.write');
  const jwtSvc = ccClient({ atFormat: 'jwt' });
  const j = await cc(jwtSvc, 'uji.read', { resource: API.resource });
  assert.equal(j.status, 200, j.text);
  const { header, payload } = decodeJwt(j.json.access_token);
  assert.equal(header.typ, 'at+jwt');
  assert.equal(header.alg, 'ES256');
  assert.equal(payload.iss, ISSUER);
  assert.equal(payload.aud, API.resource);
  assert.equal(payload.client_id, jwtSvc.id);
  assert.equal(payload.sub, jwtSvc.id);
  assert.equal(payload.scope, 'uji.read');
  assert.ok(payload.jti && payload.exp > payload.iat);
  const jwk = (await http('GET', '/jwks')).json.keys.find((k) => k.kid === header.kid);
  const [h, p, s] = j.json.access_token.split('.');
  assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey({ key: jwk, format: 'jwk' }),
    dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')));
  const loginClient = makeClient();
  const nope = await http('POST', '/token', { form: { grant_type: 'client_credentials' },
    headers: { authorization: basic(loginClient) } });
  assert.equal(nope.json.error, 'unauthorized_client');
});

test('introspection: a resource server sees the tokens for it, a client its own; refresh tokens only for their client', async () => {
  const scope = `${unique('rs')}.read`;
  const rs = makeApi({ id: unique('rs-'), scopes: [scope], orgs: [TEST_ORG] });
  const svc = ccClient({ scope: `${scope} uji.read` });
  const opaque = (await cc(svc, `${scope} uji.read`)).json.access_token;
  const a = await introspect(rs, opaque);
  assert.equal(a.status, 200);
  assert.equal(a.headers.get('cache-control'), 'no-store');
  assert.equal(a.json.active, true);
  assert.equal(a.json.client_id, svc.id);
  assert.equal(a.json.scope, scope, "a resource server sees only its own API scopes");
  assert.equal(a.json.aud, rs.resource);
  assert.equal(a.json.token_type, 'Bearer');
  assert.ok(a.json.exp > Date.now() / 1000);
  const own = await introspect(svc, opaque);
  assert.equal(own.json.active, true, 'a client sees its own token');
  assert.equal(own.json.scope, `${scope} uji.read`);
  assert.deepEqual(own.json.aud, [rs.resource, API.resource]);
  const bystander = ccClient();
  assert.deepEqual((await introspect(bystander, opaque)).json, { active: false },
    'a client that is neither the owner nor the audience sees nothing');
  const jwtSvc = ccClient({ atFormat: 'jwt', scope });
  const jwt = (await cc(jwtSvc, scope)).json.access_token;
  assert.equal(decodeJwt(jwt).payload.aud, rs.resource);
  const aj = await introspect(rs, jwt);
  assert.equal(aj.json.active, true);
  assert.ok(aj.json.jti);
  for (const t of ['garbage', 'A'.repeat(43), `${jwt.slice(0, -4)}AAAA`, 'a.b.c']) {
    const r = await introspect(rs, t);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { active: false });
  }
  const user = makeUser();
  const web = makeClient();
  const s = await signIn(newJar(), web, user);
  const t = (await exchange(web, s.params.code, s.verifier)).json;
  assert.deepEqual((await introspect(rs, t.access_token)).json, { active: false },
    "the provider's own token (identity scopes only) is for its client alone");
  const ua = await introspect(web, t.access_token);
  assert.equal(ua.json.active, true);
  assert.equal(ua.json.sub, user.sub);
  assert.equal(ua.json.username, user.username);
  assert.equal(ua.json.aud, web.id);
  assert.equal((await introspect(web, t.refresh_token, 'refresh_token')).json.active, true);
  assert.equal((await introspect(rs, t.refresh_token)).json.active, false,
    "another client's refresh token is inactive for it");
  psql(`UPDATE access_tokens SET expires_at = now() - interval '1 s' WHERE client_id = '${svc.id}'`);
  assert.equal((await introspect(rs, opaque)).json.active, false, 'expired');
  const noAuth = await http('POST', '/introspect', { form: { token: opaque } });
  assert.equal(noAuth.status, 401);
  assert.equal((await http('POST', '/introspect', { form: { }, headers: { authorization: basic(rs) } })).status, 400);
  const pub = makeClient({ auth: 'none' });
  const pubr = await http('POST', '/introspect', { form: { token: opaque, client_id: pub.id } });
  assert.equal(pubr.status, 401, 'public clients may not introspect');
});

test('revocation: access tokens, refresh tokens end their access tokens, others untouched', async () => {
  const svc = ccClient();
  const other = ccClient();
  const t1 = (await cc(svc, 'uji.read')).json.access_token;
  assert.equal((await revoke(other, t1)).status, 200, 'always 200');
  assert.equal((await introspect(svc, t1)).json.active, true, "another client's token is untouched");
  assert.equal((await revoke(svc, t1, 'access_token')).status, 200);
  assert.equal((await introspect(svc, t1)).json.active, false);
  const jwtSvc = ccClient({ atFormat: 'jwt' });
  const j = (await cc(jwtSvc, 'uji.read')).json.access_token;
  assert.equal((await revoke(jwtSvc, j)).status, 200);
  assert.equal((await introspect(jwtSvc, j)).json.active, false, 'revoked JWT access token');
  const user = makeUser();
  const web = makeClient();
  const s = await signIn(newJar(), web, user);
  const t = (await exchange(web, s.params.code, s.verifier)).json;
  assert.equal((await userinfo(t.access_token)).status, 200);
  assert.equal((await revoke(web, t.refresh_token, 'refresh_token')).status, 200);
  assert.equal((await refresh(web, t.refresh_token)).json.error, 'invalid_grant');
  assert.equal((await userinfo(t.access_token)).status, 401, 'its access token ends too');
  assert.equal((await revoke(web, 'unknown-token')).status, 200);
  assert.equal((await http('POST', '/revoke', { form: { token: 'x' } })).status, 401);
  assert.equal((await http('POST', '/revoke', { form: {}, headers: { authorization: basic(web) } })).status, 400);
});

// A service with its own key pair: private_key_jwt (RFC 7523).
test('private_key_jwt: good assertion, replayed jti, wrong aud, expired, wrong key', async () => {
  const kp = keyPair();
  const t = iat('1');
  const r = await reg({ client_name: 'Layanan Kunci', grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [kp.jwk] }, scope: 'uji.read' }, t);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.client_secret, undefined);
  const id = r.json.client_id;
  const good = assertion(kp, id);
  const ok = await pkjwt(id, good);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.scope, 'uji.read');
  const replay = await pkjwt(id, good);
  assert.equal(replay.status, 401);
  assert.equal(replay.json.error, 'invalid_client');
  assert.equal((await pkjwt(id, assertion(kp, id, { aud: 'https://elsewhere.example' }))).json.error, 'invalid_client');
  const past = Math.floor(Date.now() / 1000) - 3600;
  assert.equal((await pkjwt(id, assertion(kp, id, { iat: past, exp: past + 60 }))).json.error, 'invalid_client');
  assert.equal((await pkjwt(id, assertion(kp, id, { exp: Math.floor(Date.now() / 1000) + 7200 }))).json.error,
    'invalid_client', 'too long-lived');
  assert.equal((await pkjwt(id, assertion(kp, id, { jti: undefined }))).json.error, 'invalid_client');
  assert.equal((await pkjwt(id, assertion(keyPair(), id))).json.error, 'invalid_client', 'another key');
  assert.equal((await pkjwt(id, assertion(kp, 'someone-else'))).json.error, 'invalid_client');
  assert.equal((await pkjwt(id, `${good.split('.')[0]}.e30.AAAA`)).json.error, 'invalid_client');
  const issuerAud = await pkjwt(id, assertion(kp, id, { aud: ISSUER }));
  assert.equal(issuerAud.status, 200, 'the issuer is an accepted audience');
  const intro = await pkjwt(id, assertion(kp, id, { aud: `${ISSUER}/introspect` }), '/introspect',
    { token: ok.json.access_token });
  assert.equal(intro.json.active, true);
});

test('private_key_jwt with a jwks_uri the provider fetches', async () => {
  const kp = keyPair();
  let served = { keys: [kp.jwk] };
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(served));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const jwksUri = `http://127.0.0.1:${server.address().port}/jwks`;
    const r = await reg({ client_name: 'Layanan JWKS URI', grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'private_key_jwt', jwks_uri: jwksUri, scope: 'uji.read' }, iat('1'));
    assert.equal(r.status, 201, r.text);
    const id = r.json.client_id;
    assert.equal((await pkjwt(id, assertion(kp, id))).status, 200);
    assert.equal((await pkjwt(id, assertion(kp, id))).status, 200);
    assert.equal(hits, 1, 'the key set is cached');
    const kp2 = keyPair();
    served = { keys: [kp.jwk, kp2.jwk] };
    // An unknown kid refetches at most once a minute per URI: within the
    // minute the new key is not seen yet and nothing is fetched.
    const rotated = await pkjwt(id, assertion(kp2, id));
    assert.equal(rotated.status, 401);
    assert.equal(hits, 1);
    psql(`UPDATE client_assertion_jtis SET expires_at = expires_at WHERE client_id = '${id}'`);
  } finally {
    server.close();
  }
});

test('consent withdrawn on the account page ends the client\'s tokens; idpctl can withdraw too', async () => {
  const user = makeUser();
  const client = makeClient({ firstParty: false, name: 'Aplikasi Pihak Ketiga',
    scope: 'openid profile email organisation offline_access' });
  const jar = newJar();
  const page = await http('GET', authorizeUrl(client, { scope: 'openid profile offline_access',
    prompt: 'consent' }), { jar });
  const consent = await submitLogin(jar, page, user.username, user.password);
  const r = await http('POST', '/consent', { jar, form: { ...formInputs(consent.text), decision: 'allow' } });
  const { code } = callback(r.location);
  const t = (await exchange(client, code, undefined)).json;
  assert.ok(t.refresh_token, 'offline_access with prompt=consent: a refresh token');
  assert.equal((await userinfo(t.access_token)).status, 200);
  const account = await http('GET', '/account', { jar });
  assert.equal(account.status, 200);
  assert.match(account.text, /Aplikasi Pihak Ketiga/);
  const forms = [...account.text.matchAll(/<form method="post" action="\/account">(.*?)<\/form>/g)];
  assert.equal(forms.length, 1);
  const f = formInputs(forms[0][1]);
  const forged = await http('POST', '/account', { jar, form: { ...f, csrf_token: 'x' } });
  assert.equal(forged.status, 400);
  const ask = await http('POST', '/account', { jar, form: f });
  assert.equal(ask.status, 200, 'withdrawing asks first');
  assert.match(ask.text, /Cabut izin untuk Aplikasi Pihak Ketiga\?/);
  assert.equal(psql(`SELECT count(*) FROM consents WHERE client_id = '${client.id}'`), '1',
    'nothing is withdrawn before the confirmation');
  const forgedConfirm = await http('POST', '/account', { jar,
    form: { ...formInputs(ask.text), csrf_token: 'x' } });
  assert.equal(forgedConfirm.status, 400);
  const w = await http('POST', '/account', { jar, form: formInputs(ask.text) });
  assert.equal(w.status, 303);
  assert.equal(w.location, '/account');
  const done = await http('GET', '/account', { jar });
  assert.match(done.text, /role="status">Izin sudah dicabut/, 'a flash message says so once');
  assert.doesNotMatch((await http('GET', '/account', { jar })).text, /Izin sudah dicabut/);
  assert.equal((await refresh(client, t.refresh_token)).json.error, 'invalid_grant');
  assert.equal((await userinfo(t.access_token)).status, 401);
  assert.equal(psql(`SELECT count(*) FROM consents WHERE client_id = '${client.id}'`), '0');
  const again = await http('GET', authorizeUrl(client), { jar });
  assert.equal(again.status, 200, 'consent is asked again');
  assert.match(again.text, /meminta izin/);
  const signedOut = await http('GET', '/account', { jar: newJar() });
  assert.equal(signedOut.status, 303, 'signed out: sent to sign in first');
  assert.equal(signedOut.location, '/login?next=%2Faccount');
  const allow = await http('POST', '/consent', { jar, form: { ...formInputs(again.text), decision: 'allow' } });
  assert.equal(allow.status, 302);
  const list = idpctl(['--json', 'consent', 'list', user.username]);
  assert.equal(list.json.consents[0].client_id, client.id);
  assert.equal(idpctl(['consent', 'revoke', user.username, client.id]).status, 0);
  assert.equal(idpctl(['consent', 'revoke', user.username, client.id]).status, 1);
});

test('logout: with a hint at once, otherwise after confirmation; redirect only to registered URIs', async () => {
  const user = makeUser();
  const client = makeClient({ name: 'Layanan Keluar' });
  idpctl(['client', 'remove', client.id]);
  const r = idpctl(['--json', 'client', 'add', client.id, '--name', 'Layanan Keluar',
    '--redirect-uri', client.redirect, '--post-logout-uri', 'https://rp.example.go.id/bye', '--first-party',
    '--scope', 'openid profile email organisation']);
  client.secret = r.json.client_secret;
  const jar = newJar();
  const s = await signIn(jar, client, user);
  const t = (await exchange(client, s.params.code, s.verifier)).json;
  const bad = await http('GET', `/logout?id_token_hint=${t.id_token}&post_logout_redirect_uri=${
    encodeURIComponent('https://evil.example/')}`, { jar });
  assert.equal(bad.status, 400);
  const confirm = await http('GET', '/logout', { jar });
  assert.equal(confirm.status, 200, 'no hint: a confirmation page');
  assert.equal((await http('GET', authorizeUrl(client, { prompt: 'none' }), { jar })).status, 302);
  const out = await http('GET', `/logout?id_token_hint=${t.id_token}&post_logout_redirect_uri=${
    encodeURIComponent('https://rp.example.go.id/bye')}&state=z`, { jar });
  assert.equal(out.status, 302);
  assert.equal(out.location, 'https://rp.example.go.id/bye?state=z');
  const after = await http('GET', authorizeUrl(client, { prompt: 'none' }), { jar });
  assert.equal(callback(after.location).error, 'login_required', 'the session ended');
  const jar2 = newJar();
  await signIn(jar2, client, user);
  const page = await http('GET', '/logout', { jar: jar2 });
  const done = await http('POST', '/logout', { jar: jar2, form: formInputs(page.text) });
  assert.equal(done.status, 200);
  assert.equal(callback((await http('GET', authorizeUrl(client, { prompt: 'none' }), { jar: jar2 })).location).error,
    'login_required');
});
