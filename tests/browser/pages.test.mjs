// Every page a person meets while signing in, in a real browser at
// desktop and phone size: login (both languages, with an error), consent,
// the account page, sign-out confirmation and the signed-out page, and the
// expired-login page. Each passes axe-core with 0 violations and fits a
// 390 px screen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ISSUER } from '../e2e/lib.mjs';
import { authorizeUrl, makeClient, makeUser } from '../e2e/flow.mjs';
import { VIEWPORTS, checkPage, context, launch, relyingParty } from './lib.mjs';

let browser, rp, firstParty, thirdParty;

before(async () => {
  browser = await launch();
  rp = await relyingParty();
  firstParty = makeClient({ name: 'Sistem Kepegawaian', redirects: [rp.redirect] });
  thirdParty = makeClient({ name: 'Aplikasi Mitra Desa', redirects: [rp.redirect],
    firstParty: false });
});

after(async () => {
  await browser?.close();
  await rp?.close();
});

async function signIn(page, client, user, password) {
  await page.goto(ISSUER + authorizeUrl(client));
  await page.fill('#username', user.username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
}

for (const [name, viewport] of VIEWPORTS) {
  test(`sign-in pages pass axe and fit the screen (${name})`, async () => {
    const user = makeUser({ name: 'Ni Komang Ayu Lestari' });
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await page.goto(ISSUER + authorizeUrl(firstParty));
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    assert.match(await page.textContent('h1'), /Masuk ke Sistem Kepegawaian/);
    await checkPage(ctx, page, 'login (id)');

    await page.click('a[lang=en]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await checkPage(ctx, page, 'login (en)');

    await page.fill('#username', user.username);
    await page.fill('#password', 'salah-sekali');
    await page.click('button[type=submit]');
    assert.ok(await page.isVisible('[role=alert]'));
    await checkPage(ctx, page, 'login with an error');

    await page.fill('#password', user.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${rp.redirect}?**`);
    assert.ok(new URL(page.url()).searchParams.get('code'));

    await page.goto(ISSUER + authorizeUrl(thirdParty));
    assert.match(await page.textContent('h1'), /Aplikasi Mitra Desa/);
    await checkPage(ctx, page, 'consent');
    await page.click('button[value=allow]');
    await page.waitForURL(`${rp.redirect}?**`);

    await page.goto(`${ISSUER}/account`);
    assert.match(await page.textContent('body'), /Aplikasi Mitra Desa/);
    await checkPage(ctx, page, 'account');

    await page.goto(`${ISSUER}/logout`);
    await checkPage(ctx, page, 'sign-out confirmation');
    await page.click('form[action="/logout"] button[type=submit]');
    await checkPage(ctx, page, 'signed out');

    await page.goto(`${ISSUER}/login?login=${'A'.repeat(43)}`);
    await checkPage(ctx, page, 'expired sign-in page');
    await ctx.close();
  });
}

test('a failed sign-in keeps the person on the form with the name filled in', async () => {
  const user = makeUser();
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await signIn(page, firstParty, user, 'keliru-123');
  assert.equal(await page.inputValue('#username'), user.username);
  assert.match(await page.textContent('[role=alert]'), /salah/);
  await ctx.close();
});
