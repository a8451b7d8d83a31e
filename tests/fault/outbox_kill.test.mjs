// idp killed with SIGKILL right after a password reset request, while the
// mail relay is down: the mail was committed with the request, so it
// arrives once the relay and idp are back. Also: several idp instances on
// one database deliver each mail once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeUser } from '../e2e/flow.mjs';
import { SmtpServer } from '../e2e/mail.mjs';
import { psql } from '../e2e/lib.mjs';
import { CookieJar, Idp, request, sleep } from './lib.mjs';
import { formInputs } from '../e2e/lib.mjs';

const mailSettings = (smtp) => ({ IDP_SMTP_URL: smtp.url(), IDP_MAIL_FROM: 'sso@baliprov.go.id',
  IDP_SMTP_TIMEOUT: '1', IDP_OUTBOX_RETRY_BASE: '1', IDP_OUTBOX_RETRY_MAX: '2',
  IDP_OUTBOX_POLL_INTERVAL: '1', IDP_WORKER_THREADS: '4' });

async function askReset(idp, who) {
  const jar = new CookieJar();
  const page = await request('GET', `${idp.url}/reset`, { jar });
  assert.equal(page.status, 200);
  return request('POST', `${idp.url}/reset`, { jar, form: { ...formInputs(page.text), who } });
}

test('kill -9 after a reset request: the mail arrives after the restart', async (t) => {
  const smtp = await SmtpServer.create();	// not started: the relay is down
  const idp = await new Idp(mailSettings(smtp)).start();
  t.after(async () => { await idp.stop(); await smtp.stop(); smtp.cleanup(); });
  const u = makeUser();
  const email = `${u.username}@baliprov.go.id`;
  const r = await askReset(idp, u.username);
  assert.equal(r.status, 200);
  assert.match(r.text, /Periksa email Anda/);
  await idp.kill9();
  assert.equal(psql(`SELECT state FROM outbox WHERE target = '${email}'`), 'pending',
    'the mail was committed with the request');
  await smtp.start();
  await idp.start();
  // A claim cut by the kill comes due again when its lease (the timeout
  // plus 30 s) ends; a recorded retry sooner.
  const mail = await smtp.waitFor(email, () => true, 60000);
  assert.match(mail.text, /reset\/new\?token=/);
  for (let i = 0; i < 50; i++) {
    if (psql(`SELECT state FROM outbox WHERE target = '${email}'`) === 'delivered') break;
    await sleep(100);
  }
  assert.equal(psql(`SELECT state FROM outbox WHERE target = '${email}'`), 'delivered');
});

test('two idp instances on one outbox deliver each mail once', async (t) => {
  const smtp = await (await SmtpServer.create()).start();
  const a = await new Idp(mailSettings(smtp)).start();
  const b = await new Idp(mailSettings(smtp)).start();
  t.after(async () => { await a.stop(); await b.stop(); await smtp.stop(); smtp.cleanup(); });
  const users = Array.from({ length: 12 }, () => makeUser());
  await Promise.all(users.map((u, i) => askReset(i % 2 ? a : b, u.username)));
  for (const u of users) await smtp.waitFor(`${u.username}@baliprov.go.id`);
  await sleep(1500);
  const all = smtp.messages();
  for (const u of users) {
    const n = all.filter((m) => m.to.includes(`${u.username}@`)).length;
    assert.equal(n, 1, `${u.username} got ${n} mails`);
  }
  const owners = psql(`SELECT count(DISTINCT attempts) FROM outbox
    WHERE target LIKE ANY (ARRAY[${users.map((u) => `'${u.username}@%'`).join(',')}])`);
  assert.equal(owners, '1', 'each row was tried once');
});
