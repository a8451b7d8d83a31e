// The developer portal in a real browser, at desktop and phone size: a
// developer signs in through the provider, registers a client and sees it
// pending, an operator approves it with idpctl, the developer replaces its
// secret and sees its usage; a developer of another organisation gets 403;
// the consent page of a third-party application with its owner, site and
// contacts, and the verified mark of a province service. Every page passes
// checkPage() (axe-core 0 violations, 390 px, 24 px targets, no CSP or
// console errors).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ISSUER, http, idpctl, unique } from '../e2e/lib.mjs';
import { authorizeUrl, basic, exchange, makeClient, makeUser } from '../e2e/flow.mjs';
import { addManifest, testOrg } from '../e2e/rp.mjs';
import { VIEWPORTS, checkPage, context, launch, relyingParty } from './lib.mjs';

let browser, rp;
const ORG_A = testOrg('browser.dinas-a', 'Dinas Kebudayaan Uji');
const ORG_B = testOrg('browser.dinas-b', 'Dinas Perhubungan Uji');

before(async () => {
  browser = await launch();
  rp = await relyingParty();
});

after(async () => {
  await browser?.close();
  await rp?.close();
});

function developer(org) {
  const u = makeUser({ name: 'I Wayan Pengembang' });
  assert.equal(idpctl(['member', 'add', u.username, org, 'developer']).status, 0);
  return u;
}

async function signIn(page, u, path = '/developer') {
  await page.goto(ISSUER + path);
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.fill('#username', u.username);
  await page.fill('#password', u.password);
  await page.click('button[type=submit]');
  await page.waitForURL(ISSUER + path);
}

const h1 = (page) => page.textContent('h1');

for (const [name, viewport] of VIEWPORTS) {
  test(`a developer registers, an operator approves, the developer rotates the secret and sees usage (${name})`, async () => {
    const dev = developer(ORG_A);
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await signIn(page, dev);
    assert.match(await h1(page), /Portal pengembang/);
    assert.match(await page.textContent('main'), /kode browser\.dinas-a/);
    await checkPage(ctx, page, 'developer home');

    await page.click('a[href="/developer/new"]');
    assert.match(await h1(page), /Daftarkan layanan baru/);
    await checkPage(ctx, page, 'registration form');
    // A bad return address: the form comes back marked.
    const label = `Layanan Budaya ${unique('b')}`;
    await page.fill('#client_name', label);
    await page.fill('#redirect_uris', 'http://budaya.example.com/cb');
    await page.click('form[action="/developer/new"] button[type=submit]');
    assert.equal(await page.getAttribute('#redirect_uris', 'aria-invalid'), 'true');
    assert.ok(await page.isVisible('[role=alert]'));
    await checkPage(ctx, page, 'registration form with an error');
    await page.fill('#redirect_uris', `${rp.redirect}`);
    await page.check('#scopes-4');
    await page.click('form[action="/developer/new"] button[type=submit]');
    assert.match(await h1(page), /sudah terdaftar/);
    const id = (await page.textContent('dd')).trim();
    const secret = (await page.textContent('#client-secret')).trim();
    assert.match(id, /^dcr\./);
    await checkPage(ctx, page, 'registered, the secret shown once');

    await page.click('a.button');
    assert.match(await page.textContent('main'), /Menunggu persetujuan/);
    await checkPage(ctx, page, 'client page, pending');
    assert.equal(idpctl(['client', 'approve', id]).status, 0);
    await page.reload();
    assert.match(await page.textContent('.badge'), /Disetujui/);

    // Usage: the developer signs in to the new service once (consent,
    // then the code is redeemed), and a made-up code is refused.
    await page.goto(ISSUER + authorizeUrl({ id, redirect: rp.redirect }));
    await page.click('button[value=allow]');
    await page.waitForURL(`${rp.redirect}?**`);
    const code = new URL(page.url()).searchParams.get('code');
    assert.equal((await exchange({ id, secret, redirect: rp.redirect }, code)).status, 200);
    await http('POST', '/token', { form: { grant_type: 'authorization_code', code: 'x'.repeat(43),
      redirect_uri: rp.redirect }, headers: { authorization: basic({ id, secret }) } });
    await page.goto(`${ISSUER}/developer/clients/${id}`);
    assert.match(await page.textContent('#usage-days'), /Pemakaian per hari/);
    assert.match(await page.textContent('main'), /1 kali masuk, 2 permintaan token/);
    assert.match(await page.textContent('svg.chart title'), /Jumlah masuk per hari/);
    assert.match(await page.textContent('svg.chart desc'), /Diagram batang/);

    await page.click('form:has(input[value=rotate]) button');
    assert.match(await h1(page), /Buat rahasia baru untuk/);
    await checkPage(ctx, page, 'rotation question');
    await page.click('button.danger');
    const fresh = (await page.textContent('#client-secret')).trim();
    assert.notEqual(fresh, secret);
    await checkPage(ctx, page, 'new secret');
    const old = await http('POST', '/token', { form: { grant_type: 'authorization_code',
      code: 'x'.repeat(43), redirect_uri: rp.redirect }, headers: { authorization: basic({ id, secret }) } });
    assert.equal(old.json.error, 'invalid_client');

    await page.goto(`${ISSUER}/developer/clients/${id}`);
    assert.match(await page.textContent('main'), /invalid_client/, 'the last errors show the old secret');
    await checkPage(ctx, page, 'client page with usage and errors');
    await page.click('a[lang=en]');
    assert.match(await page.textContent('main'), /Sign-ins per day/);
    await checkPage(ctx, page, 'client page (en)');
    await ctx.close();
  });

  test(`a developer of another organisation gets 403 (${name})`, async () => {
    const owner = makeClient({ name: 'Layanan Dinas A', org: ORG_A, redirects: [rp.redirect] });
    const other = developer(ORG_B);
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await signIn(page, other);
    const r = await page.goto(`${ISSUER}/developer/clients/${owner.id}`);
    assert.equal(r.status(), 403);
    assert.match(await h1(page), /khusus pengembang/);
    await checkPage(ctx, page, 'portal 403');
    await ctx.close();
  });

  test(`consent names who runs the application; the verified mark (${name})`, async () => {
    const id = unique('mitra-');
    const redirect = rp.redirect;
    const m = addManifest({ client_id: id, client_name: 'Aplikasi Mitra Budaya', owner_organisation: ORG_B,
      first_party: false, redirect_uris: [redirect], client_uri: 'https://mitra.example.id/tentang',
      contacts: ['dukungan@mitra.example.id'], grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic', scope: 'openid profile' });
    assert.equal(m.status, 0, m.stderr);
    const first = makeClient({ name: 'Sistem Kepegawaian', redirects: [rp.redirect] });
    const user = makeUser({ name: 'Ni Made Warga' });
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await page.goto(ISSUER + authorizeUrl(first));
    assert.match(await page.textContent('.verified'), /Layanan resmi Pemerintah Provinsi Bali/);
    await checkPage(ctx, page, 'login with the verified mark');
    await page.fill('#username', user.username);
    await page.fill('#password', user.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${rp.redirect}?**`);
    await page.goto(ISSUER + authorizeUrl({ id, redirect }, { scope: 'openid profile' }));
    assert.match(await h1(page), /Aplikasi Mitra Budaya meminta izin/);
    assert.match(await page.textContent('.about'), /Dinas Perhubungan Uji/);
    assert.match(await page.textContent('.about'), /dukungan@mitra\.example\.id/);
    await checkPage(ctx, page, 'consent with owner and contacts');
    await ctx.close();
  });
}
