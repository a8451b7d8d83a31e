// PostgreSQL crashes (SIGQUIT to the postmaster, what pg_ctl -m immediate
// sends: no checkpoint, no shutdown) right after idp answered. Everything
// idp had handed out must be there after PostgreSQL restarts and replays
// its WAL: tokens from 100 code exchanges, the newest token of a rotation
// chain, codes not yet exchanged, a fresh SSO session, a consent, and the
// audit rows of that sign-in and consent. idp keeps running throughout. A
// loss shows only when the crash catches the tail of the WAL unwritten, so
// the scenario runs three times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { env, formInputs, http, pgctl, psql, sleep } from '../e2e/lib.mjs';
import { authorizeUrl, basic, callback, exchange, makeClient, makeUser, newJar,
  refresh, signIn, submitLogin } from '../e2e/flow.mjs';

// Run fn(item, index) over items, at most `width` at a time, in order.
async function inBatches(items, width, fn) {
  const out = [];
  for (let i = 0; i < items.length; i += width) {
    out.push(...await Promise.all(items.slice(i, i + width).map((x, j) => fn(x, i + j))));
  }
  return out;
}

function introspect(client, token, hint) {
  return http('POST', '/introspect', { headers: { authorization: basic(client) },
    form: { token, token_type_hint: hint } });
}

// The crash itself is one signal, sent the instant the last answer came
// (a shell running pg_ctl would give the WAL writer time to flush).
function postmaster() {
  return Number(readFileSync(`${env.PG_DIR}/data/postmaster.pid`, 'utf8').split('\n')[0]);
}

async function crash(pid) {
  process.kill(pid, 'SIGQUIT');
  for (let i = 0; i < 100; i++) {
    try { process.kill(pid, 0); } catch { return; }
    await sleep(50);
  }
  assert.fail('PostgreSQL did not stop within 5 s of SIGQUIT');
}

async function waitReady() {
  for (let i = 0; i < 100; i++) {
    if ((await http('GET', '/readyz')).status === 200) return;
    await sleep(100);
  }
  assert.fail('idp did not get its database back within 10 s');
}

// Everything a client or browser is handed, the last of it in the final
// moment before the crash: 100 grants from code exchanges (the last 20
// then), the 15th rotation of a refresh token chain, a sign-in, a consent
// and five new codes.
async function handOut() {
  const user = makeUser();
  const late = makeUser();
  const client = makeClient();
  const third = makeClient({ firstParty: false });
  const jar = newJar();
  const first = await signIn(jar, client, user);
  const codes = await inBatches(Array.from({ length: 100 }), 16,
    () => signIn(jar, client, user));
  const exchangeOk = async (s) => {
    const r = await exchange(client, s.params.code, s.verifier);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const sets = await inBatches(codes.slice(0, 80), 16, exchangeOk);
  // Pages a browser holds, to be answered at the end.
  const lateJar = newJar();
  const loginPage = await http('GET', authorizeUrl(client), { jar: lateJar });
  assert.equal(loginPage.status, 200);
  const consentPage = await http('GET', authorizeUrl(third, { scope: 'openid profile' }), { jar });
  assert.equal(consentPage.status, 200, 'the third-party client asks for consent');
  let chain = (await exchange(client, first.params.code, first.verifier)).json;
  for (let i = 0; i < 14; i++) {
    const r = await refresh(client, chain.refresh_token);
    assert.equal(r.status, 200, r.text);
    chain = r.json;
  }
  const pid = postmaster();
  const [last, lastSets, signedIn, consented, ...fresh] = await Promise.all([
    refresh(client, chain.refresh_token),
    Promise.all(codes.slice(80).map(exchangeOk)),
    submitLogin(lateJar, loginPage, late.username, late.password),
    http('POST', '/consent', { jar, form: { ...formInputs(consentPage.text), decision: 'allow' } }),
    ...Array.from({ length: 5 }, () => signIn(jar, client, user)),
  ]);
  await crash(pid);
  assert.equal(last.status, 200, last.text);
  assert.equal(signedIn.status, 302);
  assert.equal(consented.status, 302);
  return { client, third, jar, lateJar, late, chain: last.json, sets: [...sets, ...lastSets],
    fresh, consentCode: callback(consented.location).code };
}

// What of it is gone after the restart (nothing, it must be).
async function missing(h) {
  const lost = [];
  const check = (ok, what) => { if (!ok) lost.push(what); };
  await inBatches(h.sets, 16, async (t, i) => {
    check((await introspect(h.client, t.access_token, 'access_token')).json.active,
      `access token ${i} of 100`);
    check((await introspect(h.client, t.refresh_token, 'refresh_token')).json.active,
      `refresh token ${i} of 100`);
  });
  check((await introspect(h.client, h.chain.access_token, 'access_token')).json.active,
    'the newest access token of the chain');
  check((await refresh(h.client, h.chain.refresh_token)).status === 200,
    'the newest refresh token of the chain');
  for (const [i, s] of h.fresh.entries()) {
    check((await exchange(h.client, s.params.code, s.verifier)).status === 200,
      `new code ${i}`);
  }
  check((await http('GET', authorizeUrl(h.client), { jar: h.lateJar })).status === 302,
    'the session of the last sign-in');
  check((await exchange(h.third, h.consentCode, undefined)).status === 200,
    'the code issued with the consent');
  check((await http('GET', authorizeUrl(h.third, { scope: 'openid profile' }),
    { jar: h.jar })).status === 302, 'the consent');
  check(psql(`SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id
    WHERE a.event = 'login.success' AND u.sub = '${h.late.sub}'`) === '1',
  'the audit row of the sign-in');
  check(psql(`SELECT count(*) FROM audit_log WHERE event = 'consent.granted'
    AND client_id = '${h.third.id}'`) === '1', 'the audit row of the consent');
  return lost;
}

test('nothing idp answered is lost when PostgreSQL crashes right after', async () => {
  for (const round of [1, 2, 3]) {
    const handed = await handOut();
    pgctl('start');
    await waitReady();
    assert.deepEqual(await missing(handed), [], `lost after crash ${round}`);
  }
});
