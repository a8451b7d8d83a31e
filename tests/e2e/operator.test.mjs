// The operator's command line: every change idpctl makes is audited with
// the operator, `audit list` reads it back with filters and --json, `user
// show` and `user delete`, and `iat list` naming each token's state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http, idpctl, psql, unique } from './lib.mjs';
import { exchange, makeClient, makeUser, newJar, signIn } from './flow.mjs';

const OPERATOR = { SUDO_USER: 'made.operator' };

function ok(r, what) {
  assert.equal(r.status, 0, `${what}: ${r.stderr}`);
  return r;
}

function events(args) {
  return ok(idpctl(['--json', 'audit', 'list', ...args]), `audit list ${args}`).json.events;
}

test('every change idpctl makes is audited with the operator who ran it', () => {
  const org = unique('org-');
  ok(idpctl(['org', 'add', org, '--name', 'Dinas Uji', '--kind', 'provincial_agency'],
    { env: OPERATOR }), 'org add');
  const user = makeUser({ org, env: OPERATOR });
  ok(idpctl(['user', 'passwd', user.username, '--password-stdin'],
    { input: 'Sandi-baru-yang-panjang-9\n', env: OPERATOR }), 'passwd');
  ok(idpctl(['user', 'disable', user.username], { env: OPERATOR }), 'disable');
  ok(idpctl(['user', 'enable', user.username], { env: OPERATOR }), 'enable');
  ok(idpctl(['user', 'reset-code', user.username], { env: OPERATOR }), 'reset-code');
  const mine = events(['--user', user.username]).map((e) => e.event);
  for (const ev of ['user.created', 'user.password_set', 'user.disabled', 'user.enabled',
    'password_reset.code_issued']) assert.ok(mine.includes(ev), `${ev} in ${mine}`);
  for (const e of events(['--user', user.username])) {
    assert.equal(e.actor, 'idpctl:made.operator', `${e.event} names the operator`);
    assert.equal(e.username, user.username);
  }
  const orgRows = events(['--event', 'org.created', '--limit', '50']);
  assert.ok(orgRows.some((e) => e.details.code === org && e.actor === 'idpctl:made.operator'));
  ok(idpctl(['keys', 'generate'], { env: OPERATOR }), 'keys generate');
});

test('audit list filters by person, client, event (or its prefix) and time', async () => {
  const user = makeUser();
  const client = makeClient();
  const jar = newJar();
  const { params, verifier } = await signIn(jar, client, user);
  assert.equal((await exchange(client, params.code, verifier)).status, 200);
  const rows = events(['--user', user.username, '--event', 'login.']);
  assert.ok(rows.length >= 1 && rows.every((e) => e.event.startsWith('login.')));
  assert.ok(rows.some((e) => e.event === 'login.success' && e.client_id === client.id));
  const byClient = events(['--client', client.id]);
  assert.ok(byClient.length >= 1 && byClient.every((e) => e.client_id === client.id));
  const exact = events(['--event', 'login.success', '--limit', '5']);
  assert.ok(exact.length <= 5 && exact.every((e) => e.event === 'login.success'));
  const future = events(['--user', user.username, '--since', '2999-01-01']);
  assert.deepEqual(future, []);
  const past = events(['--user', user.username, '--until', '2000-01-01T00:00:00Z']);
  assert.deepEqual(past, []);
  const now = new Date(Date.now() - 3600e3).toISOString().slice(0, 19);
  assert.ok(events(['--user', user.username, '--since', `${now}+00:00`]).length >= 2);
  // Newest first; --before pages on.
  const all = events(['--user', user.username]);
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].id > all[i].id);
  const older = events(['--user', user.username, '--before', String(all[0].id)]);
  assert.equal(older.length, all.length - 1);
  // The table prints the same rows.
  const table = ok(idpctl(['audit', 'list', '--user', user.username]), 'table').stdout;
  assert.match(table, /^ID\s+AT \(UTC\)\s+EVENT/);
  assert.match(table, /login\.success/);
});

test('audit list refuses what it cannot read, naming it', () => {
  const bad = [
    [['--since', 'yesterday'], /--since must be a time/],
    [['--until', '2026-02-30'], /--until must be a time/],
    [['--since', '2026-12-01T25:00'], /--since must be a time/],
    [['--event', 'login%'], /--event must be an event name/],
    [['--limit', '0'], /--limit must be 1-10000/],
    [['--limit', '10001'], /--limit must be 1-10000/],
    [['--before', 'x'], /--before must be a row id/],
  ];
  for (const [args, re] of bad) {
    const r = idpctl(['audit', 'list', ...args]);
    assert.equal(r.status, 2, `${args}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  const r = idpctl(['audit', 'list', '--user', unique('nobody')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no user/);
});

test('user show prints the person, roles, factors, sessions, consents and sign-ins', async () => {
  const user = makeUser({ name: 'Ni Luh Tampil' });
  const client = makeClient();
  await signIn(newJar(), client, user);
  const v = ok(idpctl(['--json', 'user', 'show', user.username]), 'show').json;
  assert.equal(v.username, user.username);
  assert.equal(v.name, 'Ni Luh Tampil');
  assert.equal(v.sub, user.sub);
  assert.ok(v.factors.some((f) => f.kind === 'password' && f.confirmed));
  assert.equal(v.sessions.length, 1);
  assert.equal(v.sessions[0].services, 1);
  assert.ok(v.recent_sign_ins.some((s) => s.event === 'login.success' && s.client_id === client.id));
  const text = ok(idpctl(['user', 'show', user.username]), 'show text').stdout;
  assert.match(text, /^username\s+/m);
  assert.match(text, /sessions \(1\)/);
  const missing = idpctl(['user', 'show', unique('nobody')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /user show: no user/);
});

test('user disable ends every session and revokes the grants; enable lets them in again', async () => {
  const user = makeUser();
  const client = makeClient();
  const jar = newJar();
  const { params, verifier } = await signIn(jar, client, user);
  const tok = (await exchange(client, params.code, verifier)).json;
  const r = ok(idpctl(['--json', 'user', 'disable', user.username]), 'disable').json;
  assert.equal(r.sessions_ended, 1);
  const ui = await http('GET', '/userinfo', { headers: { authorization: `Bearer ${tok.access_token}` } });
  assert.equal(ui.status, 401);
  const grants = psql(`SELECT count(*) FROM grants g JOIN users u ON u.id = g.user_id
    WHERE u.username = '${user.username}' AND g.revoked_at IS NULL`);
  assert.equal(grants, '0');
  ok(idpctl(['user', 'enable', user.username]), 'enable');
  await signIn(newJar(), client, user);
});

test('user delete erases what identifies the person and keeps the sub and the audit log', async () => {
  const org = unique('org-');
  ok(idpctl(['org', 'add', org, '--name', 'Dinas Hapus', '--kind', 'provincial_agency']), 'org');
  const user = makeUser({ name: 'I Made Hapus', org });
  const client = makeClient();
  await signIn(newJar(), client, user);
  ok(idpctl(['member', 'add', user.username, org, 'developer']), 'member');
  const id = psql(`SELECT id FROM users WHERE username = '${user.username}'`);
  psql(`INSERT INTO consents (user_id, client_id, scopes) VALUES (${id}, '${client.id}', '{openid}')`);
  const r = ok(idpctl(['--json', 'user', 'delete', user.username], { env: OPERATOR }), 'delete').json;
  assert.equal(r.sub, user.sub);
  const row = psql(`SELECT username, name, coalesce(email, '-'), disabled, deleted_at IS NOT NULL,
    sub FROM users WHERE id = ${id}`).split('|');
  assert.deepEqual(row, [`deleted.${id}`, '-', '-', 't', 't', user.sub]);
  for (const t of ['credentials', 'consents', 'memberships', 'login_identifiers']) {
    const where = t === 'login_identifiers' ? `user_id = ${id} AND kind <> 'username'` : `user_id = ${id}`;
    assert.equal(psql(`SELECT count(*) FROM ${t} WHERE ${where}`), '0', t);
  }
  assert.equal(psql(`SELECT count(*) FROM sessions WHERE user_id = ${id} AND ended_at IS NULL`), '0');
  const del = events(['--event', 'user.deleted', '--limit', '50'])
    .find((e) => e.username === `deleted.${id}`);
  assert.ok(del && del.actor === 'idpctl:made.operator', 'user.deleted names the operator');
  assert.ok(events(['--user', `deleted.${id}`]).some((e) => e.event === 'user.created'));
  // The name is free again; the old sub is not reused.
  const again = makeUser({ username: user.username });
  assert.notEqual(again.sub, user.sub);
  const twice = idpctl(['user', 'delete', `deleted.${id}`]);
  assert.equal(twice.status, 1);
  assert.match(twice.stderr, /deleted before/);
});

test('iat list tells active, used-up, expired and revoked tokens apart', async () => {
  const mk = (args) => ok(idpctl(['--json', 'iat', 'create', ...args]), 'iat create').json.id;
  const active = mk(['--uses', '3']);
  const used = mk(['--uses', '1']);
  const expired = mk(['--ttl', '60']);
  const revoked = mk([]);
  ok(idpctl(['iat', 'revoke', String(revoked)]), 'revoke');
  psql(`UPDATE initial_access_tokens SET uses_left = 0 WHERE id = ${used}`);
  psql(`UPDATE initial_access_tokens SET expires_at = now() - interval '1 second' WHERE id = ${expired}`);
  const list = ok(idpctl(['--json', 'iat', 'list']), 'list').json.initial_access_tokens;
  const state = (id) => list.find((t) => t.id === id).state;
  assert.equal(state(active), 'active');
  assert.equal(state(used), 'used_up');
  assert.equal(state(expired), 'expired');
  assert.equal(state(revoked), 'revoked');
  const text = ok(idpctl(['iat', 'list']), 'list text').stdout;
  assert.match(text, new RegExp(`^${used}\\s+used_up\\s+0`, 'm'));
  const iats = events(['--event', 'iat.', '--limit', '50']);
  assert.ok(iats.some((e) => e.event === 'iat.revoked' && e.details.iat === revoked));
});
