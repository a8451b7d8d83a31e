// DPoP (RFC 9449): proofs at /token (code, refresh, client_credentials)
// and /par, DPoP-bound access tokens (token_type DPoP, cnf.jkt in JWTs
// and introspection), bound refresh tokens of public clients, dpop_jkt,
// server nonces that every instance accepts, replay protection in the
// database, the DPoP scheme at userinfo, and every rule a proof must pass.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { ISSUER, decodeJwt, http, pkce, psql, sleep, startIdp, unique } from './lib.mjs';
import { REDIRECT, authorizeUrl, basic, callback, makeClient, makeUser, newJar, signIn,
  submitLogin } from './flow.mjs';
import { dpopKey, jkt, proof, withNonce } from './pop.mjs';
import { TEST_ORG, sharedApi } from './rp.mjs';

// uji.read: the shared test API's scope, offered to TEST_ORG's services.
sharedApi();

const user = makeUser();
const TOKEN = `${ISSUER}/token`;
let lax;	// an instance that needs no nonce: proofs vouch by iat alone
let twin;	// another instance of the same issuer on the same database

before(async () => {
  lax = await startIdp({ IDP_DPOP_REQUIRE_NONCE: 'false', IDP_DPOP_PROOF_MAX_AGE: '30' });
  twin = await startIdp({ IDP_ISSUER: ISSUER, IDP_PURGE_INTERVAL: '1' });
});

after(async () => {
  await lax?.stop();
  await twin?.stop();
});

const form = (client, f) => {
  const headers = client.secret ? { authorization: basic(client) } : {};
  return { headers, form: client.secret ? f : { ...f, client_id: client.id } };
};

// A token request with a proof of key (nonce handled as clients do).
async function tokenRequest(client, key, f, base = ISSUER) {
  const { r } = await withNonce(key, () => ({ method: 'POST', url: `${base}/token`,
    opts: form(client, f) }));
  return r;
}

async function codeFor(client, extra = {}) {
  const s = await signIn(newJar(), client, user, extra);
  assert.ok(s.params.code, JSON.stringify(s.params));
  return s;
}

const codeForm = (client, s) => ({ grant_type: 'authorization_code', code: s.params.code,
  redirect_uri: client.redirect, code_verifier: s.verifier });

// GET /userinfo with the DPoP scheme and a proof (nonce handled).
async function userinfoDpop(token, key, opts = {}) {
  const { r } = await withNonce(key, (nonce) => ({ method: 'GET', url: '/userinfo',
    opts: { headers: { authorization: `DPoP ${token}` }, accessToken: opts.ath ?? token } }));
  return r;
}

test('discovery lists the proof algorithms', async () => {
  const m = (await http('GET', '/.well-known/openid-configuration')).json;
  assert.deepEqual(m.dpop_signing_alg_values_supported, ['ES256', 'PS256', 'RS256', 'EdDSA']);
});

test('RFC 9449 §5: a code exchange with a proof gets a DPoP-bound token; userinfo needs the DPoP scheme', async () => {
  const client = makeClient({ atFormat: 'jwt' });
  const key = dpopKey();
  const s = await codeFor(client);
  // Without a nonce first: the provider asks for one (§8), with its value.
  const first = await http('POST', '/token', { ...form(client, codeForm(client, s)),
    headers: { authorization: basic(client), dpop: proof(key, 'POST', TOKEN) } });
  assert.equal(first.status, 400);
  assert.equal(first.json.error, 'use_dpop_nonce');
  const nonce = first.headers.get('dpop-nonce');
  assert.match(nonce, /^[A-Za-z0-9_-]{32}$/);
  // The code was not used up by that.
  const t = await http('POST', '/token', { ...form(client, codeForm(client, s)),
    headers: { authorization: basic(client), dpop: proof(key, 'POST', TOKEN, { nonce }) } });
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.token_type, 'DPoP');
  assert.equal(t.headers.get('dpop-nonce'), nonce);
  assert.equal(decodeJwt(t.json.access_token).payload.cnf.jkt, jkt(key));
  // Confidential client: its refresh token is not bound (§5).
  assert.equal(psql(`SELECT count(*) FROM refresh_tokens WHERE client_id = '${client.id}'
    AND jkt IS NULL`), '1');

  const ok = await userinfoDpop(t.json.access_token, key);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.sub, user.sub);
  // §7.2: a bound token is no bearer token.
  const bearer = await http('GET', '/userinfo', { headers: { authorization: `Bearer ${t.json.access_token}` } });
  assert.equal(bearer.status, 401);
  assert.match(bearer.headers.get('www-authenticate'), /^DPoP error="invalid_token", .*algs="ES256 PS256 RS256"/);
  const posted = await http('POST', '/userinfo', { form: { access_token: t.json.access_token } });
  assert.equal(posted.status, 401);
  // Introspection (§6.2).
  const i = await http('POST', '/introspect', { form: { token: t.json.access_token },
    headers: { authorization: basic(client) } });
  assert.equal(i.json.active, true);
  assert.equal(i.json.token_type, 'DPoP');
  assert.deepEqual(i.json.cnf, { jkt: jkt(key) });
});

test('opaque access tokens keep the thumbprint; a Bearer request stays Bearer', async () => {
  const client = makeClient();
  const key = dpopKey('PS256');
  const t = await tokenRequest(client, key, codeForm(client, await codeFor(client)));
  assert.equal(t.json.token_type, 'DPoP');
  assert.equal(psql(`SELECT jkt FROM access_tokens WHERE client_id = '${client.id}'`), jkt(key));
  assert.equal((await userinfoDpop(t.json.access_token, key)).status, 200);
  const i = await http('POST', '/introspect', { form: { token: t.json.access_token },
    headers: { authorization: basic(client) } });
  assert.deepEqual(i.json.cnf, { jkt: jkt(key) });
  // Without a proof: a bearer token, as ever; the DPoP scheme is refused for it.
  const plain = (await http('POST', '/token', form(client, codeForm(client, await codeFor(client))))).json;
  assert.equal(plain.token_type, 'Bearer');
  const r = await userinfoDpop(plain.access_token, key);
  assert.equal(r.status, 401);
  assert.match(r.headers.get('www-authenticate'), /^DPoP error="invalid_token"/);
  const i2 = await http('POST', '/introspect', { form: { token: plain.access_token },
    headers: { authorization: basic(client) } });
  assert.equal(i2.json.token_type, 'Bearer');
  assert.equal(i2.json.cnf, undefined);
});

test('userinfo: every rule of a proof with an access token (ath, key, htm, htu, replay, nonce)', async () => {
  const client = makeClient();
  const key = dpopKey();
  const t = await tokenRequest(client, key, codeForm(client, await codeFor(client)));
  const at = t.json.access_token;
  const { nonce } = await withNonce(key, () => ({ method: 'GET', url: '/userinfo',
    opts: { headers: { authorization: `DPoP ${at}` }, accessToken: at } }));
  const url = `${ISSUER}/userinfo`;
  const send = (dpop, scheme = 'DPoP') => http('GET', '/userinfo',
    { headers: { authorization: `${scheme} ${at}`, ...(dpop ? { dpop } : {}) } });
  const refused = async (dpop, error, what) => {
    const r = await send(dpop);
    assert.equal(r.status, 401, `${what}: ${r.text}`);
    assert.equal(r.json.error, error, what);
    assert.match(r.headers.get('www-authenticate'), new RegExp(`^DPoP error="${error}"`), what);
  };
  await refused(null, 'invalid_dpop_proof', 'no proof');
  await refused(proof(key, 'GET', url, { nonce }), 'invalid_dpop_proof', 'no ath');
  await refused(proof(key, 'GET', url, { nonce, accessToken: `${at}x` }), 'invalid_dpop_proof', 'wrong ath');
  await refused(proof(dpopKey(), 'GET', url, { nonce, accessToken: at }), 'invalid_dpop_proof', 'other key');
  await refused(proof(key, 'POST', url, { nonce, accessToken: at }), 'invalid_dpop_proof', 'htm');
  await refused(proof(key, 'GET', `${ISSUER}/token`, { nonce, accessToken: at }), 'invalid_dpop_proof', 'htu');
  await refused(proof(key, 'GET', url, { accessToken: at }), 'use_dpop_nonce', 'no nonce');
  const nn = await send(proof(key, 'GET', url, { accessToken: at }));
  assert.equal(nn.headers.get('dpop-nonce'), nonce);
  // The query does not count in htu.
  assert.equal((await send(proof(key, 'GET', `${url}?x=1`, { nonce, accessToken: at }))).status, 200);
  const once = proof(key, 'GET', url, { nonce, accessToken: at });
  assert.equal((await send(once)).status, 200);
  await refused(once, 'invalid_dpop_proof', 'replay');
  // The DPoP header twice (§4.3: not more than one).
  const twice = await new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `DPoP ${at}`,
      dpop: [proof(key, 'GET', url, { nonce, accessToken: at }),
        proof(key, 'GET', url, { nonce, accessToken: at })] } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(twice, 400);
  // No credentials at all: both schemes offered.
  const none = await http('GET', '/userinfo');
  assert.match(none.headers.get('www-authenticate'), /^Bearer realm="[^"]+", DPoP algs="ES256 PS256 RS256"$/);
});

test('token endpoint: every rule of a proof, answered invalid_dpop_proof', async () => {
  const client = makeClient({ grants: ['client_credentials'], scope: 'uji.read', org: TEST_ORG, redirects: [] });
  const key = dpopKey();
  const f = form(client, { grant_type: 'client_credentials' });
  const { r: ok, nonce } = await withNonce(key, () => ({ method: 'POST', url: '/token', opts: f }));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.token_type, 'DPoP');
  const priv = { ...key.jwk, d: 'AAAA' };
  const now = Math.floor(Date.now() / 1000);
  const bad = [
    ['not a JWT', 'not-a-jwt'],
    ['two parts', 'eyJ0eXAiOiJkcG9wK2p3dCJ9.e30'],
    ['typ', proof(key, 'POST', TOKEN, { nonce, header: { typ: 'JWT' } })],
    ['no typ', proof(key, 'POST', TOKEN, { nonce, header: { typ: undefined } })],
    ['alg none', proof(key, 'POST', TOKEN, { nonce, header: { alg: 'none' } })],
    ['HS256', proof(key, 'POST', TOKEN, { nonce, header: { alg: 'HS256' }, sigAlg: 'HS256' })],
    ['private jwk', proof(key, 'POST', TOKEN, { nonce, header: { jwk: priv } })],
    ['no jwk', proof(key, 'POST', TOKEN, { nonce, header: { jwk: undefined } })],
    ['other signer', proof(key, 'POST', TOKEN, { nonce, signer: dpopKey() })],
    ['htm', proof(key, 'GET', TOKEN, { nonce })],
    ['htu', proof(key, 'POST', `${ISSUER}/par`, { nonce })],
    ['htu host', proof(key, 'POST', 'https://evil.example/token', { nonce })],
    ['no jti', proof(key, 'POST', TOKEN, { nonce, claims: { jti: undefined } })],
    ['long jti', proof(key, 'POST', TOKEN, { nonce, claims: { jti: 'j'.repeat(300) } })],
    ['no iat', proof(key, 'POST', TOKEN, { nonce, claims: { iat: undefined } })],
    ['ath at /token', proof(key, 'POST', TOKEN, { nonce, accessToken: 'x' })],
  ];
  for (const [what, dpop] of bad) {
    const r = await http('POST', '/token', { ...f, headers: { ...f.headers, dpop } });
    assert.equal(r.status, 400, `${what}: ${r.text}`);
    assert.equal(r.json.error, 'invalid_dpop_proof', what);
    assert.ok(r.json.error_description, what);
  }
  const stale = await http('POST', '/token', { ...f, headers: { ...f.headers,
    dpop: proof(key, 'POST', TOKEN, { nonce: 'A'.repeat(32) }) } });
  assert.equal(stale.json.error, 'use_dpop_nonce');
  assert.equal(stale.headers.get('dpop-nonce'), nonce);
  // Replay: the second use of one proof.
  const once = proof(key, 'POST', TOKEN, { nonce });
  assert.equal((await http('POST', '/token', { ...f, headers: { ...f.headers, dpop: once } })).status, 200);
  const again = await http('POST', '/token', { ...f, headers: { ...f.headers, dpop: once } });
  assert.equal(again.json.error, 'invalid_dpop_proof');
  assert.match(again.json.error_description, /used before/);
  // A nonce vouches for a proof whatever its iat (a device with a wrong clock).
  const skewed = proof(key, 'POST', TOKEN, { nonce, claims: { iat: now - 86400 } });
  assert.equal((await http('POST', '/token', { ...f, headers: { ...f.headers, dpop: skewed } })).status, 200);
  // client_credentials tokens are bound too, and introspect so.
  const i = await http('POST', '/introspect', { form: { token: ok.json.access_token },
    headers: { authorization: basic(client) } });
  assert.deepEqual(i.json.cnf, { jkt: jkt(key) });
});

test('without nonces, iat decides: too old and too far ahead are refused', async () => {
  const client = makeClient({ grants: ['client_credentials'], scope: 'uji.read', org: TEST_ORG, redirects: [] });
  const key = dpopKey();
  const url = `${lax.url}/token`;
  const f = form(client, { grant_type: 'client_credentials' });
  const now = Math.floor(Date.now() / 1000);
  const send = (claims) => http('POST', url, { ...f, headers: { ...f.headers,
    dpop: proof(key, 'POST', url, { claims }) } });
  assert.equal((await send({})).json.token_type, 'DPoP');
  assert.equal((await send({ iat: now - 20 })).status, 200);
  assert.equal((await send({ iat: now - 45 })).json.error, 'invalid_dpop_proof');
  assert.equal((await send({ iat: now + 30 })).status, 200);
  assert.equal((await send({ iat: now + 120 })).json.error, 'invalid_dpop_proof');
  assert.equal((await send({ iat: 'now' })).json.error, 'invalid_dpop_proof');
});

test('nonces and replay hold across instances: no state but the database', async () => {
  const client = makeClient({ grants: ['client_credentials'], scope: 'uji.read', org: TEST_ORG, redirects: [] });
  const key = dpopKey();
  const f = form(client, { grant_type: 'client_credentials' });
  const { nonce } = await withNonce(key, () => ({ method: 'POST', url: '/token', opts: f }));
  // The twin (same issuer, so the same htu) takes the nonce of the first.
  const p = proof(key, 'POST', TOKEN, { nonce });
  const there = await http('POST', `${twin.url}/token`, { ...f, headers: { ...f.headers, dpop: p } });
  assert.equal(there.status, 200, there.text);
  assert.equal(there.headers.get('dpop-nonce'), nonce);
  const here = await http('POST', '/token', { ...f, headers: { ...f.headers, dpop: p } });
  assert.equal(here.json.error, 'invalid_dpop_proof', 'replayed to another instance');
  // Housekeeping forgets jtis once no proof with them could be accepted.
  psql(`INSERT INTO dpop_jtis (jkt, jti, expires_at) VALUES ('${'x'.repeat(43)}', 'old', now() - interval '1 minute')`);
  for (let i = 0; i < 50 && psql("SELECT count(*) FROM dpop_jtis WHERE jti = 'old'") !== '0'; i++)
    await sleep(100);
  assert.equal(psql("SELECT count(*) FROM dpop_jtis WHERE jti = 'old'"), '0');
  assert.notEqual(psql(`SELECT count(*) FROM dpop_jtis WHERE jkt = '${jkt(key)}'`), '0');
});

test('RFC 9449 §5: a public client\'s refresh token is bound to its key', async () => {
  const client = makeClient({ auth: 'none' });
  const key = dpopKey();
  const t = await tokenRequest(client, key, codeForm(client, await codeFor(client)));
  assert.equal(t.json.token_type, 'DPoP');
  assert.equal(psql(`SELECT jkt FROM refresh_tokens WHERE client_id = '${client.id}'`), jkt(key));
  const rf = { grant_type: 'refresh_token', refresh_token: t.json.refresh_token };
  // Without a proof, or with another key: refused, and the token is not used up.
  const none = await http('POST', '/token', form(client, rf));
  assert.equal(none.json.error, 'invalid_grant');
  assert.match(none.json.error_description, /bound to a DPoP key/);
  assert.equal((await tokenRequest(client, dpopKey(), rf)).json.error, 'invalid_grant');
  const ok = await tokenRequest(client, key, rf);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.token_type, 'DPoP');
  assert.notEqual(ok.json.refresh_token, t.json.refresh_token);
  // And a used one is still a reuse (the grant ends).
  assert.equal((await tokenRequest(client, key, rf)).json.error, 'invalid_grant');
  assert.equal((await tokenRequest(client, key, { ...rf, refresh_token: ok.json.refresh_token }))
    .json.error, 'invalid_grant');
});

test('a confidential client may refresh with a new key, or without DPoP', async () => {
  const client = makeClient();
  const t = await tokenRequest(client, dpopKey(), codeForm(client, await codeFor(client)));
  const other = dpopKey();
  const r1 = await tokenRequest(client, other, { grant_type: 'refresh_token', refresh_token: t.json.refresh_token });
  assert.equal(r1.json.token_type, 'DPoP');
  assert.equal(decodeJwt(r1.json.id_token).payload.sub, user.sub);
  assert.equal((await userinfoDpop(r1.json.access_token, other)).status, 200);
  const r2 = await http('POST', '/token', form(client, { grant_type: 'refresh_token',
    refresh_token: r1.json.refresh_token }));
  assert.equal(r2.json.token_type, 'Bearer');
});

test('RFC 9449 §10: dpop_jkt binds the code to a key', async () => {
  const client = makeClient();
  const key = dpopKey();
  const s = await codeFor(client, { dpop_jkt: jkt(key) });
  assert.equal(psql(`SELECT dpop_jkt FROM authorization_codes WHERE client_id = '${client.id}'`), jkt(key));
  const none = await http('POST', '/token', form(client, codeForm(client, s)));
  assert.equal(none.json.error, 'invalid_grant');
  assert.equal((await tokenRequest(client, dpopKey(), codeForm(client, s))).json.error, 'invalid_grant');
  const ok = await tokenRequest(client, key, codeForm(client, s));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.token_type, 'DPoP');
  // Malformed: back to the client as invalid_request.
  const r = await http('GET', authorizeUrl(client, { dpop_jkt: 'abc' }), { jar: newJar() });
  assert.equal(callback(r.location).error, 'invalid_request');
  // A login page on the way keeps the binding.
  const other = makeClient();
  const page = await http('GET', authorizeUrl(other, { dpop_jkt: jkt(key) }), { jar: newJar() });
  assert.equal(page.status, 200);
  assert.equal(psql(`SELECT params->>'dpop_jkt' FROM login_requests WHERE client_id = '${other.id}'`),
    jkt(key));
});

test('RFC 9449 §10.1: a proof at /par binds the code; a dpop_jkt must match it', async () => {
  const client = makeClient();
  const key = dpopKey();
  const { challenge, verifier } = pkce();
  const params = { response_type: 'code', client_id: client.id, redirect_uri: REDIRECT, scope: 'openid',
    state: unique('st'), code_challenge: challenge, code_challenge_method: 'S256' };
  const { r: pushed } = await withNonce(key, () => ({ method: 'POST', url: '/par',
    opts: { form: params, headers: { authorization: basic(client) } } }));
  assert.equal(pushed.status, 201, pushed.text);
  const jar = newJar();
  let r = await http('GET', `/authorize?${new URLSearchParams({ client_id: client.id,
    request_uri: pushed.json.request_uri })}`, { jar });
  r = await submitLogin(jar, r, user.username, user.password);
  const cb = callback(r.location);
  const f = { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: verifier };
  assert.equal((await http('POST', '/token', form(client, f))).json.error, 'invalid_grant');
  assert.equal((await tokenRequest(client, key, f)).json.token_type, 'DPoP');
  const { r: mismatch } = await withNonce(key, () => ({ method: 'POST', url: '/par',
    opts: { form: { ...params, dpop_jkt: jkt(dpopKey()) }, headers: { authorization: basic(client) } } }));
  assert.equal(mismatch.status, 400);
  assert.equal(mismatch.json.error, 'invalid_dpop_proof');
  const { r: matching } = await withNonce(key, () => ({ method: 'POST', url: '/par',
    opts: { form: { ...params, dpop_jkt: jkt(key) }, headers: { authorization: basic(client) } } }));
  assert.equal(matching.status, 201);
});

test('RFC 9449 §5.2: dpop_bound_access_tokens clients must send a proof', async () => {
  const client = makeClient({ grants: ['client_credentials'], scope: 'uji.read', org: TEST_ORG, redirects: [] });
  psql(`UPDATE clients SET metadata = metadata || '{"dpop_bound_access_tokens": true}'
    WHERE client_id = '${client.id}'`);
  const f = form(client, { grant_type: 'client_credentials' });
  const plain = await http('POST', '/token', f);
  assert.equal(plain.status, 400);
  assert.equal(plain.json.error, 'invalid_request');
  assert.match(plain.json.error_description, /dpop_bound_access_tokens/);
  assert.equal((await tokenRequest(client, dpopKey(), { grant_type: 'client_credentials' })).json.token_type,
    'DPoP');
});
