// Sign-in and session checks shared by the ha suite's tests, on any base
// URL (an idp node, or HAProxy in front of them).
import { randomBytes } from 'node:crypto';
import { makeUser } from '../e2e/flow.mjs';
import { pkce } from '../e2e/lib.mjs';
import { CookieJar, basic, request, submitLogin } from '../fault/lib.mjs';

export const COOKIE = 'idp_session';

// A person with a random password. The password policy refuses a few
// random strings (a run such as "abc" or "111"): draw again then.
export function person() {
  for (let i = 0; ; i++) {
    try {
      return makeUser({ password: `${randomBytes(12).toString('hex')}#Q7` });
    } catch (e) {
      if (i >= 5 || !/refused: the password/.test(e.message)) throw e;
    }
  }
}

// authorize -> login page -> password -> redirect with a code, all through
// base; the session cookie is the person's when it reached the browser.
export async function signIn(base, client, user) {
  const jar = new CookieJar();
  const { verifier, challenge } = pkce();
  const q = new URLSearchParams({ response_type: 'code', client_id: client.id,
    redirect_uri: client.redirect, scope: 'openid offline_access', state: 's', nonce: 'n',
    code_challenge: challenge, code_challenge_method: 'S256', prompt: 'consent' });
  const page = await request('GET', `${base.url}/authorize?${q}`, { jar });
  if (page.status !== 200) return { status: page.status };
  const r = await submitLogin(base, jar, page, user);
  if (r.status !== 302 || !jar.get(COOKIE)) return { status: r.status };
  const code = new URL(r.location).searchParams.get('code');
  return { status: 302, cookie: jar.get(COOKIE), code, verifier };
}

// timeout: milliseconds a relying party waits for the answer before it
// gives up on it (and retries).
export function tokenRequest(base, client, form, { timeout } = {}) {
  return request('POST', `${base.url}/token`, {
    headers: { authorization: basic(client) }, form, timeout,
  });
}

export async function sessionWorks(base, client, cookie) {
  const jar = new CookieJar();
  jar.cookies.set(COOKIE, { value: cookie, attrs: [] });
  const q = new URLSearchParams({ response_type: 'code', client_id: client.id,
    redirect_uri: client.redirect, scope: 'openid', prompt: 'none', state: 's',
    code_challenge: pkce().challenge, code_challenge_method: 'S256' });
  const r = await request('GET', `${base.url}/authorize?${q}`, { jar });
  return r.status === 302 && new URL(r.location).searchParams.has('code');
}

