// What the token endpoint and the sign-in write, and in how many steps:
// a code or refresh token is read first and used up by the statement that
// issues its successors, so concurrent requests with one code or token
// cannot both get tokens, and a refused request still uses it up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { http, psql } from './lib.mjs';
import { exchange, makeClient, makeUser, newJar, refresh, signIn, submitLogin,
  authorizeUrl, userinfo } from './flow.mjs';

const hex = (s) => createHash('sha256').update(s).digest('hex');

test('a refused code exchange uses the code up', async () => {
  const user = makeUser();
  const client = makeClient();
  const s = await signIn(newJar(), client, user);
  const wrong = await exchange(client, s.params.code, 'x'.repeat(43));
  assert.equal(wrong.json.error, 'invalid_grant');
  const right = await exchange(client, s.params.code, s.verifier);
  assert.equal(right.status, 400);
  assert.equal(right.json.error_description, 'The code was already used.');
});

test('concurrent exchanges of one code: one gets tokens, and they are revoked', async () => {
  const user = makeUser();
  const client = makeClient();
  const s = await signIn(newJar(), client, user);
  const all = await Promise.all(Array.from({ length: 8 },
    () => exchange(client, s.params.code, s.verifier)));
  const ok = all.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, all.map((r) => r.status).join(' '));
  for (const r of all.filter((x) => x.status !== 200)) {
    assert.equal(r.status, 400);
    assert.equal(r.json.error, 'invalid_grant');
  }
  // Every loser saw the code used, so the winner's grant is revoked.
  assert.equal((await userinfo(ok[0].json.access_token)).status, 401);
  assert.equal((await refresh(client, ok[0].json.refresh_token)).json.error, 'invalid_grant');
  assert.equal(psql(`SELECT count(*) FROM grants g JOIN authorization_codes c
    ON c.grant_id = g.id WHERE c.code_digest = '\\x${hex(s.params.code)}'
    AND g.revoked_reason = 'code reuse'`), '1');
});

test('concurrent rotations of one refresh token: one succeeds, the family ends', async () => {
  const user = makeUser();
  const client = makeClient();
  const s = await signIn(newJar(), client, user);
  const t = (await exchange(client, s.params.code, s.verifier)).json;
  const all = await Promise.all(Array.from({ length: 8 },
    () => refresh(client, t.refresh_token)));
  const ok = all.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, all.map((r) => r.status).join(' '));
  assert.equal((await refresh(client, ok[0].json.refresh_token)).json.error, 'invalid_grant',
    'the rotated token is revoked with its family');
  assert.equal((await userinfo(ok[0].json.access_token)).status, 401);
});

test('a refused rotation uses the token up; the grant stays', async () => {
  const user = makeUser();
  const client = makeClient();
  const other = makeClient();
  const s = await signIn(newJar(), client, user);
  const t = (await exchange(client, s.params.code, s.verifier)).json;
  assert.equal((await refresh(other, t.refresh_token)).json.error, 'invalid_grant');
  const again = await refresh(client, t.refresh_token);
  assert.equal(again.json.error_description, 'The refresh token was already used.');
  assert.equal(psql(`SELECT count(*) FROM refresh_tokens WHERE token_digest =
    '\\x${hex(t.refresh_token)}' AND used_at IS NOT NULL`), '1');
});

test('a rotation issues under the same grant and extends it', async () => {
  const user = makeUser();
  const client = makeClient();
  const s = await signIn(newJar(), client, user);
  const t = (await exchange(client, s.params.code, s.verifier)).json;
  const grant = psql(`SELECT grant_id FROM refresh_tokens
    WHERE token_digest = '\\x${hex(t.refresh_token)}'`);
  psql(`UPDATE grants SET expires_at = now() + interval '1 hour' WHERE id = '${grant}'`);
  const r = (await refresh(client, t.refresh_token)).json;
  assert.equal(psql(`SELECT grant_id FROM refresh_tokens
    WHERE token_digest = '\\x${hex(r.refresh_token)}'`), grant);
  assert.equal(psql(`SELECT grant_id FROM access_tokens
    WHERE token_digest = '\\x${hex(r.access_token)}'`), grant);
  assert.equal(psql(`SELECT expires_at > now() + interval '2 hours' FROM grants
    WHERE id = '${grant}'`), 't');
});

test('a sign-in writes its session, audit row, pending login and code together', async () => {
  const user = makeUser();
  const client = makeClient();
  const jar = newJar();
  const page = await http('GET', authorizeUrl(client), { jar });
  assert.equal(page.status, 200);
  const bad = await submitLogin(jar, page, user.username, 'not the password');
  assert.equal(bad.status, 200);
  assert.equal(psql(`SELECT count(*) FROM audit_log WHERE event = 'login.failure'
    AND details->>'username' = '${user.username}'`), '1');
  const good = await submitLogin(jar, page, user.username, user.password);
  assert.equal(good.status, 302);
  const sid = psql(`SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE u.sub = '${user.sub}'`);
  assert.ok(sid);
  assert.equal(psql(`SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id
    WHERE a.event = 'login.success' AND u.sub = '${user.sub}'`), '1');
  assert.equal(psql(`SELECT count(*) FROM authorization_codes
    WHERE session_id = ${sid} AND client_id = '${client.id}'`), '1');
  assert.equal(psql(`SELECT count(*) FROM session_clients
    WHERE session_id = ${sid} AND client_id = '${client.id}'`), '1');
  assert.equal(psql(`SELECT count(*) FROM login_requests
    WHERE client_id = '${client.id}' AND completed_at IS NOT NULL`), '1');
  // The SSO session mints the next code without a password, and the
  // session records that use in the same statement.
  const other = makeClient();
  psql(`UPDATE sessions SET idle_expires_at = now() + interval '1 minute' WHERE id = ${sid}`);
  const again = await signIn(jar, other, user);
  assert.ok(again.params.code);
  assert.equal(psql(`SELECT count(*) FROM session_clients
    WHERE session_id = ${sid} AND client_id = '${other.id}'`), '1');
  assert.equal(psql(`SELECT idle_expires_at > now() + interval '10 minutes' FROM sessions
    WHERE id = ${sid}`), 't');
});

test('a refused code exchange for a disabled person uses the code up', async () => {
  const user = makeUser();
  const client = makeClient();
  const s = await signIn(newJar(), client, user);
  psql(`UPDATE users SET disabled = true WHERE sub = '${user.sub}'`);
  const r = await exchange(client, s.params.code, s.verifier);
  assert.equal(r.json.error_description, 'The user is disabled.');
  psql(`UPDATE users SET disabled = false WHERE sub = '${user.sub}'`);
  const again = await exchange(client, s.params.code, s.verifier);
  assert.equal(again.json.error_description, 'The code was already used.');
});
