// openid-client (v6) with what it supports of this work: the form_post
// response mode (the browser posts the page's form to the relying party,
// which hands the request to authorizationCodeGrant), a claims request
// (OIDC Core §5.5) for the ID token and for userinfo, and a signed
// userinfo answer (userinfo_signed_response_alg) that openid-client
// accepts and jose verifies against the JWKS on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const ISSUER = process.env.IDP_URL;
const REDIRECT = 'http://127.0.0.1:8084/callback';

function idpctl(args, input) {
  const r = spawnSync(process.env.IDP_CTL, args, { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return args.includes('--json') ? JSON.parse(r.stdout) : {};
}

// A browser that ends on the form_post page and submits its form the way
// a browser would: a POST of its fields to its action, as a Request the
// relying party receives.
async function formPost(url, user) {
  const cookies = new Map();
  const go = async (u, init = {}) => {
    const headers = { ...(init.headers ?? {}) };
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(u, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return res;
  };
  let res = await go(url);
  let html = await res.text();
  if (/name="password"/.test(html)) {
    const field = (n) => new RegExp(`name="${n}" value="([^"]*)"`).exec(html)[1];
    res = await go(new URL('/login', ISSUER), { method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: field('login'), csrf_token: field('csrf_token'), ...user }) });
    html = await res.text();
  }
  assert.equal(res.status, 200, 'the form_post page');
  const form = /<form id="response" method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html);
  assert.ok(form, html.slice(0, 300));
  const body = new URLSearchParams();
  const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    body.append(m[1], unescape(m[2]));
  }
  return new Request(unescape(form[1]), { method: 'POST', body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

const stamp = `${process.pid}`;
const user = { username: `klaim${stamp}`, password: 'Pura-Besakih-Ulun-4862' };
user.sub = idpctl(['--json', 'user', 'add', user.username, '--name', 'I Ketut Klaim',
  '--email', `klaim${stamp}@baliprov.go.id`, '--password-stdin'], `${user.password}\n`).sub;

test('openid-client: form_post, a claims request, signed userinfo', async () => {
  const id = `interop-claims-${stamp}`;
  const { client_secret: secret } = idpctl(['--json', 'client', 'add', id, '--name', 'Layanan Klaim (interop)',
    '--redirect-uri', REDIRECT, '--grant', 'authorization_code', '--first-party',
    '--scope', 'openid profile email', '--userinfo-alg', 'ES256']);
  const config = await client.discovery(new URL(ISSUER), id,
    { userinfo_signed_response_alg: 'ES256' }, client.ClientSecretBasic(secret),
    { execute: [client.allowInsecureRequests] });
  const meta = config.serverMetadata();
  assert.ok(meta.response_modes_supported.includes('form_post'));
  assert.equal(meta.claims_parameter_supported, true);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT, scope: 'openid', response_mode: 'form_post', state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    claims: JSON.stringify({ id_token: { name: { essential: true }, acr: { values: ['1'] } },
      userinfo: { email: { essential: true }, email_verified: null } }),
  });
  const request = await formPost(url, user);
  assert.equal(request.url, REDIRECT);
  const tokens = await client.authorizationCodeGrant(config, request,
    { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
  const claims = tokens.claims();
  assert.equal(claims.sub, user.sub);
  assert.equal(claims.name, 'I Ketut Klaim');
  assert.equal(claims.acr, '1');
  assert.equal(claims.email, undefined, 'email was asked for userinfo');
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.email, `klaim${stamp}@baliprov.go.id`);
  assert.equal(info.name, undefined);
  // jose, on its own: the answer is a JWT signed with a published key.
  const raw = await fetch(meta.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.match(raw.headers.get('content-type'), /^application\/jwt/);
  const { payload, protectedHeader } = await jwtVerify(await raw.text(),
    createRemoteJWKSet(new URL(meta.jwks_uri)), { issuer: ISSUER, audience: id });
  assert.equal(protectedHeader.alg, 'ES256');
  assert.equal(payload.sub, user.sub);
  assert.equal(payload.email_verified, false);
});

test('openid-client: an error in form_post mode reaches the relying party as an OAuth error', async () => {
  const id = `interop-claims-err-${stamp}`;
  const { client_secret: secret } = idpctl(['--json', 'client', 'add', id, '--name', 'Layanan Klaim Galat',
    '--redirect-uri', REDIRECT, '--grant', 'authorization_code', '--first-party', '--scope', 'openid']);
  const config = await client.discovery(new URL(ISSUER), id, {}, client.ClientSecretBasic(secret),
    { execute: [client.allowInsecureRequests] });
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid',
    response_mode: 'form_post', state, code_challenge: await client.calculatePKCECodeChallenge(
      client.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:x:emas'] } } }) });
  const request = await formPost(url, user);
  await assert.rejects(client.authorizationCodeGrant(config, request, { expectedState: state }),
    (e) => e.error === 'unmet_authentication_requirements');
});
