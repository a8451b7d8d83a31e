// A key rotation as relying parties nobody here wrote live through it:
// openid-client (its own JWKS cache), jose (a remote key set, and a local
// one fetched once) and Authlib verify PS256 and EdDSA ID tokens signed
// before, and after, a second idp node on the same database rotated the
// keys: the next key was published before it signed, so a relying party
// that fetched the JWKS in between needs no new fetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as client from 'openid-client';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startIdp } from '../e2e/lib.mjs';
import { Browser, ISSUER, discover, idpctl } from './lib.mjs';

const REDIRECT = 'http://127.0.0.1:8083/callback';
const ALGS = ['PS256', 'EdDSA'];
const stamp = `${process.pid}`;
const user = { username: `rotasi${stamp}`, password: 'Tirta-Empul-2031 pagi' };
user.sub = idpctl(['--json', 'user', 'add', user.username, '--name', 'I Gede Rotasi',
  '--email', `${user.username}@baliprov.go.id`, '--password-stdin'], `${user.password}\n`).sub;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const keys = () => idpctl(['--json', 'keys', 'list']).keys;

async function until(what, fn, tries = 200) {
  for (let i = 0; i < tries; i += 1) {
    const v = await fn();
    if (v) return v;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function openidSignIn(rp) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(rp.config, { redirect_uri: REDIRECT,
    scope: 'openid profile', state, code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256' });
  const cb = await new Browser().signIn(url, user.username, user.password);
  const tokens = await client.authorizationCodeGrant(rp.config, cb,
    { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true });
  assert.equal(tokens.claims().sub, user.sub);
  return tokens.id_token;
}

async function authlibSignIn(rp) {
  const py = (...a) => {
    const r = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'authlib_rp.py'), ...a],
      { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const args = [ISSUER, rp.id, rp.secret, REDIRECT];
  const saved = py('start', ...args);
  const cb = await new Browser().signIn(saved.url, user.username, user.password);
  const out = py('finish', ...args, JSON.stringify(saved), cb.href);
  assert.equal(out.sub, user.sub);
  return out;
}

test('PS256 and EdDSA tokens verify in openid-client, jose and Authlib across a rotation', async () => {
  const rps = {};
  for (const alg of ALGS) {
    const id = `interop-rot-${alg.toLowerCase()}-${stamp}`;
    const { client_secret: secret } = idpctl(['--json', 'client', 'add', id,
      '--name', `Layanan Rotasi ${alg}`, '--redirect-uri', REDIRECT, '--grant', 'authorization_code',
      '--scope', 'openid profile', '--first-party', '--id-token-alg', alg]);
    rps[alg] = { id, secret, config: await discover(id, secret, alg) };
  }
  const old = Object.fromEntries(ALGS.map((alg) =>
    [alg, keys().find((k) => k.alg === alg && k.state === 'active').kid]));

  // A second node rotates every 30 s, publishing each key 15 s ahead.
  const b = await startIdp({ IDP_KEY_ROTATION_INTERVAL: '30', IDP_KEY_PREPUBLISH: '15',
    IDP_SIGNING_ALGS: 'RS256 PS256 EdDSA', IDP_KEY_RELOAD_INTERVAL: '1' });
  try {
    const next = await until('next keys', () => {
      const k = keys();
      const n = Object.fromEntries(ALGS.map((alg) =>
        [alg, k.find((x) => x.alg === alg && x.state === 'next')?.kid]));
      return ALGS.every((alg) => n[alg]) ? n : null;
    });
    await until('next keys published', async () => {
      const jwks = await (await fetch(`${ISSUER}/jwks`)).json();
      return ALGS.every((alg) => jwks.keys.some((k) => k.kid === next[alg]));
    });
    // Relying parties fetch the JWKS now (openid-client on its first
    // sign-in, jose remote and local sets), while the old keys still sign.
    const remote = createRemoteJWKSet(new URL(`${ISSUER}/jwks`));
    const local = createLocalJWKSet(await (await fetch(`${ISSUER}/jwks`)).json());
    const before = {};
    for (const alg of ALGS) {
      before[alg] = await openidSignIn(rps[alg]);
      const h = decodeProtectedHeader(before[alg]);
      assert.equal(h.alg, alg);
      assert.equal(h.kid, old[alg], `${alg}: the next key does not sign yet`);
      await jwtVerify(before[alg], remote, { issuer: ISSUER, audience: rps[alg].id, algorithms: [alg] });
      const a = await authlibSignIn(rps[alg]);
      assert.deepEqual([a.alg, a.kid], [alg, old[alg]]);
    }

    // The next keys sign, on the stack's idp too.
    for (const alg of ALGS) {
      const after = await until(`${alg} signed by the new key`, async () => {
        const t = await openidSignIn(rps[alg]);
        return decodeProtectedHeader(t).kid === next[alg] ? t : null;
      }, 120);
      for (const set of [remote, local]) {
        await jwtVerify(after, set, { issuer: ISSUER, audience: rps[alg].id, algorithms: [alg] });
        // Tokens signed before the rotation still verify.
        await jwtVerify(before[alg], set, { issuer: ISSUER, audience: rps[alg].id, algorithms: [alg] });
      }
      const a = await authlibSignIn(rps[alg]);
      assert.deepEqual([a.alg, a.kid], [alg, next[alg]]);
      const row = keys().find((k) => k.kid === old[alg]);
      assert.equal(row.state, 'retired');
      // A token from before still verifies with Authlib's key set too.
      const py = spawnSync('/usr/bin/python3', ['-c', `
import json, sys, requests
from authlib.jose import JsonWebKey, jwt
keys = JsonWebKey.import_key_set(requests.get(sys.argv[1], timeout=10).json())
claims = jwt.decode(sys.argv[2], keys)
print(json.dumps(claims.header))`, `${ISSUER}/jwks`, before[alg]], { encoding: 'utf8' });
      assert.equal(py.status, 0, py.stderr);
      assert.equal(JSON.parse(py.stdout).kid, old[alg]);
    }
  } finally {
    await b.stop();
  }
});
