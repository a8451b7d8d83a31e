// Back-channel logout calls are bounded: an idp with
// logout_delivery_concurrency 2 never has more than two calls in flight,
// however many services a sign-out reaches and however slowly they
// answer, and every token still arrives. The receivers tell the calls of
// this idp from those of the stack's idp (which shares the outbox) by the
// token's iss: each idp signs with its own issuer here.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { decodeJwt, formInputs, pkce } from '../e2e/lib.mjs';
import { makeClient, makeUser } from '../e2e/flow.mjs';
import { CookieJar, Idp, request, sleep, submitLogin } from './lib.mjs';

// Slow services on loopback: each call is answered after delayMs; calls
// in flight are counted per issuer.
async function slowServices(n, delayMs) {
  const seen = { tokens: [], inFlight: new Map(), max: new Map() };
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise((ok) => {
    const s = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', async () => {
        const token = new URLSearchParams(body).get('logout_token') ?? '';
        const { iss } = decodeJwt(token).payload;
        const now = (seen.inFlight.get(iss) ?? 0) + 1;
        seen.inFlight.set(iss, now);
        seen.max.set(iss, Math.max(now, seen.max.get(iss) ?? 0));
        await sleep(delayMs);
        seen.inFlight.set(iss, seen.inFlight.get(iss) - 1);
        seen.tokens.push(token);
        res.writeHead(200);
        res.end();
      });
    });
    s.listen(0, '127.0.0.1', () => ok(s));
  })));
  seen.urls = servers.map((s) => `http://127.0.0.1:${s.address().port}/bcl`);
  seen.close = () => Promise.all(servers.map((s) => new Promise((ok) => {
    s.closeAllConnections();
    s.close(ok);
  })));
  return seen;
}

test('at most logout_delivery_concurrency calls at once; every token arrives', async (t) => {
  const rx = await slowServices(6, 700);
  const idp = await new Idp({ IDP_LOGOUT_DELIVERY_CONCURRENCY: '2', IDP_LOGOUT_TIMEOUT: '10',
    IDP_OUTBOX_POLL_INTERVAL: '1' }).start();
  t.after(async () => { await idp.stop(); await rx.close(); });
  const clients = rx.urls.map((u) => makeClient({ backchannel: u }));
  const user = makeUser();
  const jar = new CookieJar();
  for (const c of clients) {
    const { challenge } = pkce();
    const q = new URLSearchParams({ response_type: 'code', client_id: c.id,
      redirect_uri: c.redirect, scope: 'openid', state: 's', nonce: 'n',
      code_challenge: challenge, code_challenge_method: 'S256' });
    let r = await request('GET', `${idp.url}/authorize?${q}`, { jar });
    if (r.status === 200) r = await submitLogin(idp, jar, r, user);
    assert.equal(r.status, 302, r.text?.slice(0, 200));
  }
  const page = await request('GET', `${idp.url}/logout`, { jar });
  const out = await request('POST', `${idp.url}/logout`, { jar, form: formInputs(page.text) });
  assert.equal(out.status, 200);
  for (let i = 0; i < 300 && rx.tokens.length < clients.length; i++) await sleep(50);
  assert.equal(rx.tokens.length, clients.length, 'every service got its token');
  assert.equal(new Set(rx.tokens.map((x) => decodeJwt(x).payload.jti)).size, clients.length);
  const mine = rx.max.get(idp.url) ?? 0;
  assert.ok(mine >= 1 && mine <= 2, `this idp had ${mine} calls in flight at once (at most 2)`);
});
