// The worked example, clients/spbe-portal: Apache with mod_auth_openidc and
// a PHP page, started on loopback with its own configuration (run.sh). In
// chromium a desa adat officer signs in through the provider, sees their
// name and the SPBE table with their regency highlighted, and signs out;
// the portal's pages pass checkPage() like the provider's own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ISSUER, env, freePort, idpctl, psql } from '../e2e/lib.mjs';
import { VIEWPORTS, checkPage, context, launch } from './lib.mjs';

const run = join(env.ROOT, 'clients/spbe-portal/run.sh');
let browser, base, state, portalEnv;

before(async () => {
  browser = await launch();
  idpctl(['org', 'import', join(env.ROOT, 'deploy/demo/organisations.csv')]);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const id = `spbe-portal-${process.pid}`;
  const reg = idpctl(['--json', 'client', 'add', id, '--name', 'Portal Evaluasi SPBE',
    '--redirect-uri', `${base}/callback`, '--post-logout-uri', `${base}/`, '--first-party',
    '--scope', 'openid profile email organisation', '--org', 'baliprov.diskominfos']);
  assert.equal(reg.status, 0, reg.stderr);
  state = mkdtempSync('/tmp/spbe-portal-');
  const secret = join(state, 'secret');
  writeFileSync(secret, `${reg.json.client_secret}\n`, { mode: 0o600 });
  portalEnv = { ...process.env, PORTAL_ISSUER: ISSUER, PORTAL_CLIENT_ID: id,
    PORTAL_CLIENT_SECRET_FILE: secret, PORTAL_LISTEN: `127.0.0.1:${port}`, PORTAL_STATE: state };
  const r = spawnSync(run, ['start'], { env: portalEnv, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});

after(async () => {
  await browser?.close();
  if (portalEnv) spawnSync(run, ['stop'], { env: portalEnv });
});

let seq = 0;
function officer() {
  seq += 1;
  const username = `bendesa${process.pid}x${seq}`;
  const r = idpctl(['user', 'add', username, '--name', 'I Nyoman Bendesa', '--org', 'desaadat.kuta',
    '--password-stdin'], { input: 'kata-sandi-desa\n' });
  assert.equal(r.status, 0, r.stderr);
  return username;
}

for (const [name, viewport] of VIEWPORTS) {
  test(`a desa adat officer signs in to the SPBE portal and sees their regency highlighted (${name})`, async () => {
    const username = officer();
    const ctx = await context(browser, viewport);
    const page = await ctx.newPage();
    await page.goto(`${base}/`);
    assert.match(await page.textContent('h1'), /Indeks SPBE 2023/);
    await checkPage(ctx, page, 'SPBE portal, signed out');
    await page.click('text=Masuk dengan SSO Provinsi Bali');
    await page.waitForURL(`${ISSUER}/**`);
    assert.match(await page.textContent('h1'), /Masuk ke Portal Evaluasi SPBE/);
    await page.fill('#username', username);
    await page.fill('#password', 'kata-sandi-desa');
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/`);
    assert.match(await page.textContent('main'), /Selamat datang, I Nyoman Bendesa/);
    assert.match(await page.textContent('main'), /Desa Adat Kuta/);
    const row = await page.textContent('tr.yours');
    assert.match(row, /Kabupaten Badung/);
    assert.match(row, /3,66/);
    assert.match(row, /Instansi Anda/);
    assert.equal(await page.locator('tbody tr').count(), 10);
    await checkPage(ctx, page, 'SPBE portal, signed in');
    assert.equal(psql(`SELECT count(*) FROM session_clients sc JOIN sessions s ON s.id = sc.session_id
      JOIN users u ON u.id = s.user_id WHERE u.username = '${username}'`), '1');

    // Keluar: mod_auth_openidc ends its session and sends the browser to
    // the provider's end_session_endpoint, which comes back here.
    // No Origin or Referer is needed for that: the portal's and the
    // provider's pages send none (Referrer-Policy: no-referrer).
    const keluar = page.waitForRequest((r) => r.url().includes('/callback?logout='));
    const toProvider = page.waitForRequest((r) => r.url().startsWith(`${ISSUER}/`));
    await page.click('text=Keluar');
    assert.equal((await keluar).headers().referer, undefined, 'no Referer is sent');
    assert.match((await toProvider).url(), /id_token_hint=/);
    await page.waitForURL(`${base}/`);
    assert.match(await page.textContent('main'), /Masuk dengan SSO Provinsi Bali/);
    assert.equal(psql(`SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE u.username = '${username}' AND s.ended_at IS NULL`), '0', 'the SSO session ended');
    // Signing in again asks for the password: neither session survived.
    await page.click('text=Masuk dengan SSO Provinsi Bali');
    await page.waitForURL(`${ISSUER}/**`);
    assert.equal(await page.locator('#password').count(), 1);
    await ctx.close();
  });
}

test('a claim a browser sends as a header does not sign anybody in', async () => {
  const ctx = await context(browser);
  await ctx.setExtraHTTPHeaders({ 'OIDC_CLAIM_sub': 'palsu', 'OIDC_CLAIM_name': 'Orang Palsu' });
  const page = await ctx.newPage();
  await page.goto(`${base}/`);
  assert.doesNotMatch(await page.textContent('main'), /Orang Palsu/);
  await ctx.close();
});
