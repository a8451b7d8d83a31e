// PostgreSQL alive but slow for idp: a table idp needs is locked for 5 s.
// Requests that need it get 503 with Retry-After within the deadline
// (the server's lock_timeout answers first); since the server did answer,
// the pool does not treat it as down, and the first requests after the
// lock is released are served.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { env } from '../e2e/lib.mjs';
import {
  assertServedOrUnavailable, assertUnavailable, clientCredentials, loops, serviceStack, sleep,
} from './lib.mjs';

const DEADLINE = 2000;
const SLACK = 1000;

// Hold an exclusive lock on clients for ms; resolves { locked, done }:
// locked when the lock is held (psql says so after LOCK TABLE), done with
// psql's exit code after it is released.
function lockClients(ms) {
  const p = spawn('psql', ['-X', '-q', '-h', `${env.PG_DIR}/run`, '-p', env.PG_PORT, '-U', 'idp',
    '-d', 'idp', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'pipe', 'ignore'] });
  p.stdin.end('BEGIN;\nLOCK TABLE clients IN ACCESS EXCLUSIVE MODE;\n\\echo locked\n'
    + `SELECT pg_sleep(${ms / 1000});\nCOMMIT;\n`);
  const locked = new Promise((ok) => {
    let out = '';
    p.stdout.on('data', (d) => { out += d; if (out.includes('locked')) ok(Date.now()); });
  });
  const done = new Promise((ok) => p.on('exit', (code) => ok(code)));
  return { locked, done };
}

test('a table locked for 5 s: 503s within the deadline, served again as soon as it is released', async (t) => {
  const { idp, svc } = await serviceStack(t, { IDP_DB_REQUEST_DEADLINE_MS: String(DEADLINE) });
  const load = loops(3, () => clientCredentials(idp, svc));
  await sleep(500);
  const lock = lockClients(5000);
  const locking = await lock.locked;
  const code = await lock.done;
  const released = Date.now();
  await sleep(2000);
  const tokens = await load.stop();

  assert.equal(code, 0, 'psql held the lock');
  assertServedOrUnavailable(tokens, 'token');
  const during = tokens.filter((r) => r.t0 >= locking + 500 && r.t0 < released - DEADLINE);
  assert.ok(during.length > 0, 'token requests were made while the table was locked');
  for (const r of during) {
    assertUnavailable(r, 'token while clients is locked');
    assert.ok(r.t1 - r.t0 <= DEADLINE + SLACK, `a token request waited ${r.t1 - r.t0} ms`);
  }
  const after = tokens.filter((r) => r.t0 >= released);
  assert.ok(after.length > 0);
  for (const r of after) assert.equal(r.status, 200, `token after the lock: ${r.status} ${r.text}`);
});
