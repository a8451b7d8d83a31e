// Every page a person can meet, in a real browser at desktop and phone
// size: login (both languages, with an error), consent, the account page
// and the question before a consent is withdrawn, sign-out confirmation
// and the signed-out page, an expired login page and its way back, the
// error pages of an unknown service and of an unregistered return address,
// the HTML 404, /account opened signed out -> sign in -> /account, and
// sign-in by NIP with the answer to too many failures.
// Each passes axe-core with 0 violations, fits a 390 px screen with
// 24x24 px targets, and raises no console error or CSP violation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ISSUER, psql } from '../e2e/lib.mjs';
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

const h1 = (page) => page.textContent('h1');

for (const [name, viewport] of VIEWPORTS) {
  test(`sign-in, consent, account and sign-out pages (${name})`, async () => {
    const user = makeUser({ name: 'Ni Komang Ayu Lestari' });
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await page.goto(ISSUER + authorizeUrl(firstParty));
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    assert.match(await h1(page), /Masuk ke Sistem Kepegawaian/);
    await checkPage(ctx, page, 'login (id)');

    await page.click('a[lang=en]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await h1(page), /Sign in to Sistem Kepegawaian/);
    await checkPage(ctx, page, 'login (en)');

    await page.fill('#username', user.username);
    await page.fill('#password', 'salah-sekali');
    await page.click('button[type=submit]');
    assert.ok(await page.isVisible('[role=alert]'));
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the answer keeps the language');
    await checkPage(ctx, page, 'login with an error (en)');
    await page.click('a[lang=id]');
    assert.equal(await page.getAttribute('html', 'lang'), 'id');

    await page.fill('#username', user.username);
    await page.fill('#password', user.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${rp.redirect}?**`);
    assert.ok(new URL(page.url()).searchParams.get('code'));

    await page.goto(ISSUER + authorizeUrl(thirdParty));
    assert.match(await h1(page), /Aplikasi Mitra Desa meminta izin/);
    await checkPage(ctx, page, 'consent');
    await page.click('button[value=allow]');
    await page.waitForURL(`${rp.redirect}?**`);

    await page.goto(`${ISSUER}/account`);
    assert.match(await page.textContent('main'), /Aplikasi Mitra Desa/);
    assert.match(await page.textContent('dd time'), / WITA$/);
    await checkPage(ctx, page, 'account');

    await page.click('form[action="/account"] button[type=submit]');
    assert.match(await h1(page), /Cabut izin untuk Aplikasi Mitra Desa\?/);
    await checkPage(ctx, page, 'withdraw confirmation');
    await page.click('button.danger');
    await page.waitForURL(`${ISSUER}/account`);
    assert.match(await page.textContent('[role=status]'), /Izin sudah dicabut/);
    await checkPage(ctx, page, 'account with a flash message');

    await page.goto(`${ISSUER}/logout`);
    assert.match(await h1(page), /Keluar dari SSO Provinsi Bali\?/);
    await checkPage(ctx, page, 'sign-out confirmation');
    await page.click('form[action="/logout"] button[type=submit]');
    assert.match(await h1(page), /Anda sudah keluar/);
    await checkPage(ctx, page, 'signed out');
    await ctx.close();
  });

  test(`pages for when something goes wrong (${name})`, async () => {
    const user = makeUser();
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();

    // An expired login page, opened again: it offers to start the same
    // request, which leads to the login page and on to the service.
    await page.goto(ISSUER + authorizeUrl(firstParty, { state: 'st-browser' }));
    const login = new URL(page.url()).searchParams.get('login')
      ?? await page.inputValue('input[name=login]');
    psql(`UPDATE login_requests SET expires_at = now() - interval '1 second'
          WHERE id_digest = sha256('${login}'::bytea)`);
    const stale = await page.goto(`${ISSUER}/login?login=${login}`);
    assert.equal(stale.status(), 400);
    assert.match(await h1(page), /Halaman masuk sudah kedaluwarsa/);
    await checkPage(ctx, page, 'expired login page');
    await page.click('a.button');
    assert.match(await h1(page), /Masuk ke Sistem Kepegawaian/);
    psql(`UPDATE login_requests SET expires_at = now() - interval '1 second'
          WHERE id_digest = sha256('${await page.inputValue('input[name=login]')}'::bytea)`);
    await page.fill('#username', user.username);
    await page.fill('#password', user.password);
    await page.click('button[type=submit]');
    assert.match(await page.textContent('[role=status]'), /sudah kedaluwarsa/);
    assert.equal(await page.inputValue('#username'), user.username);
    await checkPage(ctx, page, 'login after it expired');
    await page.fill('#password', user.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${rp.redirect}?**`);
    assert.equal(new URL(page.url()).searchParams.get('state'), 'st-browser');

    const unknown = await page.goto(ISSUER + authorizeUrl({ id: 'tidak-terdaftar',
      redirect: rp.redirect }));
    assert.equal(unknown.status(), 400);
    assert.match(await h1(page), /Layanan tidak dikenal/);
    assert.match(await page.textContent('.help'), /Helpdesk SSO Provinsi Bali/);
    await checkPage(ctx, page, 'authorization error: unknown service');

    const ret = await page.goto(ISSUER + authorizeUrl(firstParty,
      { redirect_uri: 'https://evil.example/cb', ui_locales: 'en' }));
    assert.equal(ret.status(), 400);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await h1(page), /The return address is not registered/);
    await checkPage(ctx, page, 'authorization error: return address (en)');

    const nf = await page.goto(`${ISSUER}/tidak/ada`);
    assert.equal(nf.status(), 404);
    assert.match(await page.title(), /Halaman tidak ditemukan/);
    await checkPage(ctx, page, 'HTML 404');
    await ctx.close();
  });

  test(`/account signed out -> sign in -> back on /account (${name})`, async () => {
    const user = makeUser({ name: 'I Gede Wirawan' });
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await page.goto(`${ISSUER}/account`);
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.match(await h1(page), /Masuk ke SSO Provinsi Bali/);
    await checkPage(ctx, page, 'sign in to the account page');
    await page.fill('#username', user.username);
    await page.fill('#password', user.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${ISSUER}/account`);
    assert.match(await page.textContent('main'), /I Gede Wirawan/);
    await checkPage(ctx, page, 'account after signing in');
    await ctx.close();
  });
}

for (const [name, viewport] of VIEWPORTS) {
  test(`sign in by NIP; too many failures say how long to wait, in both languages (${name})`, async () => {
    const user = makeUser({ name: 'I Putu Pegawai' });
    const myNip = `199001012015${name === 'phone' ? 2 : 1}${String(process.pid).padStart(5, '0').slice(-5)}`;
    psql(`UPDATE users SET nip = '${myNip}' WHERE username = '${user.username}'`);
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await page.goto(ISSUER + authorizeUrl(firstParty));
    assert.equal(await page.textContent('label[for=username]'), 'Nama pengguna, NIP atau email');
    await page.fill('#username', myNip);
    await page.fill('#password', user.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${rp.redirect}?**`);

    for (const lang of ['id', 'en']) {
      const other = await context(browser, viewport);
      const p = await other.newPage();
      await p.goto(ISSUER + authorizeUrl(firstParty, { ui_locales: lang }));
      // Five failures are free; past them the wait doubles from 1 s. On a
      // machine so busy that one attempt outlasts the wait, the next is
      // let through again, so keep failing until the wait outlasts one.
      const slowed = lang === 'id' ?
        /Terlalu banyak percobaan masuk yang gagal\. Coba lagi dalam \d+ detik/ :
        /Too many failed sign-in attempts\. Try again in \d+ seconds?/;
      let said = '';
      for (let i = 0; i < 14 && !slowed.test(said); i += 1) {
        await p.fill('#username', `${lang}-${user.username}`);
        await p.fill('#password', `keliru-${i}`);
        await p.click('button[type=submit]');
        await p.waitForLoadState('load');
        said = (await p.textContent('[role=alert]')) ?? '';
        if (i < 5) assert.doesNotMatch(said, slowed, `attempt ${i + 1} is one of the free five`);
      }
      assert.match(said, slowed);
      assert.equal(await p.getAttribute('html', 'lang'), lang);
      await checkPage(other, p, `login, too many failures (${lang})`);
      await other.close();
    }
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

test('an empty field is marked on the field', async () => {
  const user = makeUser();
  const ctx = await context(browser, VIEWPORTS[1][1]);
  const page = await ctx.newPage();
  await page.goto(ISSUER + authorizeUrl(firstParty));
  await page.fill('#username', user.username);
  // The browser's own check would stop an empty required field; a person
  // whose browser lets it through gets the provider's answer.
  await page.$eval('#password', (el) => el.removeAttribute('required'));
  await page.click('button[type=submit]');
  assert.equal(await page.getAttribute('#password', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#password', 'aria-describedby'), 'password-error');
  assert.match(await page.textContent('#password-error'), /Isi kata sandi/);
  await checkPage(ctx, page, 'login with an empty field');
  await ctx.close();
});
