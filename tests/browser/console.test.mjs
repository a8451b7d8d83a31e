// The operator console in a real browser at desktop and phone size, on an
// idp that requires a second factor for the console
// (console_require_second_factor = true): each operator sets up an
// authenticator app on /account/mfa (codes computed here with node's
// HMAC, RFC 6238) and signs in with password and code. A helpdesk
// operator finds one person, issues a reset code and ends their sessions;
// an admin sees every section (organisations, services with a pending
// one, sessions, audit, keys, the SPBE report with its chart, sign-out
// deliveries with a failing service) and rotates the signing keys, which
// changes the JWKS; an auditor reads the deliveries but cannot rotate. The
// failing service is real: its back-channel logout endpoint refuses the
// token (tests/e2e/flow.mjs logoutService).
// Each page passes axe-core with 0 violations, fits 390 px with 24x24 px
// targets, and raises no console error or CSP violation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { idpctl, psql, startIdp, unique } from '../e2e/lib.mjs';
import { logoutService, makeClient, makeUser } from '../e2e/flow.mjs';
import { base32, totp } from '../e2e/totp.mjs';
import { VIEWPORTS, checkPage, context, launch } from './lib.mjs';

const OPS = 'baliprov.diskominfos';
let browser, idp, ISSUER;

before(async () => {
  browser = await launch();
  idp = await startIdp({ IDP_CONSOLE_REQUIRE_SECOND_FACTOR: 'true' });
  ISSUER = idp.url;
  idpctl(['org', 'add', OPS, '--name', 'Diskominfos Provinsi Bali', '--kind', 'provincial_agency']);
});

after(async () => {
  await browser?.close();
  await idp?.stop();
});

// An operator of role with an authenticator app set up on /account/mfa;
// .key is the app's key.
async function operator(role, viewport) {
  const u = makeUser({ name: `Operator ${role}`, org: OPS });
  assert.equal(idpctl(['member', 'add', u.username, OPS, role]).status, 0);
  const ctx = await context(browser, viewport);
  const page = await ctx.newPage();
  await page.goto(`${ISSUER}/login?next=%2Faccount%2Fmfa`);
  await page.fill('#username', u.username);
  await page.fill('#password', u.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${ISSUER}/account/mfa`);
  await page.click('form:has(input[value="enrol"]) button');
  u.key = base32(await page.textContent('code.secret'));
  await page.fill('#code', totp(u.key));
  await page.click('form:has(input[value="enrol_confirm"]) button');
  assert.equal(await page.locator('ol.codes li').count(), 10);
  await ctx.close();
  return u;
}

// Password, then the code of the next time step (the set-up used this
// one's, and a code is good once).
async function signInConsole(ctx, page, user) {
  await page.goto(`${ISSUER}/admin`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('button[type=submit]');
  assert.match(await page.textContent('h1'), /Verifikasi dua langkah/);
  await checkPage(ctx, page, 'console sign-in: second step');
  await page.fill('#code', totp(user.key, 1));
  await page.click('form:has(input[value="totp"]) button');
  await page.waitForURL(`${ISSUER}/admin`);
}

const jwksKids = async () => (await (await fetch(`${ISSUER}/jwks`)).json()).keys.map((k) => k.kid);

for (const [name, viewport] of VIEWPORTS) {
  test(`the helpdesk's day: find, reset code, end sessions (${name})`, async () => {
    const hd = await operator('helpdesk', viewport);
    const last = unique('Sudarsana');
    const person = makeUser({ name: `I Gede ${last}` });
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await signInConsole(ctx, page, hd);
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
    const r = await page.goto(`${ISSUER}/admin/deliveries`);
    assert.equal(r.status(), 403);
    assert.equal(psql(`SELECT count(*) FROM audit_log WHERE actor = '${hd.username}'
      AND event = 'password_reset.code_issued'`), '1');
    void person;
    await ctx.close();
  });

  test(`every console section for an admin (${name})`, async () => {
    const ad = await operator('admin', viewport);
    const pending = makeClient({ name: 'Layanan Menunggu' });
    psql(`UPDATE clients SET approval = 'pending' WHERE client_id = '${pending.id}'`);
    const failing = await logoutService('Layanan Gagal');
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await signInConsole(ctx, page, ad);
    for (const [path, label] of [['/admin/orgs', 'organisations'], ['/admin/clients', 'services'],
      ['/admin/clients?status=pending', 'pending services'], ['/admin/sessions', 'sessions'],
      ['/admin/audit', 'audit'], ['/admin/audit?since=bad', 'audit with a bad filter'],
      ['/admin/keys', 'keys'], ['/admin/report', 'SPBE report'],
      ['/admin/deliveries', 'sign-out deliveries'], ['/admin/deliveries?all=yes', 'every delivery']]) {
      await page.goto(`${ISSUER}${path}`);
      await checkPage(ctx, page, label);
    }
    await page.goto(`${ISSUER}/admin/clients?status=pending`);
    await page.click('button[value=approve]');
    assert.match(await page.textContent('main'), /disetujui/);
    await checkPage(ctx, page, 'service approved');
    await page.goto(`${ISSUER}/admin/report`);
    assert.ok(await page.isVisible('svg[role=img]'));
    await page.goto(`${ISSUER}/admin/deliveries`);
    const row = page.locator(`tr:has(td:text-is("${failing.id}"))`);
    assert.match(await row.textContent(), /400/);
    // Rotation: the form, the question, the answer; the JWKS has a new key.
    const before = await jwksKids();
    await page.goto(`${ISSUER}/admin/keys`);
    await page.check('input[name="when"][value="now"]');
    await page.click('form[action="/admin/keys"] button.danger');
    assert.match(await page.textContent('h1'), /Rotasi kunci penandatanganan/);
    await checkPage(ctx, page, 'rotate keys: confirm');
    await page.click('button.danger');
    await page.waitForURL(`${ISSUER}/admin/keys`);
    assert.match(await page.textContent('main'), /Kunci baru telah dibuat/);
    await checkPage(ctx, page, 'keys rotated');
    const after = await jwksKids();
    assert.ok(after.some((k) => !before.includes(k)), `a new kid in ${after} (before: ${before})`);
    assert.equal(psql(`SELECT count(*) > 0 FROM audit_log WHERE event = 'key.activated'
      AND actor = '${ad.username}'`), 't');
    await ctx.close();
  });

  test(`an auditor reads the deliveries and cannot rotate keys (${name})`, async () => {
    const au = await operator('auditor', viewport);
    const failing = await logoutService('Layanan Gagal Juga');
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await signInConsole(ctx, page, au);
    await page.click('a[href="/admin/deliveries"]');
    assert.match(await page.textContent('main'), new RegExp(failing.id));
    await checkPage(ctx, page, 'auditor: deliveries');
    const before = await jwksKids();
    assert.equal((await page.goto(`${ISSUER}/admin/keys`)).status(), 403);
    await checkPage(ctx, page, 'auditor: keys forbidden');
    const post = await page.request.post(`${ISSUER}/admin/keys`, {
      form: { action: 'rotate', when: 'now', confirm: 'yes' }, maxRedirects: 0 });
    assert.equal(post.status(), 403);
    assert.deepEqual(await jwksKids(), before);
    await ctx.close();
  });
}
