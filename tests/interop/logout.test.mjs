// Single sign-out with software nobody here wrote: the jose library
// verifies every logout token three services receive against the JWKS,
// with the rules of Back-Channel Logout 1.0 §2.4/§2.6; and Apache with
// mod_auth_openidc, configured for back-channel logout at its redirect
// URI, drops its own session when the person signs out at the provider,
// so its next request goes to the provider again.
import { request } from 'node:http';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { http, idpctl, psql, sleep } from '../e2e/lib.mjs';
import { exchange, makeClient, makeUser, newJar, signIn, submitLogin } from '../e2e/flow.mjs';
import { LogoutReceiver } from '../e2e/receiver.mjs';
import { Apache, haveApache } from './apache.mjs';
import { CookieJar } from '../e2e/lib.mjs';

const ISSUER = process.env.IDP_URL;
// A browser's navigation to Apache. mod_auth_openidc answers 401 instead of
// redirecting a request that does not look like one (fetch sends
// Sec-Fetch-Mode: cors), so this goes through node:http.
function navigate(url, jar) {
  return new Promise((resolve, reject) => {
    const headers = { accept: 'text/html,application/xhtml+xml', 'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document' };
    if (jar.cookies.size) headers.cookie = jar.header();
    const req = request(url, { headers }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        jar.store({ headers: { getSetCookie: () => [res.headers['set-cookie'] ?? []].flat() } });
        resolve({ status: res.statusCode, location: res.headers.location, text });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

test('three services, one login, one sign-out: jose verifies every logout token', async (t) => {
  const rx = await Promise.all([0, 1, 2].map(() => new LogoutReceiver().start()));
  t.after(() => Promise.all(rx.map((r) => r.stop())));
  const algs = ['RS256', 'ES256', 'RS256'];
  const clients = rx.map((r, i) => makeClient({ backchannel: r.url, alg: algs[i] }));
  const user = makeUser();
  const jar = newJar();
  let sid, hint;
  const idAlg = {};
  for (const c of clients) {
    const { params, verifier } = await signIn(jar, c, user);
    const tok = await exchange(c, params.code, verifier);
    assert.equal(tok.status, 200, tok.text);
    hint = tok.json.id_token;
    idAlg[c.id] = decodeProtectedHeader(hint).alg;
    const claims = JSON.parse(Buffer.from(hint.split('.')[1], 'base64url'));
    sid ??= claims.sid;
    assert.equal(claims.sid, sid);
  }
  const out = await http('GET', `/logout?id_token_hint=${hint}`, { jar });
  assert.equal(out.status, 200);
  const jwks = createRemoteJWKSet(new URL(`${ISSUER}/jwks`));
  const jtis = new Set();
  for (const [i, r] of rx.entries()) {
    const [got] = await r.waitFor(1);
    assert.ok(got, `service ${i} received a token`);
    const { payload, protectedHeader } = await jwtVerify(got.token, jwks, {
      issuer: ISSUER, audience: clients[i].id, typ: 'logout+jwt', maxTokenAge: '2 minutes',
      requiredClaims: ['iat', 'exp', 'jti', 'sub', 'sid', 'events'],
    });
    assert.equal(protectedHeader.alg, idAlg[clients[i].id], "signed like the client's ID tokens");
    assert.equal(payload.sub, user.sub);
    assert.equal(payload.sid, sid);
    assert.deepEqual(payload.events, { [EVENT]: {} });
    assert.equal('nonce' in payload, false);
    jtis.add(payload.jti);
  }
  assert.equal(jtis.size, 3);
});

test('mod_auth_openidc: after a sign-out at the provider the protected location asks the provider again',
  { skip: haveApache() ? false : 'apache2 or libapache2-mod-auth-openidc is not installed' }, async (t) => {
    const apache = await new Apache({ issuer: ISSUER }).prepare();
    const c = makeClient({ redirects: [apache.redirectUri], backchannel: apache.backchannelUri,
      scope: 'openid' });
    apache.clientId = c.id;
    apache.secret = c.secret;
    await apache.start();
    t.after(() => apache.stop());
    const user = makeUser();
    const rp = new CookieJar();	// the browser's cookies for Apache
    const op = newJar();		// and for the provider

    // Sign in through Apache: it redirects to /authorize, the person signs
    // in, the provider redirects back with a code, Apache sets its session.
    let r = await navigate(apache.page, rp);
    assert.equal(r.status, 302, apache.log());
    assert.ok(r.location.startsWith(`${ISSUER}/authorize?`), r.location);
    let page = await http('GET', r.location, { jar: op });
    assert.equal(page.status, 200);
    r = await submitLogin(op, page, user.username, user.password);
    assert.equal(r.status, 302, r.text.slice(0, 300));
    assert.ok(r.location.startsWith(apache.redirectUri), r.location);
    r = await navigate(r.location, rp);
    assert.equal(r.status, 302, `${r.text}\n${apache.log()}`);
    r = await navigate(apache.page, rp);
    assert.equal(r.status, 200, apache.log());
    assert.equal(r.text, 'ok\n');

    // Sign out at the provider (the confirmation form, no hint).
    page = await http('GET', '/logout', { jar: op });
    assert.equal(page.status, 200);
    const form = Object.fromEntries([...page.text.matchAll(/<input\b[^>]*name="([^"]*)"[^>]*value="([^"]*)"/g)]
      .map((m) => [m[1], m[2].replace(/&amp;/g, '&')]));
    r = await http('POST', '/logout', { jar: op, form });
    assert.equal(r.status, 200);
    let state;
    for (let i = 0; i < 100; i++) {
      state = psql(`SELECT state || ' ' || coalesce(last_status, 0) FROM outbox
        WHERE kind = 'logout' AND label = '${c.id}'`);
      if (!state.startsWith('pending')) break;
      await sleep(100);
    }
    assert.match(state, /^delivered 20[0-9]$/, `mod_auth_openidc took the token: ${state}\n${apache.log()}`);
    const st = idpctl(['--json', 'logout', 'status', '--client', c.id]);
    assert.equal(st.json.services[0].delivered, 1);

    // Apache's own session is gone: the next request goes to the provider.
    r = await navigate(apache.page, rp);
    assert.equal(r.status, 302, `still signed in at Apache:\n${apache.log()}`);
    assert.ok(r.location.startsWith(`${ISSUER}/authorize?`));
  });
