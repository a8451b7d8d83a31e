// PostgreSQL frozen (every process SIGSTOPped) for 10 s under load: token
// requests get 503 with Retry-After within the configured database
// deadline instead of hanging until the freeze ends, no worker stays
// stuck (liveness and discovery, which need no database, keep answering
// at once), and service is normal right after SIGCONT, without an idp
// restart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertRecovered, assertServedOrUnavailable, assertUnavailable, clientCredentials,
  freezePostgres, loops, request, serviceStack, sleep,
} from './lib.mjs';

const DEADLINE = 2000;	// db_request_deadline_ms, the default
const FREEZE = 10000;
const SLACK = 1000;	// parsing, authentication and scheduling on a busy machine

test('PostgreSQL frozen for 10 s: quick 503s, no hung worker, normal service after SIGCONT', async (t) => {
  const { idp, svc, pid } = await serviceStack(t,
    { IDP_DB_REQUEST_DEADLINE_MS: String(DEADLINE) });

  // More token loops than workers: a worker that waited for the frozen
  // database would leave none for the probes.
  const load = loops(6, () => clientCredentials(idp, svc));
  const probes = loops(1, async () => {
    const path = Math.random() < 0.5 ? '/healthz' : '/.well-known/openid-configuration';
    return { path, ...(await request('GET', idp.url + path)) };
  }, 100);
  await sleep(1000);
  const thaw = freezePostgres();
  const frozenAt = Date.now();
  let thawedAt;
  try {
    await sleep(FREEZE);
  } finally {
    thaw();
    thawedAt = Date.now();
  }
  await sleep(4000);
  const tokens = await load.stop();
  const seen = await probes.stop();

  assertServedOrUnavailable(tokens, 'token');
  // Started while frozen (and not so late that the thaw could serve it):
  // 503 within the deadline, never a wait for the end of the freeze.
  const during = tokens.filter((r) => r.t0 >= frozenAt && r.t0 < thawedAt - DEADLINE - SLACK);
  assert.ok(during.length > 0, 'token requests were made during the freeze');
  for (const r of during) {
    assertUnavailable(r, 'token during the freeze');
    assert.ok(r.t1 - r.t0 <= DEADLINE + SLACK,
      `a token request waited ${r.t1 - r.t0} ms, longer than the database deadline`);
  }
  // Probes never need the database: all answered while it was frozen,
  // and once the provider had seen the freeze (two deadlines in), none
  // waited as long as a database deadline.
  const probesDuring = seen.filter((r) => r.t0 >= frozenAt && r.t0 < thawedAt - SLACK);
  assert.ok(probesDuring.length > 0);
  for (const r of probesDuring) {
    assert.equal(r.status, 200, `${r.path} during the freeze: ${r.status} ${r.error ?? ''}`);
    assert.ok(r.t1 < thawedAt, `${r.path} was answered only after the freeze ended`);
    if (r.t0 >= frozenAt + 2 * DEADLINE + SLACK) {
      assert.ok(r.t1 - r.t0 < DEADLINE, `${r.path} waited ${r.t1 - r.t0} ms for a worker`);
    }
  }
  assertRecovered(tokens, thawedAt, 'token requests after SIGCONT');
  assert.ok(idp.alive() && idp.proc.pid === pid, 'idp kept running');
});
