// Browser-like helpers for the sign-in suites: register clients and
// people through idpctl, walk /authorize -> login form -> redirect, and
// exchange codes at /token.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CookieJar, formInputs, http, idpctl, pkce, sleep, unique } from './lib.mjs';
import { LogoutReceiver } from './receiver.mjs';

export const REDIRECT = 'https://rp.example.go.id/callback';

export function makeUser(opts = {}) {
  const username = opts.username ?? unique('user');
  const args = ['--json', 'user', 'add', username, '--name', opts.name ?? 'Ni Wayan Uji',
    '--email', `${username}@baliprov.go.id`, '--password-stdin'];
  if (opts.org) args.push('--org', opts.org);
  // A random password may, rarely, look systematic or like a dictionary
  // word to cracklib; the password policy rightly refuses it: draw again.
  for (let tries = 0; ; tries++) {
    const password = opts.password ?? `sandi-${randomBytes(6).toString('hex')}`;
    const r = idpctl(args, { input: `${password}\n`, env: opts.env });
    if (r.status !== 0 && !opts.password && tries < 5 && /refused: the password/.test(r.stderr)) continue;
    assert.equal(r.status, 0, r.stderr);
    return { username, password, sub: r.json.sub };
  }
}

export function makeClient(opts = {}) {
  const id = opts.id ?? unique('rp-');
  const args = ['--json', 'client', 'add', id, '--name', opts.name ?? `Layanan ${id}`];
  for (const u of opts.redirects ?? [REDIRECT]) args.push('--redirect-uri', u);
  for (const g of opts.grants ?? ['authorization_code', 'refresh_token']) args.push('--grant', g);
  args.push('--scope', opts.scope ?? 'openid profile email phone organisation');
  if (opts.firstParty ?? true) args.push('--first-party');
  if (opts.auth) args.push('--auth-method', opts.auth);
  if (opts.alg) args.push('--id-token-alg', opts.alg);
  if (opts.atFormat) args.push('--access-token-format', opts.atFormat);
  if (opts.org) args.push('--org', opts.org);
  if (opts.backchannel) args.push('--backchannel-logout-uri', opts.backchannel);
  if (opts.frontchannel) args.push('--frontchannel-logout-uri', opts.frontchannel);
  for (const u of opts.postLogout ?? []) args.push('--post-logout-uri', u);
  args.push(...(opts.args ?? []));
  const r = idpctl(args, { env: opts.env });
  assert.equal(r.status, 0, r.stderr);
  return { id, secret: r.json.client_secret, redirect: (opts.redirects ?? [REDIRECT])[0] };
}

export function authorizeUrl(client, extra = {}) {
  const p = new URLSearchParams({
    response_type: 'code', client_id: client.id, redirect_uri: client.redirect,
    scope: 'openid profile email organisation', state: `st-${randomBytes(4).toString('hex')}`,
    nonce: `n-${randomBytes(4).toString('hex')}`, ...extra,
  });
  for (const [k, v] of Object.entries(extra)) if (v === undefined) p.delete(k);
  return `/authorize?${p}`;
}

// Parse a redirect to the client into its query parameters.
export function callback(location) {
  assert.ok(location, 'expected a redirect');
  const u = new URL(location);
  return Object.fromEntries(u.searchParams);
}

// Submit the login form on a page; returns the response.
export async function submitLogin(jar, page, username, password, extra = {}) {
  const f = formInputs(page.text);
  assert.ok(f.login && f.csrf_token, 'the page has a login form');
  return http('POST', '/login', { jar, form: { ...f, username, password, ...extra } });
}

// The whole front channel: authorize, log in if asked, follow to the
// client's redirect. Returns { params, page, verifier, nonce, state }.
export async function signIn(jar, client, user, extra = {}) {
  const { verifier, challenge } = pkce();
  const nonce = extra.nonce ?? `n-${randomBytes(4).toString('hex')}`;
  const state = extra.state ?? `st-${randomBytes(4).toString('hex')}`;
  const url = authorizeUrl(client, {
    code_challenge: challenge, code_challenge_method: 'S256', nonce, state, ...extra,
  });
  let r = await http('GET', url, { jar });
  let page;
  if (r.status === 200) {
    page = r;
    r = await submitLogin(jar, r, user.username, user.password);
  }
  assert.equal(r.status, 302, `expected a redirect, got ${r.status}: ${r.text.slice(0, 300)}`);
  return { params: callback(r.location), page, verifier, nonce, state };
}

export function basic(client) {
  const enc = (s) => encodeURIComponent(s);
  return `Basic ${Buffer.from(`${enc(client.id)}:${enc(client.secret)}`).toString('base64')}`;
}

export async function exchange(client, code, verifier, extra = {}) {
  const form = { grant_type: 'authorization_code', code, redirect_uri: client.redirect,
    code_verifier: verifier, ...extra };
  for (const [k, v] of Object.entries(form)) if (v === undefined) delete form[k];
  const headers = client.secret ? { authorization: basic(client) } : {};
  if (!client.secret) form.client_id = client.id;
  return http('POST', '/token', { form, headers });
}

export async function refresh(client, token, extra = {}) {
  const headers = client.secret ? { authorization: basic(client) } : {};
  const form = { grant_type: 'refresh_token', refresh_token: token, ...extra };
  if (!client.secret) form.client_id = client.id;
  return http('POST', '/token', { form, headers });
}

export async function userinfo(token) {
  return http('GET', '/userinfo', { headers: { authorization: `Bearer ${token}` } });
}

export function newJar() { return new CookieJar(); }

// Password, then the code on the second step (a person with a TOTP app):
// the response to the code.
export async function signInWithTotp(client, user, code) {
  const jar = newJar();
  const r = await http('GET', authorizeUrl(client, { code_challenge: 'x'.repeat(43),
    code_challenge_method: 'S256' }), { jar });
  assert.equal(r.status, 200);
  const step = await submitLogin(jar, r, user.username, user.password);
  assert.equal(step.status, 200, step.text.slice(0, 300));
  assert.match(step.text, /autocomplete="one-time-code"/);
  const form = step.text.split('<form').find((f) => f.includes('name="action" value="totp"'));
  assert.ok(form, 'the second step has a form for the code');
  return http('POST', '/login/factor', { jar, form: { ...formInputs(`<form${form.split('</form>')[0]}`),
    code } });
}

// A service whose back-channel logout endpoint answers status (400: it
// refuses the token): a person signs in to it and out again (RP-initiated
// logout), and the outbox delivers the logout token. Returns the client
// once the delivery is recorded as failed (a 4xx is not retried) or
// delivered.
export async function logoutService(name, status = 400) {
  const rx = await new LogoutReceiver().start();
  rx.status = status;
  try {
    const c = makeClient({ name, backchannel: rx.url });
    const jar = newJar();
    const { params, verifier } = await signIn(jar, c, makeUser());
    const t = await exchange(c, params.code, verifier);
    assert.equal(t.status, 200, t.text);
    await http('GET', `/logout?id_token_hint=${t.json.id_token}`, { jar });
    await rx.waitFor(1);
    for (let i = 0; i < 100; i++) {
      const st = idpctl(['--json', 'logout', 'status', '--client', c.id]).json?.services?.[0];
      if (st && st.failed + st.delivered === 1) return c;
      await sleep(100);
    }
    throw new Error(`the logout token to ${c.id} was not delivered or failed`);
  } finally { await rx.stop(); }
}
