// The claims request parameter (OIDC Core §5.5): claims for the ID token
// and for userinfo separately, carried through the login page, the code
// and refreshes; essential, value and values; acr (§5.5.1.1); sub
// (§3.1.2.2); what scope policy never releases; bad input. The roles and
// groups claims under the roles scope, and signed userinfo answers
// (userinfo_signed_response_alg, §5.3.2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { decodeJwt, formInputs, http, idpctl, unique } from './lib.mjs';
import { authorizeUrl, callback, exchange, makeClient, makeUser, newJar, refresh, signIn,
  submitLogin, userinfo } from './flow.mjs';
import { TEST_ORG, iat, reg, testOrg } from './rp.mjs';

const claims = (o) => JSON.stringify(o);

// Sign in with a claims request; returns the token response and the code's params.
async function withClaims(client, user, req, extra = {}) {
  const jar = extra.jar ?? newJar();
  const { params, verifier } = await signIn(jar, client, user, { claims: claims(req), ...extra.ask });
  assert.ok(params.code, `no code: ${JSON.stringify(params)}`);
  const t = await exchange(client, params.code, verifier);
  assert.equal(t.status, 200, t.text);
  return { jar, tokens: t.json, idt: decodeJwt(t.json.id_token).payload };
}

test('discovery: the claims parameter and every claim the provider releases', async () => {
  const d = (await http('GET', '/.well-known/openid-configuration')).json;
  assert.equal(d.claims_parameter_supported, true);
  for (const c of ['sub', 'acr', 'email', 'organisation', 'roles', 'groups']) {
    assert.ok(d.claims_supported.includes(c), c);
  }
  assert.deepEqual(d.acr_values_supported, ['1', '2']);
  assert.ok(!d.scopes_supported.includes('roles'), 'roles is not offered to everyone');
  assert.deepEqual(d.userinfo_signing_alg_values_supported, d.id_token_signing_alg_values_supported);
});

test('claims for the ID token and for userinfo, separately, through the login page, the code and a refresh', async () => {
  const client = makeClient({ scope: 'openid profile email phone organisation offline_access' });
  const user = makeUser();
  const req = { userinfo: { email: null, phone_number: { essential: true } },
    id_token: { name: { essential: true }, email_verified: null } };
  const { tokens, idt } = await withClaims(client, user, req, { ask: { scope: 'openid' } });
  assert.equal(tokens.scope, 'openid', 'the claims request grants no scope');
  assert.equal(idt.name, 'Ni Wayan Uji');
  assert.equal(idt.email_verified, false);
  assert.equal(idt.email, undefined, 'email was asked for userinfo only');
  assert.equal(idt.given_name, undefined, 'one claim, not its whole scope');
  const ui = (await userinfo(tokens.access_token)).json;
  assert.equal(ui.sub, user.sub);
  assert.equal(ui.email, `${user.username}@baliprov.go.id`);
  assert.equal(ui.name, undefined, 'name was asked for the ID token only');
  assert.equal(ui.phone_number, undefined, 'essential, but the person has none: left out, no error');
  // The grant keeps the request: a refreshed ID token and its access token honour it.
  const r = await refresh(client, tokens.refresh_token);
  assert.equal(r.status, 200, r.text);
  const again = decodeJwt(r.json.id_token).payload;
  assert.equal(again.name, 'Ni Wayan Uji');
  assert.equal(again.email, undefined);
  const ui2 = (await userinfo(r.json.access_token)).json;
  assert.equal(ui2.email, `${user.username}@baliprov.go.id`);
});

test('a third-party service gets individually requested claims only within its granted scopes', async () => {
  testOrg();
  const cb = 'https://mitra.example.go.id/cb';
  const r = await reg({ client_name: `Mitra Klaim ${process.pid}`, redirect_uris: [cb], subject_type: 'public' }, iat('1'));
  assert.equal(r.status, 201, r.text);
  const client = { id: r.json.client_id, secret: r.json.client_secret, redirect: cb };
  const user = makeUser();
  const jar = newJar();
  const page = await http('GET', authorizeUrl(client, { scope: 'openid email',
    claims: claims({ userinfo: { name: { essential: true }, email: null, organisation: null } }) }), { jar });
  const consent = await submitLogin(jar, page, user.username, user.password);
  assert.equal(consent.status, 200, 'a consent page');
  const done = await http('POST', '/consent', { jar, form: { ...formInputs(consent.text), decision: 'allow' } });
  const t = (await exchange(client, callback(done.location).code)).json;
  const ui = (await userinfo(t.access_token)).json;
  assert.equal(ui.email, `${user.username}@baliprov.go.id`);
  assert.equal(ui.name, undefined, 'profile was not consented to: essential or not, left out');
  assert.equal(ui.organisation, undefined);
});

test('value and values: a claim is released only with a matching value', async () => {
  const client = makeClient();
  const user = makeUser();
  const email = `${user.username}@baliprov.go.id`;
  const { idt, tokens } = await withClaims(client, user, {
    id_token: { email: { value: email }, preferred_username: { values: ['someone-else', user.username] },
      name: { value: 'Orang Lain' } },
    userinfo: { email: { value: 'other@baliprov.go.id' } },
  }, { ask: { scope: 'openid email' } });
  assert.equal(idt.email, email);
  assert.equal(idt.preferred_username, user.username);
  assert.equal(idt.name, undefined, 'no match: left out');
  const ui = (await userinfo(tokens.access_token)).json;
  assert.equal(ui.email, undefined, 'the request for userinfo asked for another value');
  assert.equal(ui.email_verified, false, 'the rest of the scope stays');
});

test('members the provider does not understand are ignored (§5.5)', async () => {
  const client = makeClient();
  const user = makeUser();
  const { idt } = await withClaims(client, user, { id_token: { name: { essential: true, purpose: 'x' },
    'https://example.go.id/claims/nik': null, nickname: null }, verified_claims: { a: 1 }, userinfo: {} });
  assert.equal(idt.name, 'Ni Wayan Uji');
  assert.equal(idt.nickname, undefined);
  assert.equal(idt['https://example.go.id/claims/nik'], undefined);
});

test('a malformed claims parameter is invalid_request at the redirect URI, with state and iss', async () => {
  const client = makeClient();
  const bad = ['{', 'null', '[]', '"email"', '{"userinfo":[]}', '{"id_token":"name"}',
    '{"userinfo":{"email":true}}', '{"userinfo":{"email":{"essential":"yes"}}}',
    '{"userinfo":{"email":{"values":"a"}}}', '{"userinfo":{"email":{"value":{"a":1}}}}',
    '{"userinfo":{"email":null,"email":null}}', `{"userinfo":{"email":{"values":[${'"a",'.repeat(2100)}"a"]}}}`];
  for (const c of bad) {
    const r = await http('GET', authorizeUrl(client, { claims: c, state: 'st-claims' }));
    assert.equal(r.status, 302, c.slice(0, 60));
    const p = callback(r.location);
    assert.equal(p.error, 'invalid_request', c.slice(0, 60));
    assert.match(p.error_description, /claims/);
    assert.equal(p.state, 'st-claims');
    assert.ok(p.iss);
  }
});

test('acr: an essential class that cannot be met is a failed sign-in (§5.5.1.1); a voluntary one gets the session\'s', async () => {
  const client = makeClient();
  const user = makeUser();
  const jar = newJar();
  const { idt } = await withClaims(client, user, { id_token: { acr: { essential: true, values: ['urn:x:emas', '1'] } } },
    { jar });
  assert.equal(idt.acr, '1');
  const vol = await withClaims(client, user, { id_token: { acr: { values: ['urn:x:emas'] } } }, { jar });
  assert.equal(vol.idt.acr, '1', 'voluntary: the session\'s class');
  const r = await http('GET', authorizeUrl(client, { claims: claims({ id_token: { acr: { essential: true,
    value: 'urn:x:emas' } } }), state: 'st-acr' }), { jar });
  assert.equal(r.status, 302);
  const p = callback(r.location);
  assert.equal(p.error, 'unmet_authentication_requirements');
  assert.equal(p.state, 'st-acr');
  assert.equal(p.code, undefined);
  // The same after a password at the login page.
  const fresh = newJar();
  const unknown = await http('GET', authorizeUrl(client, { claims: claims({ id_token: { acr: { essential: true,
    values: ['urn:x:emas'] } } }) }), { jar: fresh });
  assert.equal(unknown.status, 200);
  const after = await submitLogin(fresh, unknown, user.username, user.password);
  assert.equal(callback(after.location).error, 'unmet_authentication_requirements');
  // An essential class 2 (a second factor) is asked for after the
  // password: a person without one is offered to set one up.
  const j2 = newJar();
  const page = await http('GET', authorizeUrl(client, { claims: claims({ id_token: { acr: { essential: true,
    values: ['2'] } } }) }), { jar: j2 });
  const second = await submitLogin(j2, page, user.username, user.password);
  assert.equal(second.status, 200);
  assert.match(second.text, /name="action" value="enrol"/);
});

test('sub with a value: only that person (§3.1.2.2)', async () => {
  const client = makeClient();
  const user = makeUser();
  const other = makeUser();
  const jar = newJar();
  const { idt } = await withClaims(client, user, { id_token: { sub: { value: user.sub } } }, { jar });
  assert.equal(idt.sub, user.sub);
  const ask = { claims: claims({ id_token: { sub: { value: other.sub } } }) };
  const none = await http('GET', authorizeUrl(client, { ...ask, prompt: 'none' }), { jar });
  assert.equal(callback(none.location).error, 'login_required');
  const page = await http('GET', authorizeUrl(client, ask), { jar });
  assert.equal(page.status, 200, 'another person is asked for: the login page');
  const wrong = await submitLogin(jar, page, user.username, user.password);
  assert.equal(callback(wrong.location).error, 'access_denied', 'never a token for someone else');
  const page2 = await http('GET', authorizeUrl(client, ask), { jar });
  const right = await submitLogin(jar, page2, other.username, other.password);
  assert.ok(callback(right.location).code);
});

test('roles and groups: the roles scope, from memberships, for first-party services only', async () => {
  const org = testOrg(TEST_ORG);
  const client = makeClient({ scope: 'openid profile roles' });
  const user = makeUser();
  assert.equal(idpctl(['member', 'add', user.username, org, 'developer']).status, 0);
  const { idt, tokens } = await withClaims(client, user, { userinfo: { groups: null } },
    { ask: { scope: 'openid roles' } });
  assert.equal(tokens.scope, 'openid roles');
  assert.deepEqual(idt.roles, [`developer@${org}`]);
  assert.deepEqual(idt.groups, [org]);
  const ui = (await userinfo(tokens.access_token)).json;
  assert.deepEqual(ui.roles, [`developer@${org}`]);
  // Without the scope, asked for one by one: a first-party service under its policy.
  const one = await withClaims(client, user, { id_token: { roles: null } }, { ask: { scope: 'openid' } });
  assert.deepEqual(one.idt.roles, [`developer@${org}`]);
  assert.equal(one.idt.groups, undefined);
  // A service whose policy lacks roles gets neither.
  const plain = makeClient();
  const none = await withClaims(plain, user, { id_token: { roles: null, groups: { essential: true } } },
    { ask: { scope: 'openid roles' } });
  assert.equal(none.tokens.scope, 'openid');
  assert.equal(none.idt.roles, undefined);
  assert.equal(none.idt.groups, undefined);
  // Third-party services cannot register it.
  const r = await reg({ client_name: `Mitra Peran ${process.pid}`, redirect_uris: ['https://m.example.go.id/cb'],
    scope: 'openid roles' }, iat('1'));
  assert.equal(r.status, 400);
  assert.equal(r.json.error, 'invalid_client_metadata');
  assert.match(r.json.error_description, /roles/);
  const m = idpctl(['client', 'add', unique('rp-'), '--name', 'Layanan Mitra', '--redirect-uri',
    'https://m.example.go.id/cb', '--scope', 'openid roles']);
  assert.equal(m.status, 1, 'a third-party manifest neither');
  assert.match(m.stderr, /roles/);
});

// Verify a compact JWS against the provider's JWKS with node:crypto.
async function verified(jwt) {
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const jwk = (await http('GET', '/jwks')).json.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, 'signed with a published key');
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const data = Buffer.from(`${h}.${p}`);
  const ok = header.alg === 'ES256' ?
    verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')) :
    verify('sha256', data, key, Buffer.from(s, 'base64url'));
  assert.ok(ok, 'the signature verifies');
  return { header, payload: JSON.parse(Buffer.from(p, 'base64url')) };
}

for (const alg of ['ES256', 'RS256']) {
  test(`signed userinfo (${alg}): application/jwt with iss and aud, the same claims`, async () => {
    const client = makeClient({ args: ['--userinfo-alg', alg] });
    const user = makeUser();
    const { tokens } = await withClaims(client, user, { userinfo: { name: null } }, { ask: { scope: 'openid email' } });
    const r = await userinfo(tokens.access_token);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/jwt/);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const { header, payload } = await verified(r.text);
    assert.equal(header.alg, alg);
    assert.equal(payload.iss, process.env.IDP_URL);
    assert.equal(payload.aud, client.id);
    assert.equal(payload.sub, user.sub);
    assert.equal(payload.email, `${user.username}@baliprov.go.id`);
    assert.equal(payload.name, 'Ni Wayan Uji');
    const plain = await userinfo('x'.repeat(43));
    assert.equal(plain.status, 401, 'errors stay JSON Bearer errors');
  });
}

test('userinfo_signed_response_alg: registration and idpctl refuse what cannot be signed', async () => {
  for (const alg of ['none', 'HS256', 'ES512', 7]) {
    const r = await reg({ client_name: `Mitra Alg ${process.pid}`, redirect_uris: ['https://m.example.go.id/cb'],
      userinfo_signed_response_alg: alg }, iat('1'));
    assert.equal(r.status, 400, String(alg));
    assert.equal(r.json.error, 'invalid_client_metadata');
    assert.match(r.json.error_description, /userinfo_signed_response_alg/);
  }
  const ok = await reg({ client_name: `Mitra Alg Baik ${process.pid}`, redirect_uris: ['https://m.example.go.id/cb'],
    userinfo_signed_response_alg: 'PS256' }, iat('1'));
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.userinfo_signed_response_alg, 'PS256');
  const c = idpctl(['client', 'add', unique('rp-'), '--name', 'Layanan Alg', '--redirect-uri',
    'https://m.example.go.id/cb', '--first-party', '--userinfo-alg', 'HS256']);
  assert.equal(c.status, 1);
  assert.match(c.stderr, /userinfo_signed_response_alg/);
});
