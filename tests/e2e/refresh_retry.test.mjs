// A refresh token presented again is reuse (RFC 9700 §4.14.2: the grant
// is revoked), except for the retry of a rotation whose answer never
// reached the client: with refresh_token_reuse_grace set, the same client
// presenting the old token within the grace, while the successor was never
// used, gets fresh tokens and the unanswered ones die, once per rotation
// (docs/security.md).
// An idp of the test's own has the grace (60 s); the stack's has none. A
// rotation "longer ago" is made so by moving its used_at back in the
// database, so no test waits for the grace to run out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { basic, sleep } from '../fault/lib.mjs';
import { ISSUER, http, psql, startIdp } from './lib.mjs';
import { dpopKey, withNonce } from './pop.mjs';
import { exchange, makeClient, makeUser, newJar, refresh, signIn, userinfo } from './flow.mjs';

const hex = (s) => createHash('sha256').update(s).digest('hex');
const GRACE = 60;
let graced;

before(async () => {
  graced = await startIdp({ IDP_REFRESH_TOKEN_REUSE_GRACE: String(GRACE) });
});
after(async () => { await graced?.stop(); });

// A rotation at the idp with the grace.
const rotate = (client, token) => http('POST', `${graced.url}/token`, {
  headers: { authorization: basic(client) },
  form: { grant_type: 'refresh_token', refresh_token: token },
});

// A person's first tokens, and a rotation of them whose answer the relying
// party "lost": it holds t.refresh_token still; lost is what it never saw.
async function lostRotation() {
  const client = makeClient();
  const s = await signIn(newJar(), client, makeUser());
  const t = (await exchange(client, s.params.code, s.verifier)).json;
  const lost = await rotate(client, t.refresh_token);
  assert.equal(lost.status, 200, lost.text);
  const grant = psql(`SELECT grant_id FROM refresh_tokens
    WHERE token_digest = '\\x${hex(t.refresh_token)}'`);
  return { client, t, lost: lost.json, grant };
}

const revokedReason = (grant) => psql(`SELECT coalesce(revoked_reason, '-') FROM grants
  WHERE id = '${grant}'`);

test('a retry within the grace gets fresh tokens; the unanswered ones are dead', async () => {
  const { client, t, lost, grant } = await lostRotation();
  const again = await rotate(client, t.refresh_token);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.token_type, 'Bearer');
  assert.notEqual(again.json.refresh_token, lost.refresh_token);
  assert.notEqual(again.json.access_token, lost.access_token);
  assert.match(again.json.id_token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  // Same grant, which stays; the answer nobody received is revoked.
  assert.equal(psql(`SELECT grant_id FROM refresh_tokens
    WHERE token_digest = '\\x${hex(again.json.refresh_token)}'`), grant);
  assert.equal(revokedReason(grant), '-');
  assert.equal((await userinfo(lost.access_token)).status, 401, 'the lost access token is revoked');
  assert.equal((await userinfo(again.json.access_token)).status, 200);
  assert.equal(psql(`SELECT event FROM audit_log WHERE event = 'token.refresh_retry'
    AND client_id = '${client.id}' AND details->>'grant' = '${grant}'`), 'token.refresh_retry');
  // One retry per rotation: another is refused and the grant stays.
  const third = await rotate(client, t.refresh_token);
  assert.equal(third.status, 400);
  assert.equal(third.json.error_description, 'The refresh token was already used.');
  assert.equal(revokedReason(grant), '-');
  assert.equal((await userinfo(again.json.access_token)).status, 200);
  assert.match(graced.log(), /token\.refresh_not_retry .*why="its rotation was retried already"/);
  // The new token rotates as any does.
  const next = await rotate(client, again.json.refresh_token);
  assert.equal(next.status, 200, next.text);
  // The lost successor, presented after all, is a second holder's copy:
  // the family ends.
  const stolen = await rotate(client, lost.refresh_token);
  assert.equal(stolen.status, 400);
  assert.equal(stolen.json.error, 'invalid_grant');
  assert.equal(stolen.json.error_description, 'The refresh token was already used.');
  assert.equal(revokedReason(grant), 'refresh reuse');
  assert.equal((await rotate(client, next.json.refresh_token)).json.error, 'invalid_grant');
  assert.equal((await userinfo(next.json.access_token)).status, 401);
});

test('a retry after the grace is reuse: the family is revoked', async () => {
  const { client, t, lost, grant } = await lostRotation();
  psql(`UPDATE refresh_tokens SET used_at = used_at - interval '${GRACE + 1} seconds'
    WHERE token_digest = '\\x${hex(t.refresh_token)}'`);
  const late = await rotate(client, t.refresh_token);
  assert.equal(late.status, 400);
  assert.equal(late.json.error, 'invalid_grant');
  assert.equal(late.json.error_description, 'The refresh token was already used.');
  assert.equal(revokedReason(grant), 'refresh reuse');
  assert.equal((await rotate(client, lost.refresh_token)).json.error, 'invalid_grant');
  assert.equal((await userinfo(lost.access_token)).status, 401);
  assert.match(graced.log(), /token\.refresh_not_retry .*why="rotated longer ago than the grace"/);
});

test('a retry after the successor was used is reuse: the family is revoked', async () => {
  const { client, t, lost, grant } = await lostRotation();
  const used = await rotate(client, lost.refresh_token);
  assert.equal(used.status, 200, used.text);
  const replay = await rotate(client, t.refresh_token);
  assert.equal(replay.status, 400);
  assert.equal(replay.json.error_description, 'The refresh token was already used.');
  assert.equal(revokedReason(grant), 'refresh reuse');
  assert.equal((await rotate(client, used.json.refresh_token)).json.error, 'invalid_grant');
  assert.equal((await userinfo(used.json.access_token)).status, 401);
});

test('a successor that was presented and refused counts as used', async () => {
  const { client, t, lost, grant } = await lostRotation();
  // A resource the grant does not cover is refused, and uses it up.
  const refused = await http('POST', `${graced.url}/token`, {
    headers: { authorization: basic(client) },
    form: { grant_type: 'refresh_token', refresh_token: lost.refresh_token,
      resource: 'https://api.example.go.id/' },
  });
  assert.equal(refused.json?.error, 'invalid_target', refused.text);
  assert.equal((await rotate(client, t.refresh_token)).json.error, 'invalid_grant');
  assert.equal(revokedReason(grant), 'refresh reuse');
});

test('another client presenting the rotated token within the grace is reuse', async () => {
  const { t, lost, grant } = await lostRotation();
  const other = makeClient();
  const r = await rotate(other, t.refresh_token);
  assert.equal(r.status, 400);
  assert.equal(r.json.error, 'invalid_grant');
  assert.equal(revokedReason(grant), 'refresh reuse');
  assert.equal((await userinfo(lost.access_token)).status, 401);
});

test('two retries at once: exactly one gets tokens, and they stay valid', async () => {
  const { client, t, lost, grant } = await lostRotation();
  const all = await Promise.all(Array.from({ length: 6 }, () => rotate(client, t.refresh_token)));
  const ok = all.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, all.map((r) => `${r.status} ${r.json?.error_description ?? ''}`).join('; '));
  for (const r of all.filter((x) => x.status !== 200)) {
    assert.equal(r.status, 400);
    assert.equal(r.json.error, 'invalid_grant');
  }
  assert.equal(revokedReason(grant), '-', 'losing a race is no proof of a second holder');
  assert.equal((await userinfo(ok[0].json.access_token)).status, 200);
  assert.equal((await userinfo(lost.access_token)).status, 401);
  const next = await rotate(client, ok[0].json.refresh_token);
  assert.equal(next.status, 200, next.text);
});

// A session of psql that holds the old token's row locked (as a retry in
// flight does) until release(): retries sent meanwhile all read the token
// before any of them can lock it.
async function holdRow(token) {
  const p = spawn('psql', ['-X', '-q', '-At', '-h', `${process.env.PG_DIR}/run`,
    '-p', process.env.PG_PORT, '-U', 'idp', '-d', 'idp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const said = (what) => new Promise((ok) => {
    const on = (d) => { if (String(d).includes(what)) { p.stdout.off('data', on); ok(); } };
    p.stdout.on('data', on);
  });
  const locked = said('locked');
  p.stdin.write(`BEGIN; SELECT 'locked' FROM refresh_tokens
    WHERE token_digest = '\\x${hex(token)}' FOR UPDATE;\n`);
  await locked;
  const exited = new Promise((ok) => p.on('exit', ok));
  return async () => { p.stdin.end('COMMIT;\n'); await exited; };
}

test('retries that all read before one locks: exactly one gets tokens', async () => {
  const { client, t, lost, grant } = await lostRotation();
  const release = await holdRow(t.refresh_token);
  const pending = Array.from({ length: 3 }, () => rotate(client, t.refresh_token));
  // Long enough for them to read and queue on the lock, well within
  // the request deadline (2 s); had one not queued yet, it would read
  // the rotation as retried and be refused all the same.
  await sleep(500);
  await release();
  const all = await Promise.all(pending);
  const ok = all.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, all.map((r) => `${r.status} ${r.text}`).join('; '));
  assert.equal(revokedReason(grant), '-');
  assert.equal((await userinfo(ok[0].json.access_token)).status, 200);
  assert.equal((await userinfo(lost.access_token)).status, 401);
});

test('the successor rotated while its predecessor is retried: two holders, the grant ends', async () => {
  const { client, t, lost, grant } = await lostRotation();
  // With the successor's row held, the retry (which would displace it)
  // and the successor's own rotation both read it unused and queue on it.
  const release = await holdRow(lost.refresh_token);
  const retry = rotate(client, t.refresh_token);
  await sleep(300);
  const own = rotate(client, lost.refresh_token);
  await sleep(300);
  await release();
  const all = await Promise.all([retry, own]);
  // Whoever held the lost answer and whoever retried are two holders of
  // one family: whichever went first, nothing stays live.
  assert.equal(revokedReason(grant), 'refresh reuse', all.map((r) => `${r.status} ${r.text}`).join('; '));
  for (const r of all.filter((x) => x.status === 200)) {
    assert.equal((await userinfo(r.json.access_token)).status, 401);
    assert.equal((await rotate(client, r.json.refresh_token)).json.error, 'invalid_grant');
  }
});

test('one fresh token sent twice at once: one answer holds live tokens, the grant stays', async () => {
  const client = makeClient();
  const s = await signIn(newJar(), client, makeUser());
  const t = (await exchange(client, s.params.code, s.verifier)).json;
  const all = await Promise.all([rotate(client, t.refresh_token), rotate(client, t.refresh_token)]);
  // The second either lost the race (400) or came after the first had
  // committed and was its retry (200, the first's tokens dead).
  const ok = all.filter((r) => r.status === 200);
  assert.ok(ok.length >= 1, all.map((r) => r.text).join('; '));
  const live = [];
  for (const r of ok) if ((await userinfo(r.json.access_token)).status === 200) live.push(r);
  assert.equal(live.length, 1, 'exactly one answer holds live tokens');
  assert.equal((await rotate(client, live[0].json.refresh_token)).status, 200);
});

// A public client's token request with a DPoP proof of key, at base.
async function dpopToken(client, key, form, base) {
  const { r } = await withNonce(key, () => ({ method: 'POST', url: `${base}/token`,
    opts: { form: { ...form, client_id: client.id } } }));
  return r;
}

test('a refresh token bound to a DPoP key: the retry needs a proof of that key', async () => {
  const client = makeClient({ auth: 'none' });
  const key = dpopKey();
  const grantOf = async () => {
    const s = await signIn(newJar(), client, makeUser());
    const t = await dpopToken(client, key, { grant_type: 'authorization_code', code: s.params.code,
      redirect_uri: client.redirect, code_verifier: s.verifier }, ISSUER);
    assert.equal(t.json?.token_type, 'DPoP', t.text);
    const rf = { grant_type: 'refresh_token', refresh_token: t.json.refresh_token };
    const lost = await dpopToken(client, key, rf, graced.url);
    assert.equal(lost.status, 200, lost.text);
    const grant = psql(`SELECT grant_id FROM refresh_tokens
      WHERE token_digest = '\\x${hex(t.json.refresh_token)}'`);
    return { rf, grant };
  };
  const mine = await grantOf();
  const again = await dpopToken(client, key, mine.rf, graced.url);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.token_type, 'DPoP');
  assert.equal(revokedReason(mine.grant), '-');
  // Another key, or none: a copy in other hands.
  const copied = await grantOf();
  const other = await dpopToken(client, dpopKey(), copied.rf, graced.url);
  assert.equal(other.json?.error, 'invalid_grant', other.text);
  assert.equal(revokedReason(copied.grant), 'refresh reuse');
  const bare = await grantOf();
  const r = await http('POST', `${graced.url}/token`, { form: { ...bare.rf, client_id: client.id } });
  assert.equal(r.json?.error, 'invalid_grant', r.text);
  assert.equal(revokedReason(bare.grant), 'refresh reuse');
});

test('without a grace (the default) a retry is reuse', async () => {
  const client = makeClient();
  const s = await signIn(newJar(), client, makeUser());
  const t = (await exchange(client, s.params.code, s.verifier)).json;
  const lost = (await refresh(client, t.refresh_token)).json;
  const again = await refresh(client, t.refresh_token);
  assert.equal(again.status, 400);
  assert.equal(again.json.error_description, 'The refresh token was already used.');
  assert.equal((await userinfo(lost.access_token)).status, 401);
});
