// Back-channel logout survives the provider: idp killed with SIGKILL right
// after a sign-out, while the service is down, loses nothing (the rows
// were committed with the session's end), and several idp instances on one
// database deliver each token once (FOR UPDATE SKIP LOCKED and a lease).
// The instances share one issuer, as the instances of one deployment do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ISSUER, decodeJwt, psql } from '../e2e/lib.mjs';
import { exchange, makeClient, makeUser } from '../e2e/flow.mjs';
import { LogoutReceiver } from '../e2e/receiver.mjs';
import { CookieJar, Idp, request, signInAt, sleep, submitLogin } from './lib.mjs';
import { pkce } from '../e2e/lib.mjs';

const shared = { IDP_ISSUER: ISSUER, IDP_OUTBOX_RETRY_BASE: '1', IDP_OUTBOX_RETRY_MAX: '2',
  IDP_OUTBOX_POLL_INTERVAL: '1', IDP_LOGOUT_TIMEOUT: '1' };

const rowState = (c) => psql(`SELECT string_agg(state, ',') FROM outbox
  WHERE kind = 'logout' AND label = '${c.id}'`);

test('kill -9 right after a sign-out: the token arrives after the restart', async (t) => {
  const rx = new LogoutReceiver();
  await rx.start();
  await rx.stop();	// the service is down
  const idp = await new Idp(shared).start();
  t.after(async () => { await idp.stop(); await rx.stop(); });
  const c = makeClient({ backchannel: rx.url });
  const user = makeUser();
  const s = await signInAt(idp, c, user);
  const out = await request('GET', `${idp.url}/logout?id_token_hint=${s.idToken}`, { jar: s.jar });
  assert.equal(out.status, 200);
  await idp.kill9();
  assert.equal(rowState(c), 'pending', 'the token was committed with the sign-out');
  await rx.start();
  await idp.start();
  const [got] = await rx.waitFor(1, 60000);
  assert.ok(got, 'delivered after the restart');
  const p = decodeJwt(got.token).payload;
  assert.equal(p.aud, c.id);
  assert.equal(p.sub, user.sub);
  for (let i = 0; i < 50 && rowState(c) !== 'delivered'; i++) await sleep(100);
  assert.equal(rowState(c), 'delivered');
});

test('two idp instances on one outbox deliver each token once', async (t) => {
  const rx = await new LogoutReceiver().start();
  const a = await new Idp(shared).start();
  const b = await new Idp(shared).start();
  t.after(async () => { await a.stop(); await b.stop(); await rx.stop(); });
  const clients = [0, 1, 2].map(() => makeClient({ backchannel: rx.url }));
  const people = Array.from({ length: 8 }, (_, i) => makeUser({ password: `Tirta-Empul-Gianyar-${i}` }));
  const sessions = [];
  for (const [i, u] of people.entries()) {
    const idp = i % 2 ? a : b;
    let last;
    const jar = new CookieJar();
    for (const c of clients) {
      const { verifier, challenge } = pkce();
      const q = new URLSearchParams({ response_type: 'code', client_id: c.id,
        redirect_uri: c.redirect, scope: 'openid', state: 's', nonce: 'n',
        code_challenge: challenge, code_challenge_method: 'S256' });
      let r = await request('GET', `${idp.url}/authorize?${q}`, { jar });
      if (r.status === 200) r = await submitLogin(idp, jar, r, u);
      assert.equal(r.status, 302);
      const code = new URL(r.location).searchParams.get('code');
      last = (await exchange(c, code, verifier)).json.id_token;
    }
    sessions.push({ idp, jar, hint: last });
  }
  await Promise.all(sessions.map((s) => request('GET',
    `${s.idp.url}/logout?id_token_hint=${s.hint}`, { jar: s.jar })));
  const want = people.length * clients.length;
  await rx.waitFor(want, 30000);
  await sleep(1500);
  const jtis = rx.tokens.map((x) => decodeJwt(x.token).payload.jti);
  assert.equal(jtis.length, want, `${jtis.length} tokens for ${want} notices`);
  assert.equal(new Set(jtis).size, want, 'no token was sent twice');
  assert.equal(psql(`SELECT count(*) FROM outbox WHERE kind = 'logout' AND state = 'delivered'
    AND label IN (${clients.map((c) => `'${c.id}'`).join(',')}) AND attempts = 1`), String(want));
});
