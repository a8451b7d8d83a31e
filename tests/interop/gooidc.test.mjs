// Go's coreos/go-oidc with golang.org/x/oauth2 (Debian packages) as a
// relying party, used as their examples show (gooidc_rp/main.go): a
// person signs in, the ID token passes go-oidc's verifier with its default
// RS256 and with the other algorithms discovery offers that go-oidc
// knows, userinfo answers, the refresh token refreshes. The same verifier
// refuses a token for another client, a tampered one, a wrong nonce and an
// algorithm it was not told to accept. The program is built here with the
// Debian Go toolchain, offline (GOPATH mode over /usr/share/gocode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, ISSUER, idpctl } from './lib.mjs';

const REDIRECT = 'http://127.0.0.1:8084/callback';
const GO = ['/usr/bin/go', '/usr/lib/go/bin/go'].find((p) => existsSync(p));
const skip = GO ? false
  : 'the Go toolchain is not installed (golang-go, listed in deploy/lib/deps.sh IDP_TEST_PKGS)';

const out = GO && mkdtempSync(join(tmpdir(), 'gooidc-'));
const RP = GO && join(out, 'gooidc_rp');
process.on('exit', () => out && rmSync(out, { recursive: true, force: true }));

let built;
function build() {
  if (built) return built;
  const r = spawnSync(GO, ['build', '-o', RP, '.'], {
    cwd: join(import.meta.dirname, 'gooidc_rp'), encoding: 'utf8',
    env: { ...process.env, GOPATH: '/usr/share/gocode', GO111MODULE: 'off',
      GOFLAGS: '', GOPROXY: 'off', GOENV: 'off', GOTOOLCHAIN: 'local',
      GOCACHE: join(process.env.IDP_BUILD_DIR ?? out, 'go-cache') } });
  built = r;
  return r;
}

function gooidc(...args) {
  const b = build();
  assert.equal(b.status, 0, `go build: ${b.stderr}`);
  return spawnSync(RP, args, { encoding: 'utf8' });
}

function rp(...args) {
  const r = gooidc(...args);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// The reason go-oidc gives for refusing a token.
function refused(...args) {
  const r = gooidc('verify', ISSUER, ...args);
  assert.equal(r.status, 1, `accepted: ${r.stdout}`);
  return r.stderr;
}

const stamp = `${process.pid}`;
const user = { username: `gooidc${stamp}`, password: 'Danau-Batur-2031 fajar' };

function person() {
  if (!user.sub) {
    user.sub = idpctl(['--json', 'user', 'add', user.username, '--name', 'I Made Gopher',
      '--email', `${user.username}@baliprov.go.id`, '--password-stdin'], `${user.password}\n`).sub;
  }
  return user;
}

function client(name, ...extra) {
  const c = idpctl(['--json', 'client', 'add', name, '--name', `Layanan ${name}`,
    '--redirect-uri', REDIRECT, '--grant', 'authorization_code', '--grant', 'refresh_token',
    '--scope', 'openid profile email', '--first-party', ...extra]);
  return [ISSUER, name, c.client_secret, REDIRECT];
}

// start, the person's browser, finish: one sign-in as go-oidc does it.
async function signIn(args, alg) {
  const p = person();
  const saved = rp('start', ...args);
  const auth = new URL(saved.url);
  assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(auth.searchParams.get('scope'), 'openid profile email');
  assert.equal(auth.searchParams.get('nonce'), saved.nonce);
  const callback = await new Browser().signIn(saved.url, p.username, p.password);
  return { saved, got: rp('finish', ...args, alg, JSON.stringify(saved), callback.href) };
}

function header(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url'));
}

let rs256;

test('go-oidc with its defaults (RS256): sign-in, ID token, at_hash, userinfo, refresh', { skip }, async () => {
  const { saved, got } = await signIn(client(`gooidc-${stamp}`), '');
  assert.equal(header(got.id_token).alg, 'RS256');
  assert.equal(got.sub, user.sub);
  assert.equal(got.at_hash, true, 'at_hash matches the access token');
  assert.deepEqual(got.scope.split(' ').sort(), ['email', 'openid', 'profile']);
  assert.equal(got.userinfo_sub, user.sub);
  assert.equal(got.email, `${user.username}@baliprov.go.id`);
  assert.equal(got.refresh_token, true, 'first-party: a refresh token with the refresh grant');
  assert.equal(got.refreshed, true);
  assert.equal(got.new_access_token, true);
  assert.equal(got.refreshed_id_token_verified, true, 'a new ID token, same sub (OIDC Core §12.2)');
  assert.equal(got.userinfo_sub_after_refresh, user.sub, 'the refreshed access token works');
  rs256 = { token: got.id_token, nonce: saved.nonce, client: `gooidc-${stamp}` };
});

test('go-oidc verifies the other ID token algorithms discovery lists', { skip }, async () => {
  const meta = await (await fetch(`${ISSUER}/.well-known/openid-configuration`)).json();
  const offered = meta.id_token_signing_alg_values_supported;
  // What go-oidc 2.1 names (jose.go) among what the provider has keys
  // for: ES256 always (idpctl keys generate), PS256 when it has a key.
  const algs = offered.filter((a) => a !== 'RS256' && /^(RS|ES|PS)(256|384|512)$/.test(a));
  assert.ok(algs.includes('ES256'), `offered: ${offered}`);
  for (const alg of algs) {
    const name = `gooidc-${alg.toLowerCase()}-${stamp}`;
    const { saved, got } = await signIn(client(name, '--id-token-alg', alg), alg);
    assert.equal(header(got.id_token).alg, alg);
    assert.equal(got.sub, user.sub);
    assert.equal(got.at_hash, true, `${alg}: at_hash`);
    assert.equal(got.refreshed, true);
    assert.equal(got.refreshed_id_token_verified, true, `${alg}: the refreshed ID token`);
    assert.equal(got.userinfo_sub_after_refresh, user.sub);
    // go-oidc's default verifier accepts RS256 only.
    assert.match(refused(name, '', saved.nonce, got.id_token), /unsupported algorithm/);
  }
});

test('go-oidc refuses a token for another client, a tampered one, a wrong nonce', { skip }, () => {
  assert.ok(rs256, 'the RS256 sign-in ran');
  const { token, nonce, client: id } = rs256;
  assert.equal(rp('verify', ISSUER, id, '', nonce, token).sub, user.sub, 'the token itself is good');
  const other = `gooidc-other-${stamp}`;
  client(other);
  assert.match(refused(other, '', nonce, token), /expected audience/);
  const [h, p, s] = token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  claims.sub = 'someone-else';
  const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
  assert.match(refused(id, '', nonce, forged), /failed to verify signature/);
  const sig = Buffer.from(s, 'base64url');
  sig[0] ^= 1;
  assert.match(refused(id, '', nonce, `${h}.${p}.${sig.toString('base64url')}`),
    /failed to verify signature/);
  assert.match(refused(id, '', 'not-the-nonce', token), /nonce/);
});
