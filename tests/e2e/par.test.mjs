// Pushed authorization requests (RFC 9126) and request objects (RFC 9101,
// OIDC Core §6): pushing, using a request_uri once, the clients that must
// push, signed requests by value and pushed, and every claim rule, with
// the errors a client or a person sees.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ISSUER, http, idpctl, pkce, psql, startIdp, unique } from './lib.mjs';
import { REDIRECT, basic, callback, exchange, makeClient, makeUser, newJar, submitLogin } from './flow.mjs';
import { iat, keyPair, reg } from './rp.mjs';
import { requestObject } from './pop.mjs';

const dir = mkdtempSync(join(tmpdir(), 'idp-par-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const user = makeUser();
const URN = 'urn:ietf:params:oauth:request_uri:';

// A first-party client from a manifest: metadata members as given.
function manifestClient(extra = {}) {
  const id = unique('par-');
  const file = join(dir, `${id}.json`);
  writeFileSync(file, JSON.stringify({ client_id: id, client_name: `Layanan ${id}`, first_party: true,
    redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'],
    scope: 'openid profile email', ...extra }));
  const r = idpctl(['--json', 'client', 'add', '--manifest', file]);
  assert.equal(r.status, 0, r.stderr);
  return { id, secret: r.json.client_secret, redirect: REDIRECT };
}

function authzParams(client, extra = {}) {
  const { challenge, verifier } = pkce();
  const p = { response_type: 'code', client_id: client.id, redirect_uri: client.redirect,
    scope: 'openid profile', state: unique('st'), nonce: unique('n'), code_challenge: challenge,
    code_challenge_method: 'S256', ...extra };
  for (const [k, v] of Object.entries(p)) if (v === undefined) delete p[k];
  return { params: p, verifier };
}

// POST /par as client (Basic for confidential clients).
async function push(client, form, headers = {}, base = ISSUER) {
  const h = { ...headers };
  if (client.secret && !h.authorization) h.authorization = basic(client);
  return http('POST', `${base}/par`, { form, headers: h });
}

// The front channel from an /authorize URL to the client's callback.
async function signInAt(url, jar = newJar()) {
  let r = await http('GET', url, { jar });
  if (r.status === 200) r = await submitLogin(jar, r, user.username, user.password);
  assert.equal(r.status, 302, `${url}: ${r.status} ${r.text.slice(0, 200)}`);
  return callback(r.location);
}

const authorizeWith = (client, q) => `/authorize?${new URLSearchParams({ client_id: client.id, ...q })}`;

// An error page: no redirect, HTML, the status.
async function assertPage(url, status = 400) {
  const r = await http('GET', url, { jar: newJar() });
  assert.equal(r.status, status, `${url}: ${r.text.slice(0, 200)}`);
  assert.equal(r.location, null, `${url} must not redirect`);
  assert.match(r.headers.get('content-type'), /text\/html/);
  return r;
}

test('discovery advertises PAR and request objects, and that request_uri is only pushed', async () => {
  const m = (await http('GET', '/.well-known/openid-configuration')).json;
  assert.equal(m.pushed_authorization_request_endpoint, `${ISSUER}/par`);
  assert.equal(m.require_pushed_authorization_requests, false);
  assert.equal(m.request_parameter_supported, true);
  assert.equal(m.request_uri_parameter_supported, false);
  assert.deepEqual(m.request_object_signing_alg_values_supported, ['RS256', 'PS256', 'ES256', 'EdDSA']);
  const as = (await http('GET', '/.well-known/oauth-authorization-server')).json;
  assert.equal(as.pushed_authorization_request_endpoint, `${ISSUER}/par`);
});

test('RFC 9126 §2: a pushed request gives a single-use request_uri bound to its client', async () => {
  const client = makeClient();
  const { params, verifier } = authzParams(client);
  const r = await push(client, params);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.match(r.json.request_uri, /^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/);
  assert.equal(r.json.expires_in, 60);
  assert.equal(Object.keys(r.json).length, 2);
  // Only the digest of the reference is kept.
  const ref = r.json.request_uri.slice(URN.length);
  assert.equal(psql(`SELECT count(*) FROM pushed_requests WHERE params::text LIKE '%${ref}%'`), '0');
  // The query's own parameters do not count (RFC 9101 §5): the pushed ones do.
  const cb = await signInAt(authorizeWith(client, { request_uri: r.json.request_uri, state: 'from-query',
    redirect_uri: 'https://evil.example/cb', scope: 'openid email' }));
  assert.equal(cb.state, params.state);
  assert.equal(cb.iss, ISSUER);
  const t = await exchange(client, cb.code, verifier);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.scope, 'openid profile');
  // Used once.
  await assertPage(authorizeWith(client, { request_uri: r.json.request_uri }));
});

test('a public client pushes with its client_id, and PKCE is still required', async () => {
  const client = makeClient({ auth: 'none' });
  const { params, verifier } = authzParams(client);
  const r = await push(client, params);
  assert.equal(r.status, 201, r.text);
  const cb = await signInAt(authorizeWith(client, { request_uri: r.json.request_uri }));
  assert.equal((await exchange(client, cb.code, verifier)).status, 200);
  const bad = await push(client, authzParams(client, { code_challenge: undefined,
    code_challenge_method: undefined }).params);
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error, 'invalid_request');
});

test('RFC 9126 §2.3: bad pushed requests get token-endpoint style errors', async () => {
  const client = makeClient();
  const other = makeClient();
  const { params } = authzParams(client);
  const cases = [
    [{ ...params, client_id: undefined }, {}, 400, 'invalid_request'],
    [{ ...params, client_id: other.id }, {}, 400, 'invalid_request'],
    [{ ...params, request_uri: `${URN}x` }, {}, 400, 'invalid_request'],
    [{ ...params, redirect_uri: 'https://evil.example/cb' }, {}, 400, 'invalid_request'],
    [{ ...params, redirect_uri: undefined }, {}, 400, 'invalid_request'],
    // Unknown values are dropped (OIDC Core §3.1.2.1): nothing left is an error.
    [{ ...params, scope: 'admin' }, {}, 400, 'invalid_scope'],
    [{ ...params, response_type: 'token' }, {}, 400, 'unsupported_response_type'],
    [{ ...params, prompt: 'sometimes' }, {}, 400, 'invalid_request'],
    [{ ...params, dpop_jkt: 'not-a-thumbprint' }, {}, 400, 'invalid_request'],
    [params, { authorization: basic({ id: client.id, secret: 'wrong' }) }, 401, 'invalid_client'],
  ];
  for (const [form, headers, status, error] of cases) {
    for (const k of Object.keys(form)) if (form[k] === undefined) delete form[k];
    const r = await push(client, form, headers);
    assert.equal(r.status, status, `${JSON.stringify(form)}: ${r.text}`);
    assert.equal(r.json.error, error, JSON.stringify(form));
    assert.ok(r.json.error_description);
  }
  // No credentials at all.
  const anon = await http('POST', '/par', { form: params });
  assert.equal(anon.status, 401);
  assert.equal(anon.json.error, 'invalid_client');
  // Not a form; not POST.
  const js = await http('POST', '/par', { body: JSON.stringify(params),
    headers: { 'content-type': 'application/json', authorization: basic(client) } });
  assert.equal(js.status, 400);
  assert.equal(js.json.error, 'invalid_request');
  const get = await http('GET', '/par');
  assert.equal(get.status, 405);
  assert.equal(psql(`SELECT count(*) FROM pushed_requests WHERE client_id = '${client.id}'`), '0');
});

test('RFC 9126 §4: a request_uri that is unknown, expired, another client\'s or not pushed gets a page', async () => {
  const client = makeClient();
  const other = makeClient();
  const r = await push(client, authzParams(client).params);
  assert.equal(r.status, 201);
  // Another client cannot use it, and trying does not use it up.
  await assertPage(authorizeWith(other, { request_uri: r.json.request_uri }));
  await assertPage(`/authorize?request_uri=${encodeURIComponent(r.json.request_uri)}`);
  await assertPage(authorizeWith(client, { request_uri: `${URN}${'A'.repeat(43)}` }));
  await assertPage(authorizeWith(client, { request_uri: `${URN}short` }));
  await assertPage(authorizeWith(client, { request_uri: 'https://rp.example.go.id/request.jwt' }));
  await assertPage(authorizeWith(client, { request_uri: 'urn:example:other' }));
  await assertPage(authorizeWith(client, { request_uri: r.json.request_uri, request: 'a.b.c' }));
  const ok = await signInAt(authorizeWith(client, { request_uri: r.json.request_uri }));
  assert.ok(ok.code);
  // Expired.
  const late = await push(client, authzParams(client).params);
  psql(`UPDATE pushed_requests SET expires_at = now() - interval '1 second'
    WHERE client_id = '${client.id}' AND used_at IS NULL`);
  await assertPage(authorizeWith(client, { request_uri: late.json.request_uri }));
});

test('require_pushed_authorization_requests: the client may only start with a pushed request', async () => {
  const client = manifestClient({ require_pushed_authorization_requests: true });
  const { params, verifier } = authzParams(client);
  const plain = await http('GET', `/authorize?${new URLSearchParams(params)}`, { jar: newJar() });
  assert.equal(plain.status, 302);
  const e = callback(plain.location);
  assert.equal(e.error, 'invalid_request');
  assert.match(e.error_description, /push/);
  assert.equal(e.state, params.state);
  const r = await push(client, params);
  assert.equal(r.status, 201, r.text);
  const cb = await signInAt(authorizeWith(client, { request_uri: r.json.request_uri }));
  assert.equal((await exchange(client, cb.code, verifier)).status, 200);
  // idpctl sets it too, and shows it.
  const id = unique('par-cli-');
  assert.equal(idpctl(['client', 'add', id, '--name', 'Layanan PAR', '--redirect-uri', REDIRECT,
    '--require-par', '--first-party']).status, 0);
  const shown = idpctl(['--json', 'client', 'show', id]).json;
  assert.equal(shown.metadata?.require_pushed_authorization_requests ??
    shown.require_pushed_authorization_requests, true);
  assert.equal(idpctl(['client', 'add', unique('x-'), '--name', 'x', '--redirect-uri', REDIRECT,
    '--request-object-alg', 'none']).status, 1);
});

test('require_pushed_authorization_requests for every client (configuration), in discovery too', async () => {
  const strict = await startIdp({ IDP_REQUIRE_PUSHED_AUTHORIZATION_REQUESTS: 'true' });
  try {
    const m = (await http('GET', `${strict.url}/.well-known/openid-configuration`)).json;
    assert.equal(m.require_pushed_authorization_requests, true);
    const client = makeClient();
    const { params } = authzParams(client);
    const plain = await http('GET', `${strict.url}/authorize?${new URLSearchParams(params)}`);
    assert.equal(callback(plain.location).error, 'invalid_request');
    const r = await push(client, params, {}, strict.url);
    assert.equal(r.status, 201, r.text);
  } finally {
    await strict.stop();
  }
});

// --- request objects --------------------------------------------------

const kp = keyPair();
const otherKp = keyPair();
const jarClient = manifestClient({ jwks: { keys: [kp.jwk] } });

function signedParams(client, claims = {}, opts = {}) {
  const { params, verifier } = authzParams(client);
  delete params.client_id;
  return { request: requestObject(opts.kp ?? kp, client.id, { ...params, ...claims }, opts), verifier,
    params };
}

test('RFC 9101 §5.1: a signed request object by value; its parameters alone count', async () => {
  const { request, verifier, params } = signedParams(jarClient);
  const cb = await signInAt(authorizeWith(jarClient, { request, response_type: 'code',
    scope: 'openid email', state: 'outside', redirect_uri: 'https://evil.example/cb' }));
  assert.equal(cb.state, params.state);
  const t = await exchange(jarClient, cb.code, verifier);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.scope, 'openid profile');
  // The same object again (a reload) is a request like any other.
  assert.ok((await signInAt(authorizeWith(jarClient, { request }))).code);
  // A POST form of the authorization endpoint carries it too.
  const jar = newJar();
  let r = await http('POST', '/authorize', { jar, form: { client_id: jarClient.id, request } });
  if (r.status === 200) r = await submitLogin(jar, r, user.username, user.password);
  assert.equal(r.status, 302);
  assert.ok(callback(r.location).code);
});

test('RFC 9126 §3: a request object pushed, and require_signed_request_object', async () => {
  const client = manifestClient({ jwks: { keys: [kp.jwk] }, require_signed_request_object: true,
    request_object_signing_alg: 'ES256' });
  const plain = await push(client, authzParams(client).params);
  assert.equal(plain.status, 400);
  assert.equal(plain.json.error, 'invalid_request');
  const { request, verifier } = signedParams(client);
  const r = await push(client, { client_id: client.id, request, scope: 'ignored' });
  assert.equal(r.status, 201, r.text);
  assert.equal(psql(`SELECT signed_object FROM pushed_requests WHERE client_id = '${client.id}'`), 't');
  const cb = await signInAt(authorizeWith(client, { request_uri: r.json.request_uri }));
  assert.equal((await exchange(client, cb.code, verifier)).status, 200);
  // By value works for it too, a plain request does not.
  assert.ok((await signInAt(authorizeWith(client, { request: signedParams(client).request }))).code);
  const { params } = authzParams(client);
  const p = callback((await http('GET', `/authorize?${new URLSearchParams(params)}`)).location);
  assert.equal(p.error, 'invalid_request');
});

test('every claim rule of request objects: a page at /authorize, invalid_request_object at /par', async () => {
  const now = Math.floor(Date.now() / 1000);
  const ps256 = manifestClient({ jwks: { keys: [kp.jwk] }, request_object_signing_alg: 'PS256' });
  const keyless = makeClient();
  const cases = [
    ['signed by another key', jarClient, signedParams(jarClient, {}, { kp: otherKp }).request],
    ['another kid', jarClient, signedParams(jarClient, {}, { header: { kid: 'nope' } }).request],
    ['alg none', jarClient, `${Buffer.from('{"alg":"none"}').toString('base64url')}.${
      Buffer.from(JSON.stringify({ iss: jarClient.id, aud: ISSUER, client_id: jarClient.id,
        exp: now + 60 })).toString('base64url')}.`],
    ['HS256', jarClient, signedParams(jarClient, {}, { header: { alg: 'HS256' } }).request],
    ['encrypted', jarClient, 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d'],
    ['iss', jarClient, signedParams(jarClient, { iss: 'someone' }).request],
    ['no iss', jarClient, signedParams(jarClient, { iss: undefined }).request],
    ['aud', jarClient, signedParams(jarClient, { aud: `${ISSUER}/token` }).request],
    ['no aud', jarClient, signedParams(jarClient, { aud: undefined }).request],
    ['client_id', jarClient, signedParams(jarClient, { client_id: keyless.id }).request],
    ['no client_id', jarClient, signedParams(jarClient, { client_id: undefined }).request],
    ['expired', jarClient, signedParams(jarClient, { exp: now - 120 }).request],
    ['no exp', jarClient, signedParams(jarClient, { exp: undefined }).request],
    ['exp too far', jarClient, signedParams(jarClient, { exp: now + 7200 }).request],
    ['nbf ahead', jarClient, signedParams(jarClient, { nbf: now + 600 }).request],
    ['iat ahead', jarClient, signedParams(jarClient, { iat: now + 600 }).request],
    ['request_uri inside', jarClient, signedParams(jarClient, { request_uri: `${URN}x` }).request],
    ['request inside', jarClient, signedParams(jarClient, { request: 'a.b.c' }).request],
    ['typ', jarClient, signedParams(jarClient, {}, { header: { typ: 'at+jwt' } }).request],
    ['array parameter', jarClient, signedParams(jarClient, { scope: ['openid', 'email'] }).request],
    ['registered alg', ps256, signedParams(ps256).request],
    ['no keys', keyless, signedParams(keyless).request],
    ['garbage', jarClient, 'not.a.jwt'],
  ];
  for (const [what, client, request] of cases) {
    const page = await assertPage(authorizeWith(client, { request }));
    assert.match(page.text, /invalid_request_object/, what);
    const r = await push(client, { client_id: client.id, request });
    assert.equal(r.status, 400, `${what}: ${r.text}`);
    assert.equal(r.json.error, 'invalid_request_object', what);
  }
  // OIDC Core §6.1: response_type outside must be the one inside.
  const { request } = signedParams(jarClient);
  await assertPage(authorizeWith(jarClient, { request, response_type: 'code id_token' }));
  // A request object and the client_id outside of another client.
  await assertPage(authorizeWith(keyless, { request }));
});

test('after the object checks out, its parameters are validated like any request', async () => {
  const { request, params } = signedParams(jarClient, { scope: 'admin' });
  const r = await http('GET', authorizeWith(jarClient, { request }), { jar: newJar() });
  assert.equal(r.status, 302);
  const p = callback(r.location);
  assert.equal(p.error, 'invalid_scope');
  assert.equal(p.state, params.state);
  const bad = await push(jarClient, { client_id: jarClient.id,
    request: signedParams(jarClient, { redirect_uri: 'https://evil.example/cb' }).request });
  assert.equal(bad.json.error, 'invalid_request');
});

test('a request object signed with a key at the client\'s jwks_uri, through the fetcher', async () => {
  const remote = keyPair();
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [remote.jwk] }));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const r = await reg({ client_name: 'Layanan JAR', redirect_uris: [REDIRECT],
      jwks_uri: `http://127.0.0.1:${server.address().port}/jwks`, request_object_signing_alg: 'ES256',
      require_pushed_authorization_requests: true }, iat('1'));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.request_object_signing_alg, 'ES256');
    assert.equal(r.json.require_pushed_authorization_requests, true);
    const client = { id: r.json.client_id, secret: r.json.client_secret, redirect: REDIRECT };
    const { request } = signedParams(client, {}, { kp: remote });
    const p = await push(client, { client_id: client.id, request });
    assert.equal(p.status, 201, p.text);
    const wrong = await push(client, { client_id: client.id, request: signedParams(client).request });
    assert.equal(wrong.json.error, 'invalid_request_object');
  } finally {
    server.close();
  }
});

test('registration refuses request metadata it cannot honour', async () => {
  const t = iat('0');
  for (const body of [
    { redirect_uris: [REDIRECT], request_object_signing_alg: 'none', jwks: { keys: [kp.jwk] } },
    { redirect_uris: [REDIRECT], request_object_signing_alg: 'HS256', jwks: { keys: [kp.jwk] } },
    { redirect_uris: [REDIRECT], request_object_signing_alg: 'ES256' },
    { redirect_uris: [REDIRECT], require_signed_request_object: true },
    { redirect_uris: [REDIRECT], require_pushed_authorization_requests: 'yes' },
    { redirect_uris: [REDIRECT], dpop_bound_access_tokens: 1 },
  ]) {
    const r = await reg(body, t);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.error, 'invalid_client_metadata', JSON.stringify(body));
  }
});
