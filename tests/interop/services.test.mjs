// openid-client (v6) as a service: private_key_jwt client authentication
// (RFC 7523) for client_credentials, introspection (RFC 7662) and
// revocation (RFC 7009).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as client from 'openid-client';
import * as jose from 'jose';

const ISSUER = process.env.IDP_URL;

async function register(body) {
  const r = spawnSync(process.env.IDP_CTL, ['--json', 'iat', 'create', '--uses', '1'],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const iat = JSON.parse(r.stdout).initial_access_token;
  const res = await fetch(`${ISSUER}/register`, { method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${iat}` } });
  assert.equal(res.status, 201);
  return res.json();
}

async function service(scope) {
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: crypto.randomUUID(), alg: 'ES256', use: 'sig' };
  const reg = await register({ client_name: 'Layanan Antar-Sistem', grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] }, scope });
  const config = await client.discovery(new URL(ISSUER), reg.client_id,
    { token_endpoint_auth_method: 'private_key_jwt' },
    client.PrivateKeyJwt({ key: privateKey, kid: jwk.kid }),
    { execute: [client.allowInsecureRequests] });
  return config;
}

test('openid-client: client_credentials, introspection and revocation with private_key_jwt', async () => {
  const api = await service('satudata.read satudata.write');
  const rs = await service('resource.server');
  const tokens = await client.clientCredentialsGrant(api, { scope: 'satudata.read' });
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.scope, 'satudata.read');
  await assert.rejects(client.clientCredentialsGrant(api, { scope: 'satudata.delete' }),
    (e) => e.error === 'invalid_scope');

  const info = await client.tokenIntrospection(rs, tokens.access_token);
  assert.equal(info.active, true);
  assert.equal(info.client_id, api.clientMetadata().client_id);
  assert.equal(info.scope, 'satudata.read');

  await client.tokenRevocation(api, tokens.access_token);
  const after = await client.tokenIntrospection(rs, tokens.access_token);
  assert.equal(after.active, false);
});
