// openid-client v6 with its own implementations of pushed authorization
// requests (RFC 9126), DPoP (RFC 9449, nonces included) and JAR (RFC
// 9101); a request object built with jose on its own, pushed. Nothing of
// the provider's own test helpers makes a proof or an object here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as client from 'openid-client';
import * as jose from 'jose';
import { Browser, ISSUER, REDIRECT, idpctl } from './lib.mjs';

const stamp = `${process.pid}`;
const user = { username: `pop${stamp}`, password: 'kata-sandi-pop' };
user.sub = idpctl(['--json', 'user', 'add', user.username, '--name', 'I Ketut Bukti',
  '--email', `pop${stamp}@baliprov.go.id`, '--password-stdin'], `${user.password}\n`).sub;

// A first-party client from a manifest (metadata as given).
function manifestClient(id, extra) {
  const dir = mkdtempSync(join(tmpdir(), 'interop-pop-'));
  const file = join(dir, `${id}.json`);
  writeFileSync(file, JSON.stringify({ client_id: id, client_name: `Interop ${id}`, first_party: true,
    redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'],
    scope: 'openid profile email', ...extra }));
  const r = idpctl(['--json', 'client', 'add', '--manifest', file]);
  rmSync(dir, { recursive: true, force: true });
  return r.client_secret;
}

async function discover(id, auth) {
  return client.discovery(new URL(ISSUER), id, {}, auth, { execute: [client.allowInsecureRequests] });
}

function pkceParams() {
  const verifier = client.randomPKCECodeVerifier();
  return { verifier, state: client.randomState(), nonce: client.randomNonce() };
}

test('openid-client: PAR and DPoP (with the provider\'s nonces), code, userinfo, refresh', async () => {
  const id = `interop-pop-${stamp}`;
  const secret = manifestClient(id, { require_pushed_authorization_requests: true,
    dpop_bound_access_tokens: true });
  const config = await discover(id, client.ClientSecretBasic(secret));
  const meta = config.serverMetadata();
  assert.equal(meta.pushed_authorization_request_endpoint, `${ISSUER}/par`);
  assert.ok(meta.dpop_signing_alg_values_supported.includes('ES256'));
  const DPoP = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  const p = pkceParams();
  // The pushed request carries a proof: the code is bound to the key too.
  const url = await client.buildAuthorizationUrlWithPAR(config, { redirect_uri: REDIRECT,
    scope: 'openid profile email', state: p.state, nonce: p.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(p.verifier), code_challenge_method: 'S256' },
  { DPoP });
  assert.match(url.searchParams.get('request_uri'), /^urn:ietf:params:oauth:request_uri:/);
  assert.equal(url.searchParams.get('client_id'), id);
  const callback = await new Browser().signIn(url, user.username, user.password);
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: p.verifier,
    expectedState: p.state, expectedNonce: p.nonce, idTokenExpected: true }, undefined, { DPoP });
  assert.equal(tokens.token_type, 'dpop');
  assert.equal(tokens.claims().sub, user.sub);
  const info = await client.fetchUserInfo(config, tokens.access_token, user.sub, { DPoP });
  assert.equal(info.name, 'I Ketut Bukti');
  // Without the proof the token is worth nothing.
  await assert.rejects(client.fetchUserInfo(config, tokens.access_token, user.sub));
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP });
  assert.equal(refreshed.token_type, 'dpop');
  assert.equal((await client.fetchUserInfo(config, refreshed.access_token, user.sub, { DPoP })).sub,
    user.sub);
  // The client must push: a plain authorization request comes back refused.
  const plain = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(p.verifier), code_challenge_method: 'S256' });
  const back = await new Browser().get(plain);
  assert.equal(new URL(back.headers.get('location')).searchParams.get('error'), 'invalid_request');
});

test('openid-client: a public client with DPoP (PS256): its refresh token is bound to the key', async () => {
  const id = `interop-pop-public-${stamp}`;
  manifestClient(id, { token_endpoint_auth_method: 'none' });
  const config = await discover(id, client.None());
  const keyPair = await client.randomDPoPKeyPair('PS256');
  const DPoP = client.getDPoPHandle(config, keyPair);
  const p = pkceParams();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid profile',
    state: p.state, code_challenge: await client.calculatePKCECodeChallenge(p.verifier),
    code_challenge_method: 'S256', dpop_jkt: await DPoP.calculateThumbprint() });
  const callback = await new Browser().signIn(url, user.username, user.password);
  const tokens = await client.authorizationCodeGrant(config, callback,
    { pkceCodeVerifier: p.verifier, expectedState: p.state }, undefined, { DPoP });
  assert.equal(tokens.token_type, 'dpop');
  const other = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP: other }),
    (e) => e.error === 'invalid_grant');
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP });
  assert.equal(refreshed.token_type, 'dpop');
});

test('openid-client: a signed request object by value (JAR), client keys registered with jwks', async () => {
  const id = `interop-jar-${stamp}`;
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: `jar-${stamp}`, alg: 'ES256', use: 'sig' };
  const secret = manifestClient(id, { jwks: { keys: [jwk] }, request_object_signing_alg: 'ES256',
    require_signed_request_object: true });
  const config = await discover(id, client.ClientSecretBasic(secret));
  const p = pkceParams();
  const url = await client.buildAuthorizationUrlWithJAR(config, { redirect_uri: REDIRECT,
    scope: 'openid email', state: p.state, nonce: p.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(p.verifier), code_challenge_method: 'S256' },
  { key: privateKey, kid: jwk.kid });
  assert.ok(url.searchParams.get('request'));
  const callback = await new Browser().signIn(url, user.username, user.password);
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: p.verifier,
    expectedState: p.state, expectedNonce: p.nonce, idTokenExpected: true });
  assert.equal(tokens.claims().sub, user.sub);
  assert.equal(tokens.scope, 'openid email');
});

test('jose: a request object it signs (RS256) is pushed by openid-client, then used', async () => {
  const id = `interop-jose-${stamp}`;
  const { publicKey, privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: `jose-${stamp}`, use: 'sig' };
  const secret = manifestClient(id, { jwks: { keys: [jwk] } });
  const config = await discover(id, client.ClientSecretBasic(secret));
  const p = pkceParams();
  const request = await new jose.SignJWT({ client_id: id, response_type: 'code', redirect_uri: REDIRECT,
    scope: 'openid profile', state: p.state, nonce: p.nonce, max_age: 3600,
    code_challenge: await client.calculatePKCECodeChallenge(p.verifier), code_challenge_method: 'S256' })
    .setProtectedHeader({ alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: jwk.kid })
    .setIssuer(id).setAudience(ISSUER).setIssuedAt().setNotBefore('0s').setExpirationTime('2m')
    .setJti(crypto.randomUUID())
    .sign(privateKey);
  const url = await client.buildAuthorizationUrlWithPAR(config, { request });
  const callback = await new Browser().signIn(url, user.username, user.password);
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: p.verifier,
    expectedState: p.state, expectedNonce: p.nonce, idTokenExpected: true });
  assert.equal(tokens.claims().sub, user.sub);
  // Signed by another key: openid-client sees the provider's refusal.
  const { privateKey: wrong } = await jose.generateKeyPair('RS256');
  const forged = await new jose.SignJWT({ client_id: id, response_type: 'code', redirect_uri: REDIRECT,
    scope: 'openid' }).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).setIssuer(id)
    .setAudience(ISSUER).setExpirationTime('2m').sign(wrong);
  await assert.rejects(client.buildAuthorizationUrlWithPAR(config, { request: forged }),
    (e) => e.error === 'invalid_request_object');
});
