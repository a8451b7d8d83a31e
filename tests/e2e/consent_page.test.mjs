// What the consent page tells a person about a third-party application
// before they answer (owner organisation, the host of client_uri, the
// contacts; API scopes as their services describe them, offline access in
// words) and the verified mark of the province's own services on the login
// and consent pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { http, idpctl } from './lib.mjs';
import { authorizeUrl, makeClient, makeUser, newJar, submitLogin } from './flow.mjs';
import { addManifest, makeApi, testOrg } from './rp.mjs';

const ORG = testOrg('e2e.mitra', 'Koperasi Mitra Desa');
const CB = 'https://app.mitradesa.co.id/oidc/callback';

test('consent: owner, site and contacts before the question; API scopes described', async () => {
  const api = makeApi({ id: 'consent-api', scopes: ['lumbung.read'], orgs: [ORG], org: 'e2e.layanan' });
  const r = addManifest({ client_id: 'mitra-desa', client_name: 'Aplikasi Mitra Desa',
    owner_organisation: ORG, first_party: false, redirect_uris: [CB],
    client_uri: 'https://www.mitradesa.co.id/tentang', contacts: ['dukungan@mitradesa.co.id'],
    grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid profile offline_access lumbung.read' });
  assert.equal(r.status, 0, r.stderr);
  const client = { id: 'mitra-desa', secret: r.json.client_secret, redirect: CB };
  const jar = newJar();
  const page = await http('GET', authorizeUrl(client, { scope: 'openid profile offline_access lumbung.read',
    prompt: 'consent' }), { jar });
  assert.doesNotMatch(page.text, /class="verified"/, 'no mark for a third party at login');
  const user = makeUser();
  const consent = await submitLogin(jar, page, user.username, user.password);
  assert.equal(consent.status, 200);
  const t = consent.text;
  assert.match(t, /tidak dikelola oleh Pemerintah Provinsi Bali/);
  assert.doesNotMatch(t, /class="verified"/);
  assert.match(t, /<dt>Pengelola<\/dt><dd>Koperasi Mitra Desa<\/dd>/);
  assert.match(t, /<dt>Situs<\/dt><dd><a href="https:\/\/www\.mitradesa\.co\.id\/tentang">www\.mitradesa\.co\.id<\/a>/);
  assert.match(t, /<dt>Kontak<\/dt><dd><ul class="plain"><li>dukungan@mitradesa\.co\.id<\/li>/);
  assert.ok(t.indexOf('Pengelola') < t.indexOf('value="allow"'), 'who asks comes before the answer');
  assert.match(t, /Uji lumbung\.read <span class="muted">\(Izin lumbung\.read dari layanan API consent-api\)<\/span>/);
  assert.doesNotMatch(t, /Akses: /, 'no raw scope names');
  assert.match(t, /Tetap terhubung saat Anda tidak sedang memakainya, sampai Anda mencabut izin ini/);
  assert.ok(api.id);
});

test('consent: an owner that is not known and a client_uri off the redirect site are not shown', async () => {
  const r = idpctl(['--json', 'client', 'add', 'mitra-tanpa-pemilik', '--name', 'Aplikasi Tanpa Pemilik',
    '--redirect-uri', CB, '--scope', 'openid profile']);
  assert.equal(r.status, 0, r.stderr);
  const client = { id: 'mitra-tanpa-pemilik', secret: r.json.client_secret, redirect: CB };
  const jar = newJar();
  const page = await http('GET', authorizeUrl(client, { scope: 'openid profile' }), { jar });
  const user = makeUser();
  const consent = await submitLogin(jar, page, user.username, user.password);
  assert.equal(consent.status, 200);
  assert.match(consent.text, /<dt>Pengelola<\/dt><dd>Tidak diketahui<\/dd>/);
  assert.doesNotMatch(consent.text, /<dt>Situs<\/dt>/);
  assert.doesNotMatch(consent.text, /<dt>Kontak<\/dt>/);
});

test('the province\'s own services carry the verified mark on the login page', async () => {
  const first = makeClient({ name: 'Sistem Kepegawaian Uji' });
  const page = await http('GET', authorizeUrl(first), { jar: newJar() });
  assert.match(page.text, /<p class="verified"><svg aria-hidden="true"[^>]*>.*<\/svg> Layanan resmi Pemerintah Provinsi Bali<\/p>/);
  const en = await http('GET', authorizeUrl(first, { ui_locales: 'en' }), { jar: newJar() });
  assert.match(en.text, /An official service of the Bali Provincial Government/);
  const local = await http('GET', '/login?next=%2Faccount', { jar: newJar() });
  assert.doesNotMatch(local.text, /class="verified"/, 'not on the provider\'s own sign-in');
});
