// A delivered token whose outcome cannot be written at once: PostgreSQL
// goes away between the service's 200 and the lane's UPDATE. The lane
// tries again (RECORD_TRIES, a second apart), so the row is marked
// delivered when the database is back, and the service is not called a
// second time after the lease (which is what happens, by design, when the
// database stays away longer: at least once, never lost).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ISSUER, decodeJwt, psql } from '../e2e/lib.mjs';
import { LogoutReceiver } from '../e2e/receiver.mjs';
import { makeClient, makeUser } from '../e2e/flow.mjs';
import { Idp, pg, request, signInAt, sleep } from './lib.mjs';

test('PostgreSQL away when a token has been delivered: recorded once it is back, not sent again', async (t) => {
  const rx = await new LogoutReceiver().start();
  const idp = await new Idp({ IDP_ISSUER: ISSUER, IDP_OUTBOX_POLL_INTERVAL: '1',
    IDP_LOGOUT_TIMEOUT: '2' }).start();
  let pgDown = false;
  t.after(async () => {
    if (pgDown) await pg('start');
    await idp.stop();
    await rx.stop();
  });
  const c = makeClient({ backchannel: rx.url });
  const user = makeUser();
  const { jar, idToken } = await signInAt(idp, c, user);

  // The service takes the token, then the database stops before the
  // answer leaves; it starts again while the lane is still trying.
  let back;
  const restarted = new Promise((ok) => { back = ok; });
  rx.beforeAnswer = async () => {
    rx.beforeAnswer = null;
    pgDown = true;
    await pg('stop');
    sleep(300).then(() => pg('start')).then(() => { pgDown = false; back(); });
  };
  const out = await request('GET', `${idp.url}/logout?id_token_hint=${idToken}`, { jar });
  assert.equal(out.status, 200);
  await rx.waitFor(1, 20000);
  assert.equal(rx.tokens.length, 1, 'the service got its token');
  await restarted;
  const state = () => psql(`SELECT state || ' ' || attempts FROM outbox
    WHERE kind = 'logout' AND label = '${c.id}'`);
  for (let i = 0; i < 100 && state() !== 'delivered 1'; i++) await sleep(100);
  assert.equal(state(), 'delivered 1', 'the outcome was written when the database was back');
  assert.doesNotMatch(idp.logText(), /event=outbox\.unrecorded/);
  assert.match(idp.logText(), /event=outbox\.delivered[^\n]*label=/);
  // Well past the lane's poll: nothing is sent twice.
  await sleep(3000);
  assert.equal(rx.tokens.length, 1, 'the token was not sent again');
  assert.equal(decodeJwt(rx.tokens[0].token).payload.aud, c.id);
});
