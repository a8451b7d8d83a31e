// The password-hash queue full: sign-ins beyond it get 503 with
// Retry-After at once, while discovery, token and userinfo requests are
// served as usual (no worker waits behind a hash).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeClient, makeUser } from '../e2e/flow.mjs';
import { pkce } from '../e2e/lib.mjs';
import {
  CookieJar, assertUnavailable, authorize, basic, clientCredentials, loginPage, request,
  serviceStack, submitLogin,
} from './lib.mjs';

// One hashing thread, one waiting slot, and a cost that keeps a hash
// busy long enough for a burst of sign-ins to overflow the queue.
const COST = { IDP_ARGON2_MEMORY_KIB: '65536', IDP_ARGON2_ITERATIONS: '3' };

async function accessToken(idp, client, user) {
  const jar = new CookieJar();
  const { verifier, challenge } = pkce();
  const page = await authorize(idp, client, jar, { code_challenge: challenge });
  assert.equal(page.status, 200);
  const r = await submitLogin(idp, jar, page, user);
  assert.equal(r.status, 302, r.text);
  const code = new URL(r.location).searchParams.get('code');
  const t = await request('POST', `${idp.url}/token`, {
    headers: { authorization: basic(client) },
    form: { grant_type: 'authorization_code', code, redirect_uri: client.redirect,
      code_verifier: verifier },
  });
  assert.equal(t.status, 200, t.text);
  return t.json.access_token;
}

test('hash queue full: 503 for the sign-ins beyond it, other endpoints unaffected', async (t) => {
  const { idp, svc } = await serviceStack(t,
    { IDP_HASH_THREADS: '1', IDP_HASH_QUEUE: '1', ...COST });
  const client = makeClient();
  const user = makeUser({ env: COST });
  const token = await accessToken(idp, client, user);

  const jars = Array.from({ length: 12 }, () => new CookieJar());
  const pages = [];
  for (const jar of jars) pages.push(await loginPage(idp, client, jar));
  const logins = jars.map((jar, i) => submitLogin(idp, jar, pages[i], user));

  const checks = await Promise.all([0, 1, 2].flatMap(() => [
    request('GET', `${idp.url}/.well-known/openid-configuration`),
    clientCredentials(idp, svc),
    request('GET', `${idp.url}/userinfo`, { headers: { authorization: `Bearer ${token}` } }),
  ]));
  const checksDone = Date.now();
  const done = await Promise.all(logins);

  for (const r of checks) assert.equal(r.status, 200, `${r.status} ${r.text}`);
  const refused = done.filter((r) => r.status === 503);
  assert.ok(refused.length > 0, 'the burst overflowed the hash queue');
  t.diagnostic(`${refused.length} of ${done.length} sign-ins refused`);
  for (const r of refused) assertUnavailable(r, 'login beyond the queue');
  for (const r of done) assert.ok(r.status === 302 || r.status === 503, `login: ${r.status}`);
  assert.ok(done.some((r) => r.status === 302), 'the sign-ins the queue took succeeded');
  assert.ok(Math.max(...done.map((r) => r.t1)) > checksDone,
    'the other endpoints answered while sign-ins still waited for a hash');
});
