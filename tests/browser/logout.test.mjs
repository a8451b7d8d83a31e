// Single sign-out in a real browser, at desktop and phone size: a person
// signed in to two services signs out; the signed-out page names both,
// loads the front-channel service's logout URI in a hidden iframe (with
// iss and sid, allowed by the page's CSP, no violation reported), leads
// back to the service that asked and to sign in again, and passes
// axe-core; the back-channel service receives its logout token.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ISSUER } from '../e2e/lib.mjs';
import { authorizeUrl, makeClient, makeUser } from '../e2e/flow.mjs';
import { LogoutReceiver } from '../e2e/receiver.mjs';
import { VIEWPORTS, checkPage, context, launch, relyingParty } from './lib.mjs';

let browser, rp, rx;

before(async () => {
  browser = await launch();
  rp = await relyingParty();
  rx = await new LogoutReceiver().start();
});

after(async () => {
  await browser?.close();
  await rp?.close();
  await rx?.stop();
});

for (const [name, viewport] of VIEWPORTS) {
  test(`signed out of two services, front- and back-channel (${name})`, async () => {
    const front = makeClient({ name: 'Portal Desa Adat', redirects: [rp.redirect],
      frontchannel: `${rp.base}/fcl`, postLogout: [`${rp.base}/signed-out`] });
    const back = makeClient({ name: 'Sistem Kepegawaian', redirects: [rp.redirect],
      backchannel: rx.url });
    const user = makeUser({ name: 'I Wayan Sudarma' });
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    for (const c of [front, back]) {
      await page.goto(ISSUER + authorizeUrl(c));
      if (await page.$('#username')) {
        await page.fill('#username', user.username);
        await page.fill('#password', user.password);
        await page.click('button[type=submit]');
      }
      await page.waitForURL(`${rp.redirect}?**`);
    }
    const before = rp.hits.length;
    const q = new URLSearchParams({ client_id: front.id,
      post_logout_redirect_uri: `${rp.base}/signed-out`, state: 'st-9' });
    await page.goto(`${ISSUER}/logout?${q}`);
    await checkPage(ctx, page, 'sign-out confirmation with a return');
    await page.click('form[action="/logout"] button[type=submit]');
    assert.match(await page.textContent('h1'), /Anda sudah keluar/);
    const listed = await page.$$eval('ul.services li', (l) => l.map((x) => x.textContent));
    assert.deepEqual(listed.sort(), ['Portal Desa Adat', 'Sistem Kepegawaian']);
    assert.equal(await page.getAttribute('a.button', 'href'), `${rp.base}/signed-out?state=st-9`);
    assert.ok(await page.$('a[href="/login?next=%2Faccount"]'));
    await checkPage(ctx, page, 'signed out with a front-channel service');
    const frame = rp.hits.slice(before).find((u) => u.pathname === '/fcl');
    assert.ok(frame, 'the iframe loaded the front-channel logout URI');
    assert.equal(frame.searchParams.get('iss'), ISSUER);
    assert.ok(frame.searchParams.get('sid'));
    const told = () => rx.tokens.some((t) =>
      JSON.parse(Buffer.from(t.token.split('.')[1], 'base64url')).aud === back.id);
    for (const end = Date.now() + 20000; !told() && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(told(), 'the back-channel service received its token');
    await page.goto(`${ISSUER}/logout?ui_locales=en`);
    assert.match(await page.textContent('h1'), /You have signed out/);
    await checkPage(ctx, page, 'signed out, nothing reached (en)');
    await ctx.close();
  });
}
