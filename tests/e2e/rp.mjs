// A service client's side of the protocol, shared by the client suites:
// initial access tokens, dynamic registration (RFC 7591), key pairs and
// signed client assertions for private_key_jwt (RFC 7523). base is the
// issuer to talk to: the stack's idp unless a suite started its own.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ISSUER, b64url, http, idpctl } from './lib.mjs';

// The organisation the suites register their services under.
export const TEST_ORG = 'e2e.layanan';

export function testOrg(code = TEST_ORG, name = 'Dinas Layanan Uji') {
  const r = idpctl(['org', 'add', code, '--name', name, '--kind', 'provincial_agency']);
  assert.equal(r.status, 0, r.stderr);
  return code;
}

// Add a client from a manifest document (idpctl client add --manifest).
export function addManifest(doc) {
  const file = join(mkdtempSync('/tmp/idp-manifest-'), `${doc.client_id}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return idpctl(['--json', 'client', 'add', '--manifest', file]);
}

// A resource server: a client_credentials service of org offering API
// scopes (RFC 8707 resource URI resource) to the clients and
// organisations named. Returns { id, secret, resource, scopes }.
export function makeApi({ id, scopes, clients = [], orgs = [], resource, org = TEST_ORG }) {
  testOrg(org);
  const api = { resource: [resource ?? `https://${id}.api.baliprov.go.id/`], scopes: {} };
  for (const s of scopes) api.scopes[s] = { description: `Uji ${s}`, clients, organisations: orgs };
  const r = addManifest({ client_id: id, client_name: `API ${id}`, owner_organisation: org,
    first_party: true, grant_types: ['client_credentials'], scope: scopes.join(' '),
    token_endpoint_auth_method: 'client_secret_basic', api });
  assert.equal(r.status, 0, r.stderr);
  return { id, secret: r.json.client_secret, resource: api.resource[0], scopes };
}

// The API every suite's services may use: uji.read and uji.write, allowed
// to the clients of TEST_ORG. Made once per stack.
export const SHARED_API = 'e2e-api';
export function sharedApi() {
  if (idpctl(['client', 'show', SHARED_API]).status === 0) {
    return { id: SHARED_API, resource: 'https://api.uji.baliprov.go.id/', scopes: ['uji.read', 'uji.write'] };
  }
  return makeApi({ id: SHARED_API, scopes: ['uji.read', 'uji.write'], orgs: [TEST_ORG],
    resource: 'https://api.uji.baliprov.go.id/' });
}

export const json = (body, token) => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
});

// An initial access token for TEST_ORG; its clients are approved at once
// unless autoApprove is false (then they wait for idpctl client approve).
export function iat(uses = '1', { org = TEST_ORG, autoApprove = true } = {}) {
  const args = ['--json', 'iat', 'create', '--description', 'e2e', '--uses', uses];
  if (org) args.push('--org', testOrg(org));
  if (autoApprove) args.push('--auto-approve');
  const r = idpctl(args);
  assert.equal(r.status, 0, r.stderr);
  return r.json.initial_access_token;
}

export const reg = (body, token, base = ISSUER) => http('POST', `${base}/register`, json(body, token));

export function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'ES256' };
  return { privateKey, jwk };
}

export function assertion(kp, clientId, claims = {}, base = ISSUER) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: kp.jwk.kid }));
  const payload = b64url(JSON.stringify({ iss: clientId, sub: clientId, aud: `${base}/token`,
    jti: randomUUID(), iat: now, exp: now + 60, ...claims }));
  const sig = sign('sha256', Buffer.from(`${header}.${payload}`), { key: kp.privateKey,
    dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${b64url(sig)}`;
}

const TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export async function pkjwt(clientId, token, path = '/token', form = { grant_type: 'client_credentials' },
  base = ISSUER) {
  return http('POST', `${base}${path}`, { form: { ...form, client_id: clientId, client_assertion_type: TYPE,
    client_assertion: token } });
}
