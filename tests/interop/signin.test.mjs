// openid-client (v6, npm; certified RP library by Filip Skokan) runs the
// whole sign-in against the provider: discovery, PKCE, code exchange with
// ID token validation (signature included), userinfo, refresh. jose
// verifies the ID token against the JWKS on its own, independently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Browser, ISSUER, REDIRECT, discover, idpctl } from './lib.mjs';

const stamp = `${process.pid}`;
idpctl(['org', 'add', 'baliprov', '--name', 'Pemerintah Provinsi Bali', '--kind', 'province']);
idpctl(['org', 'add', 'baliprov.diskominfos', '--name', 'Dinas Komunikasi, Informatika dan Statistik',
  '--kind', 'provincial_agency', '--parent', 'baliprov']);
const user = { username: `interop${stamp}`, password: 'kata-sandi-antarmuka' };
user.sub = idpctl(['--json', 'user', 'add', user.username, '--name', 'Ni Made Interop',
  '--email', `interop${stamp}@baliprov.go.id`, '--org', 'baliprov.diskominfos', '--password-stdin'],
`${user.password}\n`).sub;

for (const alg of ['RS256', 'ES256', 'PS256', 'EdDSA']) {
  test(`openid-client: discovery, PKCE, code exchange, userinfo, refresh (${alg})`, async () => {
    const id = `interop-${alg.toLowerCase()}-${stamp}`;
    const { client_secret: secret } = idpctl(['--json', 'client', 'add', id,
      '--name', 'Portal Evaluasi SPBE (interop)', '--redirect-uri', REDIRECT,
      '--grant', 'authorization_code', '--grant', 'refresh_token', '--first-party',
      '--scope', 'openid profile email organisation', '--id-token-alg', alg]);
    const config = await discover(id, secret, alg);
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, ISSUER);
    assert.ok(meta.code_challenge_methods_supported.includes('S256'));

    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT, scope: 'openid profile email organisation', state, nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const callback = await new Browser().signIn(url, user.username, user.password);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    assert.equal(claims.sub, user.sub);
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.aud, id);
    assert.equal(claims.organisation.code, 'baliprov.diskominfos');

    // jose, separately, against the published keys.
    const jwks = createRemoteJWKSet(new URL(meta.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token, jwks,
      { issuer: ISSUER, audience: id });
    assert.equal(protectedHeader.alg, alg);
    assert.equal(payload.nonce, nonce);

    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.name, 'Ni Made Interop');
    assert.equal(info.organisation.parent, 'baliprov');

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    assert.equal(refreshed.claims().sub, user.sub);
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token),
      (e) => e.error === 'invalid_grant');
  });
}

test('openid-client: a second relying party signs in through the SSO session', async () => {
  const browser = new Browser();
  const configs = [];
  for (const n of [1, 2]) {
    const id = `interop-sso${n}-${stamp}`;
    const { client_secret: secret } = idpctl(['--json', 'client', 'add', id, '--name', `SSO ${n}`,
      '--redirect-uri', REDIRECT, '--first-party']);
    configs.push(await discover(id, secret));
  }
  for (const config of configs) {
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT,
      scope: 'openid profile', code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256', state: client.randomState() });
    const before = browser.cookies.has('idp_session');
    const first = await browser.get(url);
    if (before) assert.equal(first.status, 302, 'no login page for the second client');
    const cb = before ? new URL(first.headers.get('location'))
      : await browser.signIn(url, user.username, user.password);
    const tokens = await client.authorizationCodeGrant(config, cb, {
      pkceCodeVerifier: verifier, expectedState: cb.searchParams.get('state') });
    assert.equal(tokens.claims().sub, user.sub);
  }
});
