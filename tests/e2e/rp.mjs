// A service client's side of the protocol, shared by the client suites:
// initial access tokens, dynamic registration (RFC 7591), key pairs and
// signed client assertions for private_key_jwt (RFC 7523). base is the
// issuer to talk to: the stack's idp unless a suite started its own.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { ISSUER, b64url, http, idpctl } from './lib.mjs';

export const json = (body, token) => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
});

export function iat(uses = '1') {
  const r = idpctl(['--json', 'iat', 'create', '--description', 'e2e', '--uses', uses]);
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
