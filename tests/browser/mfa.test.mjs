// The second factor in a real browser, at desktop and phone size: setting
// up an authenticator app on /account/mfa (QR code and key, the first
// code computed here with node's HMAC, the recovery codes), the second
// step of a sign-in to a service, and (desktop) a passkey registered and
// used with Chromium's virtual authenticator (DevTools WebAuthn domain).
// Each page passes axe-core with 0 violations, fits 390 px, and raises no
// console error or CSP violation (the passkey script runs under its hash).
// The idp of this file has the issuer http://localhost:PORT: a passkey's
// relying party id cannot be an IP address.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { psql, startIdp } from '../e2e/lib.mjs';
import { makeClient, makeUser } from '../e2e/flow.mjs';
import { DESKTOP, VIEWPORTS, checkPage, context, launch, relyingParty } from './lib.mjs';
import { base32, totp } from '../e2e/totp.mjs';

let browser, idp, rp;

before(async () => {
  browser = await launch();
  idp = await startIdp({}, { host: 'localhost' });
  rp = await relyingParty();
});

after(async () => {
  await browser?.close();
  await idp?.stop();
  await rp?.close();
});

const authorize = (client) => `${idp.url}/authorize?${new URLSearchParams({
  response_type: 'code', client_id: client.id, redirect_uri: client.redirect,
  scope: 'openid profile', state: 'st-mfa', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256' })}`;

async function signInLocal(page, user) {
  await page.goto(`${idp.url}/login?next=%2Faccount%2Fmfa`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('button[type=submit]');
}

// Set up the app on /account/mfa; returns the key.
async function enrol(ctx, page, label) {
  await page.waitForURL(`${idp.url}/account/mfa`);
  await checkPage(ctx, page, `${label}: two-step verification`);
  await page.click('form:has(input[value="enrol"]) button');
  assert.ok(await page.isVisible('svg.qr'));
  await checkPage(ctx, page, `${label}: set up the app`);
  const key = base32(await page.textContent('code.secret'));
  await page.fill('#code', '000000' === totp(key) ? '111111' : '000000');
  await page.click('form:has(input[value="enrol_confirm"]) button');
  assert.ok(await page.isVisible('#factor-error'));
  await checkPage(ctx, page, `${label}: set up, wrong code`);
  await page.fill('#code', totp(key));
  await page.click('form:has(input[value="enrol_confirm"]) button');
  assert.equal(await page.locator('ol.codes li').count(), 10);
  await checkPage(ctx, page, `${label}: recovery codes`);
  await page.click('a.button');
  await page.waitForURL(`${idp.url}/account/mfa`);
  await checkPage(ctx, page, `${label}: app on`);
  return key;
}

for (const [name, viewport] of VIEWPORTS) {
  test(`authenticator app: set up and sign in (${name})`, async () => {
    const user = makeUser({ name: 'I Gusti Ayu Made Sari' });
    const client = makeClient({ redirects: [rp.redirect] });
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await signInLocal(page, user);
    const key = await enrol(ctx, page, name);
    const ctx2 = await context(browser, viewport);
    const p2 = await ctx2.newPage();
    await p2.goto(authorize(client));
    await p2.fill('#username', user.username);
    await p2.fill('#password', user.password);
    await p2.click('button[type=submit]');
    assert.match(await p2.textContent('h1'), /Verifikasi dua langkah/);
    assert.equal(await p2.getAttribute('#code', 'autocomplete'), 'one-time-code');
    assert.equal(await p2.getAttribute('#code', 'inputmode'), 'numeric');
    await checkPage(ctx2, p2, `${name}: second step`);
    await p2.fill('#code', '12');
    await p2.click('form:has(input[value="totp"]) button');
    await checkPage(ctx2, p2, `${name}: second step, wrong code`);
    await p2.fill('#code', totp(key, 1));
    await p2.click('form:has(input[value="totp"]) button');
    await p2.waitForURL(/\/callback\?/);
    assert.ok(new URL(p2.url()).searchParams.get('code'));
    // Removing the app asks first.
    await page.click('form:has(input[value="remove_totp"]) button');
    assert.equal(await page.locator('input[name="confirm"]').count(), 1);
    await checkPage(ctx, page, `${name}: remove the app?`);
    await ctx.close();
    await ctx2.close();
  });

  test(`a service asks for a second factor a person does not have (${name}, English)`, async () => {
    const user = makeUser({ name: 'Komang Arya' });
    const client = makeClient({ redirects: [rp.redirect] });
    const ctx = await context(browser, viewport, 'en-US');
    const page = await ctx.newPage();
    await page.goto(`${authorize(client)}&acr_values=2&ui_locales=en`);
    await page.fill('#username', user.username);
    await page.fill('#password', user.password);
    await page.click('button[type=submit]');
    assert.match(await page.textContent('h1'), /Two-step verification/);
    assert.match(await page.textContent('main'), /does not have it yet/);
    await checkPage(ctx, page, `${name}: set-up offered`);
    await page.click('form:has(input[value="enrol"]) button');
    await checkPage(ctx, page, `${name}: set up during sign-in`);
    const key = base32(await page.textContent('code.secret'));
    await page.fill('#code', totp(key));
    await page.click('form:has(input[value="enrol_confirm"]) button');
    await checkPage(ctx, page, `${name}: recovery codes during sign-in`);
    await page.click('form:has(input[value="continue"]) button');
    await page.waitForURL(/\/callback\?/);
    await ctx.close();
  });
}

test('passkey: registered on /account/mfa, then the second step (virtual authenticator)', async () => {
  const user = makeUser({ name: 'Made Wirawan' });
  const client = makeClient({ redirects: [rp.redirect] });
  const ctx = await context(browser, DESKTOP);
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await signInLocal(page, user);
  await enrol(ctx, page, 'passkey');
  assert.ok(await page.isVisible('#passkey-button'));
  await page.click('#passkey-button');
  await page.waitForURL(`${idp.url}/account/mfa`);
  await page.waitForSelector('section.item');
  assert.match(await page.textContent('main'), /Passkey sudah ditambahkan/);
  await checkPage(ctx, page, 'passkey: added');
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1);

  // Signed out, then in again to a service: password, then the passkey.
  await ctx.clearCookies();
  await page.goto(authorize(client));
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('button[type=submit]');
  assert.ok(await page.isVisible('#passkey-button'));
  await checkPage(ctx, page, 'passkey: second step');
  await page.click('#passkey-button');
  await page.waitForURL(/\/callback\?/);
  assert.ok(new URL(page.url()).searchParams.get('code'));
  const row = psql(`SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id
    WHERE u.username = '${user.username}' AND a.event = 'mfa.passkey_ok'`);
  assert.equal(row, '1');
  const amr = psql(`SELECT array_to_string(s.amr, ' ') FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE u.username = '${user.username}' AND s.ended_at IS NULL ORDER BY s.id DESC LIMIT 1`);
  assert.equal(amr, 'pwd hwk mfa');
  await ctx.close();
});
