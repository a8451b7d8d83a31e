// The provider on two machines' worth of processes (tests/ha/topology.sh):
// Patroni with a primary and a synchronous standby, HAProxy in front of
// PostgreSQL and of two idp nodes. What a person and a relying party see
// when the primary's machine dies (every process of it SIGKILLed) under
// sign-in and refresh traffic, and then when one idp node dies: how long
// requests got 503, and how many sessions and refresh tokens that had
// been handed out were lost (the goal: none). Timing figures are printed,
// not asserted; losses and wrong answers are asserted (one, the refresh
// tokens of an idp node killed mid-rotation, as TODO: see below).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { makeClient } from '../e2e/flow.mjs';
import { Idp, loops, request, sleep } from '../fault/lib.mjs';
import { person, sessionWorks, signIn, tokenRequest } from './lib.mjs';

const env = process.env;
const proxy = { url: env.HA_IDP_URL };

function patroniRole(n) {
  return request('GET', `http://127.0.0.1:${env[`HA_REST_${n}`]}/patroni`, { timeout: 2000 })
    .then((r) => r.json?.role ?? 'down');
}

// Every process of a Patroni node: Patroni, the postmaster, its children.
function nodePids(n) {
  const dir = `${env.HA_DIR}/node${n}`;
  const pids = [Number(readFileSync(`${dir}/patroni.pid`, 'utf8'))];
  let pm;
  try { pm = Number(readFileSync(`${dir}/data/postmaster.pid`, 'utf8').split('\n')[0]); } catch { /* none */ }
  if (pm) {
    pids.push(pm);
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      let stat;
      try { stat = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pm) pids.push(Number(d));
    }
  }
  return pids;
}

function killMachine(n) {
  for (const p of nodePids(n)) {
    try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
  }
}

// A relying party refreshing one person's tokens over and over: a 503 or
// a cut connection is retried with the same token; every token a 200
// handed out is the one the relying party keeps. A refusal of the token
// it holds is a lost refresh token: `spent` when the provider says it was
// already used (a rotation went through whose answer never reached the
// relying party), `unknown` when it says the token is not valid (the
// token a 200 handed out was never durably written).
function refresher(base, client, token) {
  const me = { token, lost: null, kind: null };
  me.step = async () => {
    if (me.lost) return { status: 'lost', t0: Date.now(), t1: Date.now() };
    const r = await tokenRequest(base, client, { grant_type: 'refresh_token', refresh_token: me.token });
    if (r.status === 200) {
      me.token = r.json.refresh_token;
    } else if (r.status === 400) {
      me.lost = r.json?.error_description ?? r.text;
      me.kind = /already used/.test(me.lost) ? 'spent' : 'unknown';
    }
    return r;
  };
  me.rearm = (fresh) => { Object.assign(me, { token: fresh, lost: null, kind: null }); };
  return me;
}

const lostOf = (holders, kind) => holders.filter((h) => h.lost && h.kind === kind).length;
const ASYNC = env.HA_IDP_COMMIT === 'async';

// Seconds from the first answer that was not 200 to the first 200 after
// the last one.
function outage(results) {
  const bad = results.filter((r) => r.status !== 200 && r.status !== 'lost');
  if (!bad.length) return { seconds: 0, counts: {} };
  const start = Math.min(...bad.map((r) => r.t0));
  const lastBad = Math.max(...bad.map((r) => r.t1));
  const back = results.filter((r) => r.status === 200 && r.t1 >= lastBad)
    .reduce((m, r) => Math.min(m, r.t1), Infinity);
  const counts = {};
  for (const r of bad) counts[r.status || r.error] = (counts[r.status || r.error] ?? 0) + 1;
  return { seconds: ((back === Infinity ? lastBad : back) - start) / 1000, counts };
}

test('HA: primary machine lost under load, then an idp node lost', async (t) => {
  const idpA = new Idp({ IDP_ISSUER: proxy.url });
  idpA.port = Number(env.HA_IDP_PORT_A);
  const idpB = new Idp({ IDP_ISSUER: proxy.url });
  idpB.port = Number(env.HA_IDP_PORT_B);
  await idpA.start();
  await idpB.start();
  t.after(async () => { await idpA.stop(); await idpB.stop(); });
  const pidA = idpA.proc.pid;
  const pidB = idpB.proc.pid;

  const client = makeClient({ scope: 'openid profile offline_access' });
  const users = Array.from({ length: 6 }, () => person());

  // Sign in through node A, exchange and refresh through node B.
  const first = await signIn(idpA, client, users[0]);
  assert.equal(first.status, 302, 'sign-in through node A');
  const ex = await tokenRequest(idpB, client, { grant_type: 'authorization_code',
    code: first.code, redirect_uri: client.redirect, code_verifier: first.verifier });
  assert.equal(ex.status, 200, `code exchanged through node B: ${ex.text}`);
  const rf = await tokenRequest(idpB, client, { grant_type: 'refresh_token',
    refresh_token: ex.json.refresh_token });
  assert.equal(rf.status, 200, `refreshed through node B: ${rf.text}`);
  assert.ok(await sessionWorks(idpB, client, first.cookie), 'node B knows the session of node A');

  // Relying parties holding refresh tokens, people signing in meanwhile.
  const holders = [];
  for (const u of users.slice(1)) {
    const s = await signIn(proxy, client, u);
    assert.equal(s.status, 302);
    const e = await tokenRequest(proxy, client, { grant_type: 'authorization_code',
      code: s.code, redirect_uri: client.redirect, code_verifier: s.verifier });
    assert.equal(e.status, 200);
    holders.push(refresher(proxy, client, e.json.refresh_token));
  }
  holders.push(refresher(proxy, client, rf.json.refresh_token));
  const sessions = [first.cookie];
  let k = 0;
  const runLoad = () => {
    // One loop per relying party: its token is never used twice at once.
    const each = holders.map((h) => loops(1, () => h.step(), 20));
    const tokens = { stop: async () => (await Promise.all(each.map((l) => l.stop()))).flat() };
    const signins = loops(2, async () => {
      const r = await signIn(proxy, client, users[k++ % users.length]);
      if (r.cookie) sessions.push(r.cookie);
      return { ...r, status: r.status === 302 ? 200 : r.status, t0: Date.now(), t1: Date.now() };
    }, 20);
    return { tokens, signins };
  };

  // --- the primary's machine dies ------------------------------------------------
  const roles = [await patroniRole(1), await patroniRole(2)];
  const primary = roles[0] === 'master' || roles[0] === 'primary' ? 1 : 2;
  const standby = 3 - primary;
  t.diagnostic(`primary: node${primary}, synchronous standby: node${standby}`);
  let load = runLoad();
  await sleep(2000);
  const killedAt = Date.now();
  killMachine(primary);
  let promoted = 0;
  for (let i = 0; i < 600 && !promoted; i++) {
    const role = await patroniRole(standby);
    if (role === 'master' || role === 'primary') promoted = Date.now();
    else await sleep(100);
  }
  assert.ok(promoted, 'Patroni promoted the standby');
  // Served again through HAProxy, then a while of normal traffic.
  for (let i = 0; i < 300; i++) {
    const r = await request('GET', `${proxy.url}/readyz`, { timeout: 2000 });
    if (r.status === 200) break;
    await sleep(100);
  }
  await sleep(3000);
  let tok = await load.tokens.stop();
  let sig = await load.signins.stop();
  const o = outage([...tok, ...sig].filter((r) => r.t0 >= killedAt - 100));
  t.diagnostic(`promotion ${((promoted - killedAt) / 1000).toFixed(1)} s after the kill`);
  t.diagnostic(`503 (or cut) for ${o.seconds.toFixed(1)} s: ${JSON.stringify(o.counts)}`);
  for (const r of [...tok, ...sig]) {
    assert.ok([200, 503, 0, 400, 'lost'].includes(r.status),
      `an answer during the failover was neither served nor 503: ${r.status} ${r.text ?? ''}`);
  }
  assert.equal(idpA.proc.pid, pidA, 'node A was not restarted');
  assert.ok(idpA.alive() && idpB.alive(), 'both idp nodes ran through the failover');
  for (const node of [idpA, idpB]) {
    const r = await request('GET', `${node.url}/readyz`);
    assert.equal(r.status, 200, 'each idp node reconnected by itself');
  }

  const lostSessions = [];
  for (const c of sessions) if (!(await sessionWorks(proxy, client, c))) lostSessions.push(c);
  let lostTokens = 0;
  for (const h of holders) {
    const r = await h.step();
    if (r.status !== 200) lostTokens += 1;
  }
  const why = [...new Set(holders.filter((h) => h.lost).map((h) => `${h.kind}: ${h.lost}`))];
  t.diagnostic(`failover: ${sessions.length} sessions handed out, ${lostSessions.length} lost; `
    + `${holders.length} refresh tokens held, ${lostTokens} lost `
    + `(${tok.filter((r) => r.status === 200).length} rotations answered) ${why.join('; ')}`);
  // With commits that wait for the synchronous standby, whatever a client
  // was answered is on the standby too. HA_IDP_COMMIT=async only measures.
  if (!ASYNC) {
    assert.equal(lostSessions.length, 0, 'a session handed out before or during the failover was lost');
    assert.equal(lostOf(holders, 'unknown'), 0,
      'a refresh token answered with 200 was unknown after the failover');
  }
  // `spent` tokens: the refresh grant spends the old token and issues the
  // new one in two commits, and a rotation whose answer is lost with the
  // primary looks done to nobody: the relying party's retry with the spent
  // token is then taken for reuse. TODO until one commit covers both and a
  // retry of an unanswered rotation is recognised; runs lose 0-3 of 6.
  await t.test('no refresh token handed out is lost in the failover',
    { todo: 'an unanswered rotation looks like reuse on retry' },
    () => assert.equal(lostTokens, 0, `${lostTokens} of ${holders.length} refresh tokens lost`));
  // The relying parties whose token was lost sign the person in again.
  for (const h of holders.filter((x) => x.lost)) {
    const s = await signIn(proxy, client, person());
    const e = await tokenRequest(proxy, client, { grant_type: 'authorization_code',
      code: s.code, redirect_uri: client.redirect, code_verifier: s.verifier });
    assert.equal(e.status, 200, 'a fresh sign-in after the failover');
    h.rearm(e.json.refresh_token);
  }

  // --- one idp node dies ----------------------------------------------------------
  // (From the sessions that survived the failover: with async commits
  // some did not, and those were counted above.)
  for (const c of lostSessions) sessions.splice(sessions.indexOf(c), 1);
  const before = sessions.length;
  load = runLoad();
  await sleep(1500);
  const idpKilledAt = Date.now();
  await idpA.kill9();
  await sleep(4000);
  tok = await load.tokens.stop();
  sig = await load.signins.stop();
  const o2 = outage([...tok, ...sig].filter((r) => r.t0 >= idpKilledAt - 100));
  t.diagnostic(`idp node A killed: failed answers for ${o2.seconds.toFixed(1)} s: ${JSON.stringify(o2.counts)}`);
  const late = [...tok, ...sig].filter((r) => r.t0 >= idpKilledAt + 3000);
  const lateBad = late.filter((r) => r.status !== 200 && r.status !== 'lost');
  const why2 = [...new Set(holders.filter((h) => h.lost).map((h) => `${h.kind}: ${h.lost}`))];
  if (why2.length) t.diagnostic(`refused after the idp kill: ${why2.join('; ')}`);
  assert.ok(late.length > 0, 'traffic went on after node A was killed');
  assert.deepEqual(lateBad.map((r) => `${r.status} ${r.text?.slice(0, 120) ?? ''}`), [],
    'HAProxy sends everything to node B once node A is marked down');
  let lost2 = 0;
  for (const c of sessions) if (!(await sessionWorks(proxy, client, c))) lost2 += 1;
  let lostTokens2 = 0;
  for (const h of holders) if ((await h.step()).status !== 200) lostTokens2 += 1;
  t.diagnostic(`idp node lost: ${sessions.length} sessions (${sessions.length - before} new), ${lost2} lost; `
    + `${lostTokens2} of ${holders.length} refresh tokens lost`);
  assert.equal(lost2, 0, 'a session was lost with idp node A');
  assert.equal(lostOf(holders, 'unknown'), 0,
    'a refresh token answered with 200 was unknown after node A died');
  // A rotation node A committed but never answered (502 from HAProxy)
  // leaves the relying party with the spent token, and its retry is taken
  // for reuse. TODO until an unanswered rotation can be retried.
  await t.test('no refresh token is lost with an idp node',
    { todo: 'a rotation committed by the killed node but not answered looks like reuse on retry' },
    () => assert.equal(lostTokens2, 0, `${lostTokens2} of ${holders.length} refresh tokens lost`));
  assert.equal(idpB.proc.pid, pidB);
});
