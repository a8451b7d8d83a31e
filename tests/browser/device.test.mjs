// The /device pages (RFC 8628) in a real browser at desktop and phone
// size, in both languages: signing in first, the code form (empty, with a
// typo), the question naming the service with the code to compare (first-
// and third-party), and the answer after approving or denying. Each passes
// axe-core with 0 violations, fits a 390 px screen with 24x24 px targets,
// and raises no console error or CSP violation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ISSUER, http } from '../e2e/lib.mjs';
import { makeClient, makeUser } from '../e2e/flow.mjs';
import { VIEWPORTS, checkPage, context, launch } from './lib.mjs';

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';
let browser, kiosk, partner;

before(async () => {
  browser = await launch();
  kiosk = makeClient({ name: 'Kios Layanan Kantor Desa', redirects: [],
    grants: [DEVICE, 'refresh_token'], auth: 'none' });
  partner = makeClient({ name: 'Aplikasi Mitra Desa', redirects: [], grants: [DEVICE],
    auth: 'none', firstParty: false });
});

after(async () => {
  await browser?.close();
});

async function codes(client, scope = 'openid profile organisation') {
  const r = await http('POST', '/device_authorization', { form: { client_id: client.id, scope } });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const h1 = (page) => page.textContent('h1');

for (const [name, viewport] of VIEWPORTS) {
  test(`device code form, question and answers in both languages (${name})`, async () => {
    const user = makeUser({ name: 'Ni Nyoman Sari Dewi' });
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await page.goto(`${ISSUER}/device`);
    assert.match(page.url(), /\/login\?next=%2Fdevice$/);
    await checkPage(ctx, page, 'sign in for /device');
    await page.fill('#username', user.username);
    await page.fill('#password', user.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${ISSUER}/device`);
    assert.match(await h1(page), /Sambungkan perangkat/);
    await checkPage(ctx, page, 'device code form (id)');

    await page.fill('#user_code', 'WDJB-MJH');
    await page.click('button[type=submit]');
    assert.match(await page.textContent('.field-error'), /8 huruf/);
    await checkPage(ctx, page, 'device code form with a typo (id)');

    const d = await codes(kiosk);
    await page.fill('#user_code', d.user_code.toLowerCase());
    await page.click('button[type=submit]');
    assert.match(await h1(page), /Kios Layanan Kantor Desa ingin masuk/);
    assert.equal(await page.textContent('.usercode'), d.user_code);
    await checkPage(ctx, page, 'device question (id)');
    await page.click('button[value=approve]');
    await page.waitForURL(`${ISSUER}/device`);
    assert.match(await page.textContent('[role=status]'), /Selesai/);
    await checkPage(ctx, page, 'device approved (id)');

    await page.click('a[lang=en]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await h1(page), /Connect a device/);
    await checkPage(ctx, page, 'device code form (en)');

    const p = await codes(partner, 'openid email');
    await page.goto(p.verification_uri_complete);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await h1(page), /Aplikasi Mitra Desa wants to sign in/);
    assert.match(await page.textContent('main'), /not run by the Bali Provincial Government/);
    await checkPage(ctx, page, 'device question, third party (en)');
    await page.click('button[value=deny]');
    await page.waitForURL(`${ISSUER}/device`);
    assert.match(await page.textContent('[role=status]'), /Denied/);
    await checkPage(ctx, page, 'device denied (en)');

    await page.fill('#user_code', p.user_code);
    await page.click('button[type=submit]');
    assert.match(await page.textContent('.field-error'), /no longer valid/);
    await checkPage(ctx, page, 'device code no longer valid (en)');
    const q = await codes(partner, 'openid email');
    await page.goto(`${q.verification_uri_complete}&lang=id`);
    assert.match(await h1(page), /Aplikasi Mitra Desa ingin masuk/);
    await checkPage(ctx, page, 'device question, third party (id)');
    await ctx.close();
  });
}
