// The password and session pages in a real browser at desktop and phone
// size: "Lupa kata sandi?" from the login page, the same answer after a
// request, the helpdesk code form (also refused), the new-password form
// (with a policy refusal) and the sign-in it leads to, the password change
// form on /account (with an error), the sessions list and the question
// before one ends. Each passes axe-core with 0 violations and fits 390 px.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { idpctl, startIdp } from '../e2e/lib.mjs';
import { makeUser } from '../e2e/flow.mjs';
import { SmtpServer } from '../e2e/mail.mjs';
import { VIEWPORTS, checkPage, context, launch } from './lib.mjs';

let browser, smtp, idp;

before(async () => {
  browser = await launch();
  smtp = await (await SmtpServer.create()).start();
  idp = await startIdp({ IDP_SMTP_URL: smtp.url(), IDP_MAIL_FROM: 'sso@baliprov.go.id' });
});

after(async () => {
  await browser?.close();
  await idp?.stop();
  await smtp?.stop();
  smtp?.cleanup();
});

const h1 = (page) => page.textContent('h1');

for (const [name, viewport] of VIEWPORTS) {
  test(`reset pages (${name})`, async () => {
    const user = makeUser({ name: 'Ni Kadek Ayu Pertiwi' });
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await page.goto(`${idp.url}/login?next=%2Faccount`);
    await page.click('a[href="/reset"]');
    assert.match(await h1(page), /Lupa kata sandi\?/);
    await checkPage(ctx, page, 'reset: ask');
    await page.fill('#who', user.username);
    await page.click('button[type=submit]');
    assert.match(await h1(page), /Periksa email Anda/);
    await checkPage(ctx, page, 'reset: sent');
    await page.click('a[href="/reset/code"]');
    assert.match(await h1(page), /kode helpdesk/);
    await checkPage(ctx, page, 'reset: code');
    await page.fill('#username', user.username);
    await page.fill('#code', '000 000 0000');
    await page.click('button[type=submit]');
    assert.ok(await page.isVisible('[role=alert]'));
    await checkPage(ctx, page, 'reset: code refused');
    const code = idpctl(['--json', 'user', 'reset-code', user.username]).json.code;
    await page.fill('#username', user.username);
    await page.fill('#code', code);
    await page.click('button[type=submit]');
    assert.match(await h1(page), /Buat kata sandi baru/);
    await checkPage(ctx, page, 'reset: new password');
    await page.fill('#new_password', 'rahasia123');
    await page.fill('#new_password2', 'rahasia123');
    await page.click('button[type=submit]');
    assert.match(await page.textContent('.field-error'), /terlalu umum/);
    await checkPage(ctx, page, 'reset: new password refused');
    await page.fill('#new_password', 'Layang-layang di Padang Galak');
    await page.fill('#new_password2', 'Layang-layang di Padang Galak');
    await page.click('button[type=submit]');
    await page.waitForURL(`${idp.url}/account`);
    assert.match(await page.textContent('[role=status]'), /Kata sandi baru Anda sudah disimpan/);
    await checkPage(ctx, page, 'account after a reset');
    await ctx.close();
  });

  test(`password change and sessions (${name})`, async () => {
    const user = makeUser({ name: 'I Komang Adi Saputra' });
    const other = await context(browser, viewport);
    const op = await other.newPage();
    await op.goto(`${idp.url}/login?next=%2Faccount`);
    await op.fill('#username', user.username);
    await op.fill('#password', user.password);
    await op.click('button[type=submit]');
    await op.waitForURL(`${idp.url}/account`);

    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await page.goto(`${idp.url}/account/password`);
    await page.fill('#username', user.username);
    await page.fill('#password', user.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${idp.url}/account/password`);
    assert.match(await h1(page), /Ubah kata sandi/);
    await checkPage(ctx, page, 'password change');
    await page.fill('#current_password', 'salah sekali');
    await page.fill('#new_password', 'Burung jalak putih terbang');
    await page.fill('#new_password2', 'Burung jalak putih terbang');
    await page.click('button[type=submit]');
    assert.match(await page.textContent('.field-error'), /Kata sandi sekarang salah/);
    await checkPage(ctx, page, 'password change refused');

    await page.goto(`${idp.url}/account`);
    await page.click('a[href="/account/sessions"]');
    assert.match(await h1(page), /Sesi aktif/);
    assert.match(await page.textContent('main'), /Chrome di Linux/);
    await checkPage(ctx, page, 'sessions');
    await page.click('form[action="/account/sessions"] button.secondary');
    assert.match(await h1(page), /Keluarkan sesi/);
    await checkPage(ctx, page, 'end a session: question');
    await page.click('button.danger');
    await page.waitForURL(`${idp.url}/account/sessions`);
    assert.match(await page.textContent('[role=status]'), /sudah dikeluarkan/);
    await checkPage(ctx, page, 'sessions after ending one');
    await op.goto(`${idp.url}/account`);
    assert.match(op.url(), /\/login\?/, 'the other browser is signed out');
    await ctx.close();
    await other.close();
  });
}
