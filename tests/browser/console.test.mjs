// The operator console in a real browser at desktop and phone size: a
// helpdesk operator finds one person, issues a reset code and ends their
// sessions; an admin sees every section (organisations, services with a
// pending one, sessions, audit, keys, the SPBE report with its chart).
// Each page passes axe-core with 0 violations, fits 390 px with 24x24 px
// targets, and raises no console error or CSP violation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ISSUER, idpctl, psql, unique } from '../e2e/lib.mjs';
import { makeClient, makeUser } from '../e2e/flow.mjs';
import { VIEWPORTS, checkPage, context, launch } from './lib.mjs';

const OPS = 'baliprov.diskominfos';
let browser;

before(async () => {
  browser = await launch();
  idpctl(['org', 'add', OPS, '--name', 'Diskominfos Provinsi Bali', '--kind', 'provincial_agency']);
});

after(async () => { await browser?.close(); });

function operator(role) {
  const u = makeUser({ name: `Operator ${role}`, org: OPS });
  assert.equal(idpctl(['member', 'add', u.username, OPS, role]).status, 0);
  return u;
}

async function signInConsole(page, user) {
  await page.goto(`${ISSUER}/admin`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${ISSUER}/admin`);
}

for (const [name, viewport] of VIEWPORTS) {
  test(`the helpdesk's day: find, reset code, end sessions (${name})`, async () => {
    const hd = operator('helpdesk');
    const last = unique('Sudarsana');
    const person = makeUser({ name: `I Gede ${last}` });
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await signInConsole(page, hd);
    await checkPage(ctx, page, 'console home');
    await page.click('a[href="/admin/people"]');
    await checkPage(ctx, page, 'people');
    await page.fill('#q', last);
    await page.click('form[role=search] button[type=submit]');
    assert.match(await page.textContent('main'), /1 orang ditemukan/);
    await checkPage(ctx, page, 'people search');
    await page.click(`a:has-text("${last}")`);
    assert.match(await page.textContent('h1'), new RegExp(last));
    await checkPage(ctx, page, 'person');
    await page.click('button:has-text("Buat kode reset")');
    assert.match(await page.textContent('main'), /\d{3} \d{3} \d{4}/);
    await checkPage(ctx, page, 'reset code');
    await page.click('a:has-text("Kembali")');
    await page.click('button:has-text("Akhiri semua sesi")');
    await checkPage(ctx, page, 'end sessions: confirm');
    await page.click('button.danger');
    assert.match(await page.textContent('main'), /sudah diakhiri/);
    await page.goto(`${ISSUER}/admin/clients`);
    await checkPage(ctx, page, 'forbidden');
    assert.equal(psql(`SELECT count(*) FROM audit_log WHERE actor = '${hd.username}'
      AND event = 'password_reset.code_issued'`), '1');
    void person;
    await ctx.close();
  });

  test(`every console section for an admin (${name})`, async () => {
    const ad = operator('admin');
    const pending = makeClient({ name: 'Layanan Menunggu' });
    psql(`UPDATE clients SET approval = 'pending' WHERE client_id = '${pending.id}'`);
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await signInConsole(page, ad);
    for (const [path, label] of [['/admin/orgs', 'organisations'], ['/admin/clients', 'services'],
      ['/admin/clients?status=pending', 'pending services'], ['/admin/sessions', 'sessions'],
      ['/admin/audit', 'audit'], ['/admin/audit?since=bad', 'audit with a bad filter'],
      ['/admin/keys', 'keys'], ['/admin/report', 'SPBE report']]) {
      await page.goto(`${ISSUER}${path}`);
      await checkPage(ctx, page, label);
    }
    await page.goto(`${ISSUER}/admin/clients?status=pending`);
    await page.click('button[value=approve]');
    assert.match(await page.textContent('main'), /disetujui/);
    await checkPage(ctx, page, 'service approved');
    await page.goto(`${ISSUER}/admin/report`);
    assert.ok(await page.isVisible('svg[role=img]'));
    await ctx.close();
  });
}
