// PostgreSQL stopped and started again under load: while it is away every
// request that needs it gets a clean 503 with Retry-After (never a 500, a
// reset or a hang), requests that do not need it are served, and service
// comes back within 2 s of the start without an idp restart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertRecovered, assertServedOrUnavailable, assertUnavailable, clientCredentials,
  loops, pg, request, serviceStack, sleep,
} from './lib.mjs';

const DEADLINE = 2000;
const SLACK = 1000;

test('PostgreSQL stopped and started under load: clean 503s, back within 2 s, no idp restart', async (t) => {
  const { idp, svc, pid } = await serviceStack(t,
    { IDP_DB_REQUEST_DEADLINE_MS: String(DEADLINE) });

  const load = loops(4, () => clientCredentials(idp, svc));
  const probes = loops(1, () => request('GET', `${idp.url}/.well-known/openid-configuration`), 100);
  await sleep(1000);
  const stopping = Date.now();
  await pg('stop');
  const stopped = Date.now();
  await sleep(3000);
  const starting = Date.now();
  await pg('start');
  const started = Date.now();
  await sleep(4000);
  const tokens = await load.stop();
  const seen = await probes.stop();

  assertServedOrUnavailable(tokens, 'token');
  const down = tokens.filter((r) => r.t0 >= stopped && r.t0 < starting);
  assert.ok(down.length > 0, 'token requests were made while PostgreSQL was stopped');
  for (const r of down) {
    assertUnavailable(r, 'token while PostgreSQL is stopped');
    assert.ok(r.t1 - r.t0 <= DEADLINE + SLACK, `a token request waited ${r.t1 - r.t0} ms`);
  }
  for (const r of seen.filter((x) => x.t0 >= stopping && x.t0 < started)) {
    assert.equal(r.status, 200, `discovery while PostgreSQL is away: ${r.status} ${r.error ?? ''}`);
  }
  assertRecovered(tokens, started, 'token requests after the start');
  assert.ok(idp.alive() && idp.proc.pid === pid, 'idp kept running');
});
