// Backups as deploy/ha/README.md tells the operator to take them, on the
// e2e stack's PostgreSQL: a base backup (pg_basebackup) with continuous
// WAL archiving, restored after the cluster is destroyed, brings back a
// session from before the base backup and one from after it (replayed
// from the archive); a pg_dump restored into a fresh cluster brings back
// both too. The running idp reconnects by itself each time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { test } from 'node:test';
import { makeClient } from '../e2e/flow.mjs';
import { env } from '../e2e/lib.mjs';
import { request, sleep } from '../fault/lib.mjs';
import { person, sessionWorks, signIn } from './lib.mjs';

const idp = { url: env.IDP_URL };
const BIN = '/usr/lib/postgresql/15/bin';
const run = `${env.PG_DIR}/run`;

function sh(script) {
  const r = spawnSync('bash', ['-c', `set -e; . "$ROOT/deploy/lib/pg.sh"; ${script}`],
    { encoding: 'utf8', env: { ...process.env, ARCH: `${env.STACK_DIR}/wal-archive` } });
  assert.equal(r.status, 0, `${script}\n${r.stderr}`);
  return r.stdout.trim();
}
const asPg = (cmd) => sh(`pg_as_owner ${cmd}`);
const sql = (q) => asPg(`${BIN}/psql -X -At -h ${run} -p ${env.PG_PORT} -U idp -d idp -c "${q}"`);

// Until idp has reconnected to the restored cluster it answers 503.
async function worksAgain(client, cookie) {
  for (let i = 0; i < 100; i++) {
    if (await sessionWorks(idp, client, cookie)) return true;
    await sleep(100);
  }
  return false;
}

test('base backup + WAL archive, cluster destroyed, restored: sessions from before work', async () => {
  const data = `${env.PG_DIR}/data`;
  const base = `${env.STACK_DIR}/base`;
  mkdirSync(`${env.STACK_DIR}/wal-archive`);
  mkdirSync(base);
  sh(`chown "$(pg_owner)" "$ARCH" "${base}" && chmod 700 "$ARCH" "${base}"`);
  // Continuous archiving (README, Backups): a restart to turn it on.
  appendFileSync(`${data}/postgresql.conf`,
    `archive_mode = on\narchive_command = 'test ! -f ${env.STACK_DIR}/wal-archive/%f && cp %p ${env.STACK_DIR}/wal-archive/%f'\n`);
  sh('pg_stop "$PG_DIR" && pg_start "$PG_DIR"');

  const client = makeClient();
  const before = person();
  const after = person();
  const cookieBefore = (await signIn(idp, client, before)).cookie;
  assert.ok(cookieBefore, 'signed in before the base backup');
  asPg(`${BIN}/pg_basebackup -h ${run} -p ${env.PG_PORT} -U idp -D ${base} -c fast -X none`);
  const cookieAfter = (await signIn(idp, client, after)).cookie;
  assert.ok(cookieAfter, 'signed in after the base backup');
  asPg(`${BIN}/pg_dump -h ${run} -p ${env.PG_PORT} -U idp -Fc idp >${env.STACK_DIR}/idp.dump`);
  // The segment holding the last sign-in goes to the archive now.
  const seg = sql('SELECT pg_walfile_name(pg_current_wal_lsn())');
  sql('SELECT pg_switch_wal()');
  for (let i = 0; i < 100 && sql('SELECT last_archived_wal FROM pg_stat_archiver') < seg; i++) await sleep(100);
  assert.ok(sql('SELECT last_archived_wal FROM pg_stat_archiver') >= seg, 'WAL archived');

  // The machine's disk is gone.
  sh(`pg_stop "$PG_DIR"; rm -rf "${data}"`);
  assert.equal((await request('GET', `${idp.url}/readyz`)).status, 503, 'idp notices');

  // Restore: the base backup, recovery.signal, restore_command.
  sh(`cp -a "${base}" "${data}" && chmod 700 "${data}" && touch "${data}/recovery.signal"
      echo "restore_command = 'cp $ARCH/%f %p'" >>"${data}/postgresql.auto.conf"
      pg_start "$PG_DIR"`);
  for (let i = 0; i < 100 && sql('SELECT pg_is_in_recovery()') !== 'f'; i++) await sleep(100);
  assert.equal(sql('SELECT pg_is_in_recovery()'), 'f', 'recovery ended and the cluster was promoted');
  assert.ok(await worksAgain(client, cookieBefore), 'the session from before the base backup');
  assert.ok(await worksAgain(client, cookieAfter), 'the session from after it, replayed from the WAL archive');

  // A small site's nightly pg_dump, into a fresh cluster.
  sh(`pg_stop "$PG_DIR"; rm -rf "${data}"; pg_setup "$PG_DIR" "$PG_PORT" >/dev/null`);
  // In one transaction: the running idp, reconnecting meanwhile, sees no
  // table before all of them are there, and takes no lock that a
  // constraint being added would deadlock with.
  asPg(`${BIN}/pg_restore -h ${run} -p ${env.PG_PORT} -U idp -d idp --no-owner --single-transaction ${env.STACK_DIR}/idp.dump`);
  assert.ok(await worksAgain(client, cookieBefore), 'pg_dump: the earlier session');
  assert.ok(await worksAgain(client, cookieAfter), 'pg_dump: the later session');
});
