// Token exchange (RFC 8693): a service holding a person's access token gets
// one for another service on the person's behalf, as its manifest's
// token_exchange policy allows; delegation with act (nested for chains);
// audited. Every refusal: beyond the policy, wrong token types, tokens of
// other clients, revoked subject tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ISSUER, decodeJwt, http, idpctl, psql, unique } from './lib.mjs';
import { basic, exchange, makeClient, makeUser, newJar, signIn } from './flow.mjs';
import { TEST_ORG, makeApi } from './rp.mjs';

const TE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const AT = 'urn:ietf:params:oauth:token-type:access_token';
const JWT = 'urn:ietf:params:oauth:token-type:jwt';
const API = 'https://sipd.baliprov.go.id/connector/api/';

function manifestClient(doc) {
  const dir = mkdtempSync('/tmp/idp-manifest-');
  const file = join(dir, `${doc.client_id}.json`);
  writeFileSync(file, JSON.stringify({ first_party: true, enabled: true,
    token_endpoint_auth_method: 'client_secret_basic', owner_organisation: TEST_ORG, ...doc }));
  const r = idpctl(['--json', 'client', 'add', '--manifest', file]);
  rmSync(dir, { recursive: true });
  return { r, client: { id: doc.client_id, secret: r.json?.client_secret } };
}

// ebudget.read and ebudget.write: the API scopes of a budgeting API,
// offered to the services of TEST_ORG (the catalogue's sipd-connector owns
// sipd.read, and services.test.mjs loads it into the same stack).
makeApi({ id: unique('ebudget-api-'), scopes: ['ebudget.read', 'ebudget.write'], orgs: [TEST_ORG],
  resource: 'https://ebudget.baliprov.go.id/api/' });
const web = makeClient({ name: 'E-Budgeting', scope: 'openid profile ebudget.read', org: TEST_ORG });
const other = makeClient({ name: 'Aplikasi Lain', scope: 'openid profile ebudget.read', org: TEST_ORG });
const connector = manifestClient({
  client_id: unique('connector-'), client_name: 'Konektor SIPD',
  grant_types: ['client_credentials', TE], scope: 'ebudget.read ebudget.write',
  access_token_format: 'opaque',
  token_exchange: [
    { audience: API, scopes: ['ebudget.read'], subject_clients: [web.id] },
    { audience: 'pusdalops-api', scopes: ['ebudget.read', 'ebudget.write'], subject_clients: [web.id] },
  ],
}).client;
const second = manifestClient({
  client_id: unique('hop-'), client_name: 'Layanan Lanjutan',
  grant_types: ['client_credentials', TE], scope: 'ebudget.read',
  token_exchange: [{ audience: 'kemendagri-sipd', scopes: ['ebudget.read'],
    subject_clients: [connector.id] }],
}).client;

const asClient = (c, form) => http('POST', '/token', { form, headers: { authorization: basic(c) } });
const swap = (c, subject, extra = {}) => asClient(c, { grant_type: TE, subject_token: subject,
  subject_token_type: AT, ...extra });
const introspect = (token) => http('POST', '/introspect', { form: { token },
  headers: { authorization: basic(connector) } });

async function personToken(client = web, scope = 'openid profile ebudget.read') {
  const user = makeUser({ name: 'I Made Anggaran' });
  const jar = newJar();
  const { params, verifier } = await signIn(jar, client, user, { scope });
  const t = await exchange(client, params.code, verifier);
  assert.equal(t.status, 200, t.text);
  return { user, ...t.json };
}

async function serviceToken(c, scope) {
  const r = await asClient(c, { grant_type: 'client_credentials', scope });
  assert.equal(r.status, 200, r.text);
  return r.json.access_token;
}

test('RFC 8693 §2.3: a person\'s token for another service, within the policy, audited', async () => {
  const s = await personToken();
  const r = await swap(connector, s.access_token, { resource: API });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.json.issued_token_type, AT);
  assert.equal(r.json.token_type, 'Bearer');
  assert.equal(r.json.scope, 'ebudget.read');
  assert.ok(r.json.expires_in > 0 && r.json.expires_in <= 900);
  assert.equal(r.json.refresh_token, undefined);
  const i = (await introspect(r.json.access_token)).json;
  assert.equal(i.active, true);
  assert.equal(i.sub, s.user.sub);
  assert.equal(i.client_id, connector.id);
  assert.equal(i.aud, API);
  assert.equal(i.scope, 'ebudget.read');
  assert.equal(i.act, undefined, 'no actor token: no act');
  const audit = JSON.parse(psql(`SELECT details::text FROM audit_log WHERE event = 'token.exchanged' `
    + `AND client_id = '${connector.id}' ORDER BY id DESC LIMIT 1`));
  assert.equal(audit.subject_client, web.id);
  assert.equal(audit.audience, API);
  assert.equal(audit.scope, 'ebudget.read');
  assert.equal(psql(`SELECT user_id = (SELECT id FROM users WHERE sub = '${s.user.sub}') FROM audit_log `
    + `WHERE event = 'token.exchanged' AND client_id = '${connector.id}' ORDER BY id DESC LIMIT 1`), 't');

  // audience names the same rule; the only-rule default does not apply to two.
  const byAud = await swap(connector, s.access_token, { audience: 'pusdalops-api' });
  assert.equal(byAud.status, 200, byAud.text);
  assert.equal(byAud.json.scope, 'ebudget.read', 'never more than the subject token had');
  const none = await swap(connector, s.access_token);
  assert.equal(none.json.error, 'invalid_request');
  const one = await swap(second, (await swap(connector, s.access_token, { resource: API,
    actor_token: await serviceToken(connector, 'ebudget.read'), actor_token_type: AT })).json.access_token,
  { actor_token: await serviceToken(second, 'ebudget.read'), actor_token_type: AT });
  assert.equal(one.status, 200, 'one rule: the target may be left out');
});

test('a JWT on request; its life within the subject token\'s', async () => {
  const s = await personToken();
  psql(`UPDATE access_tokens SET expires_at = now() + interval '40 seconds' WHERE token_digest = sha256('${s.access_token}')`);
  const r = await swap(connector, s.access_token, { audience: API, requested_token_type: JWT });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.issued_token_type, JWT);
  assert.ok(r.json.expires_in <= 40);
  const { header, payload } = decodeJwt(r.json.access_token);
  assert.equal(header.typ, 'at+jwt');
  assert.equal(payload.iss, ISSUER);
  assert.equal(payload.aud, API);
  assert.equal(payload.sub, s.user.sub);
  assert.equal(payload.client_id, connector.id);
  assert.equal(payload.scope, 'ebudget.read');
  assert.ok(payload.exp - payload.iat <= 40);
  assert.equal((await introspect(r.json.access_token)).json.active, true);
});

test('delegation: act names the actor, nested for a chain; a delegated token needs an actor', async () => {
  const s = await personToken();
  const actor = await serviceToken(connector, 'ebudget.read');
  const r = await swap(connector, s.access_token, { resource: API, actor_token: actor,
    actor_token_type: AT, requested_token_type: JWT });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(decodeJwt(r.json.access_token).payload.act, { sub: connector.id });
  assert.deepEqual((await introspect(r.json.access_token)).json.act, { sub: connector.id });

  const hop = await swap(second, r.json.access_token, { subject_token_type: JWT,
    audience: 'kemendagri-sipd', actor_token: await serviceToken(second, 'ebudget.read'),
    actor_token_type: AT });
  assert.equal(hop.status, 200, hop.text);
  // Introspected by the client it was issued to: the connector is
  // neither that client nor the resource server of its scopes.
  const i = (await http('POST', '/introspect', { form: { token: hop.json.access_token },
    headers: { authorization: basic(second) } })).json;
  assert.equal(i.active, true);
  assert.equal(i.aud, 'kemendagri-sipd');
  assert.deepEqual(i.act, { sub: second.id, act: { sub: connector.id } });
  assert.equal(i.sub, s.user.sub, 'the person stays the subject along the chain');
  const noActor = await swap(second, r.json.access_token, { audience: 'kemendagri-sipd' });
  assert.equal(noActor.json.error, 'invalid_request');
  assert.match(noActor.json.error_description, /actor_token/);
  // The actor token must be the asking client's own.
  const foreign = await swap(connector, s.access_token, { resource: API,
    actor_token: await serviceToken(second, 'ebudget.read'), actor_token_type: AT });
  assert.equal(foreign.json.error, 'invalid_request');
  const typeless = await swap(connector, s.access_token, { resource: API, actor_token: actor });
  assert.equal(typeless.json.error, 'invalid_request');
  const lonely = await swap(connector, s.access_token, { resource: API, actor_token_type: AT });
  assert.equal(lonely.json.error, 'invalid_request');
});

test('beyond the policy: other audiences, wider scopes, other clients\' people', async () => {
  const s = await personToken();
  const cases = [
    [{ resource: 'https://elsewhere.example.go.id/' }, 'invalid_target'],
    [{ audience: 'somebody-else' }, 'invalid_target'],
    [{ audience: 'pusdalops-api', resource: API }, 'invalid_target'],
    [{ resource: 'not a uri' }, 'invalid_target'],
    [{ resource: API, scope: 'ebudget.write' }, 'invalid_scope'],
    [{ resource: API, scope: 'openid' }, 'invalid_scope'],
    [{ resource: API, scope: 'ebudget.read ebudget.write' }, 'invalid_scope'],
  ];
  for (const [extra, error] of cases) {
    const r = await swap(connector, s.access_token, extra);
    assert.equal(r.status, 400, JSON.stringify(extra));
    assert.equal(r.json.error, error, JSON.stringify(extra));
  }
  const noScope = await personToken(web, 'openid profile');
  const r = await swap(connector, noScope.access_token, { resource: API });
  assert.equal(r.json.error, 'invalid_scope', 'the subject token has none of the rule\'s scopes');
  const foreign = await personToken(other);
  const f = await swap(connector, foreign.access_token, { resource: API });
  assert.equal(f.json.error, 'invalid_request', 'a client the policy does not name');
  assert.ok(Number(psql(`SELECT count(*) FROM audit_log WHERE event = 'token.exchange_refused' `
    + `AND client_id = '${connector.id}'`)) >= 4);
  const plain = await asClient(web, { grant_type: TE, subject_token: s.access_token,
    subject_token_type: AT, resource: API });
  assert.equal(plain.json.error, 'unauthorized_client');
});

test('wrong token types and tokens that are not a person\'s access token', async () => {
  const s = await personToken();
  const svc = await serviceToken(connector, 'ebudget.read');
  const cases = [
    [{ subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' }, 'a type we do not exchange'],
    [{ subject_token_type: JWT }, 'jwt for an opaque token'],
    [{ subject_token_type: undefined }, 'no type'],
    [{ subject_token: s.id_token }, 'an ID token as access token'],
    [{ subject_token: s.refresh_token }, 'a refresh token as access token'],
    [{ subject_token: svc }, 'a service\'s own token: no person'],
    [{ subject_token: undefined }, 'no subject token'],
    [{ subject_token: 'x'.repeat(9000) }, 'too long'],
    [{ requested_token_type: 'urn:ietf:params:oauth:token-type:id_token' }, 'an ID token requested'],
    [{ requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }, 'a refresh token requested'],
  ];
  for (const [extra, what] of cases) {
    const form = { grant_type: TE, subject_token: s.access_token, subject_token_type: AT,
      resource: API, ...extra };
    for (const [k, v] of Object.entries(form)) if (v === undefined) delete form[k];
    const r = await asClient(connector, form);
    assert.equal(r.status, 400, what);
    assert.equal(r.json.error, 'invalid_request', what);
  }
});

test('revoked subject tokens cannot be exchanged; revoking the grant ends what was exchanged', async () => {
  const s = await personToken();
  const got = await swap(connector, s.access_token, { resource: API });
  assert.equal(got.status, 200);
  const rev = await http('POST', '/revoke', { form: { token: s.access_token },
    headers: { authorization: basic(web) } });
  assert.equal(rev.status, 200);
  const r = await swap(connector, s.access_token, { resource: API });
  assert.equal(r.json.error, 'invalid_request');
  assert.equal((await introspect(got.json.access_token)).json.active, true,
    'revoking one access token leaves the grant');
  // Revoking the refresh token revokes the grant and every token under it.
  const rr = await http('POST', '/revoke', { form: { token: s.refresh_token },
    headers: { authorization: basic(web) } });
  assert.equal(rr.status, 200);
  assert.equal((await introspect(got.json.access_token)).json.active, false);
  // The exchanging client may revoke its own exchanged token.
  const s2 = await personToken();
  const mine = await swap(connector, s2.access_token, { resource: API });
  await http('POST', '/revoke', { form: { token: mine.json.access_token },
    headers: { authorization: basic(connector) } });
  assert.equal((await introspect(mine.json.access_token)).json.active, false);
});

test('manifests: the policy is checked and comes only from an operator', async () => {
  const bad = [
    { grant_types: [TE], scope: 'a' },
    { grant_types: [TE], scope: 'a', token_exchange: [{ audience: 'x-y-z', scopes: ['b'] }] },
    { grant_types: ['client_credentials'], scope: 'a', token_exchange: [{ audience: 'x-y-z', scopes: ['a'] }] },
    { grant_types: [TE], scope: 'a', token_exchange: [{ audience: 'x-y-z', scopes: ['a'], scope: ['a'] }] },
  ];
  for (const doc of bad) {
    const { r } = manifestClient({ client_id: unique('bad-'), ...doc });
    assert.notEqual(r.status, 0, JSON.stringify(doc));
    assert.match(r.stderr, /token_exchange|token-exchange/);
  }
  const iat = idpctl(['--json', 'iat', 'create', '--description', 'e2e']).json.initial_access_token;
  const reg = await http('POST', '/register', {
    body: JSON.stringify({ client_name: 'Mandiri', grant_types: ['client_credentials', TE], scope: 'a',
      token_exchange: [{ audience: 'x-y-z', scopes: ['a'] }] }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${iat}` } });
  assert.equal(reg.status, 400);
  assert.equal(reg.json.error, 'invalid_client_metadata');
  const meta = (await http('GET', '/.well-known/openid-configuration')).json;
  assert.ok(meta.grant_types_supported.includes(TE));
});
