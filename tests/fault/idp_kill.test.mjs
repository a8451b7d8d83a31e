// idp killed with SIGKILL in the middle of sign-ins: every session whose
// cookie reached a browser works after idp is started again (a session
// is committed before its cookie is sent), and sign-ins go on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeClient, makeUser } from '../e2e/flow.mjs';
import {
  CookieJar, Idp, authorize, loginPage, loops, sleep, submitLogin,
} from './lib.mjs';

const COOKIE = 'idp_session';

async function signIn(idp, client, user) {
  const jar = new CookieJar();
  const page = await loginPage(idp, client, jar).catch(() => null);
  if (page === null) return { failed: true };
  const r = await submitLogin(idp, jar, page, user);
  if (r.status === 302 && jar.get(COOKIE)) return { cookie: jar.get(COOKIE), r };
  return { failed: true, r };
}

test('kill -9 of idp during sign-ins: every session cookie handed out still works', async (t) => {
  const idp = await new Idp({ IDP_WORKER_THREADS: '4' }).start();
  t.after(() => idp.stop());
  const client = makeClient();
  const users = Array.from({ length: 4 }, () => makeUser());

  let n = 0;
  const browsers = loops(users.length, () => signIn(idp, client, users[n++ % users.length]), 0);
  await sleep(1500);
  await idp.kill9();
  const results = await browsers.stop();
  const cookies = results.filter((x) => x.cookie).map((x) => x.cookie);
  assert.ok(cookies.length > 0, 'sign-ins completed before the kill');
  assert.ok(results.some((x) => x.failed), 'sign-ins were cut by the kill');
  t.diagnostic(`${cookies.length} sessions handed out before the kill`);

  await idp.start();
  for (const cookie of cookies) {
    const jar = new CookieJar();
    jar.cookies.set(COOKIE, { value: cookie, attrs: [] });
    const r = await authorize(idp, client, jar, { prompt: 'none' });
    assert.equal(r.status, 302, `authorize with a session: ${r.status}`);
    const cb = Object.fromEntries(new URL(r.location).searchParams);
    assert.ok(cb.code, `a session cookie handed out before the kill no longer works: ${cb.error}`);
  }
  const again = await signIn(idp, client, users[0]);
  assert.ok(again.cookie, 'sign-ins work after the restart');
});
