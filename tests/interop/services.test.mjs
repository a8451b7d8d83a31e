// openid-client (v6) as a service: private_key_jwt client authentication
// (RFC 7523) for client_credentials, introspection (RFC 7662) and
// revocation (RFC 7009).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as client from 'openid-client';
import * as jose from 'jose';

const ISSUER = process.env.IDP_URL;
const ORG = 'interop.layanan';

function ctl(args) {
  const r = spawnSync(process.env.IDP_CTL, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

async function keys() {
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: crypto.randomUUID(), alg: 'ES256', use: 'sig' };
  return { jwk, privateKey };
}

async function configure(clientId, k) {
  return client.discovery(new URL(ISSUER), clientId,
    { token_endpoint_auth_method: 'private_key_jwt' },
    client.PrivateKeyJwt({ key: k.privateKey, kid: k.jwk.kid }),
    { execute: [client.allowInsecureRequests] });
}

// The resource server, from a manifest: it offers data.read and
// data.write to the services of ORG and introspects with its own key.
async function resourceServer() {
  ctl(['org', 'add', ORG, '--name', 'Dinas Interoperabilitas', '--kind', 'provincial_agency']);
  const k = await keys();
  const id = `interop-api-${process.pid}`;
  const doc = { client_id: id, client_name: 'API Data Interop', owner_organisation: ORG,
    first_party: true, grant_types: ['client_credentials'], scope: 'data.read data.write',
    token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [k.jwk] },
    api: { resource: ['https://data.interop.baliprov.go.id/api'], scopes: {
      'data.read': { organisations: [ORG] }, 'data.write': { organisations: [ORG] } } } };
  const file = join(mkdtempSync('/tmp/interop-'), `${id}.json`);
  writeFileSync(file, JSON.stringify(doc));
  ctl(['client', 'add', '--manifest', file]);
  return configure(id, k);
}

async function register(body) {
  const r = spawnSync(process.env.IDP_CTL, ['--json', 'iat', 'create', '--uses', '1',
    '--org', ORG, '--auto-approve'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const iat = JSON.parse(r.stdout).initial_access_token;
  const res = await fetch(`${ISSUER}/register`, { method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${iat}` } });
  assert.equal(res.status, 201);
  return res.json();
}

async function service(scope) {
  const k = await keys();
  const reg = await register({ client_name: 'Layanan Antar-Sistem', grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [k.jwk] }, scope });
  return configure(reg.client_id, k);
}

test('openid-client: client_credentials, introspection and revocation with private_key_jwt', async () => {
  const rs = await resourceServer();
  const api = await service('data.read data.write');
  const tokens = await client.clientCredentialsGrant(api, { scope: 'data.read' });
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.scope, 'data.read');
  // not allowed and unknown values are dropped (RFC 6749 §3.3); none left
  const narrowed = await client.clientCredentialsGrant(api, { scope: 'data.read data.delete' });
  assert.equal(narrowed.scope, 'data.read');
  await assert.rejects(client.clientCredentialsGrant(api, { scope: 'data.delete' }),
    (e) => e.error === 'invalid_scope');

  const info = await client.tokenIntrospection(rs, tokens.access_token);
  assert.equal(info.active, true);
  assert.equal(info.client_id, api.clientMetadata().client_id);
  assert.equal(info.scope, 'data.read');
  assert.equal(info.aud, 'https://data.interop.baliprov.go.id/api');

  await client.tokenRevocation(api, tokens.access_token);
  const after = await client.tokenIntrospection(rs, tokens.access_token);
  assert.equal(after.active, false);
});
