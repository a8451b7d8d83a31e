// The developer portal (/developer): who sees what (developers of their own
// organisations only, 403 for the others), registration (pending until an
// operator approves), return addresses, secret rotation, public keys,
// scope requests decided by the offering organisation, usage figures,
// removal; CSRF and audit on every form; bad input on every form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CookieJar, formInputs, http, idpctl, psql, unique } from './lib.mjs';
import { basic, makeUser } from './flow.mjs';
import { assertion, keyPair, makeApi, pkjwt, testOrg } from './rp.mjs';

const ORG_A = testOrg('e2e.portal-a', 'Dinas Portal Uji A');
const ORG_B = testOrg('e2e.portal-b', 'Dinas Portal Uji B');
const CB = 'https://layanan.portal-a.baliprov.go.id/oidc/callback';

function developer(org, name = 'I Made Pengembang') {
  const u = makeUser({ name });
  const r = idpctl(['member', 'add', u.username, org, 'developer']);
  assert.equal(r.status, 0, r.stderr);
  return u;
}

// Signs u in through /login?next=PATH, as a browser: returns its jar.
async function signedIn(u, path = '/developer') {
  const jar = new CookieJar();
  const start = await http('GET', path, { jar });
  assert.equal(start.status, 303);
  assert.equal(start.location, `/login?next=${encodeURIComponent(path)}`);
  const page = await http('GET', start.location, { jar });
  const r = await http('POST', '/login', { jar,
    form: { ...formInputs(page.text), username: u.username, password: u.password } });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(r.location, path);
  return jar;
}

// The CSRF token of the portal's forms on a page.
const csrf = (html) => /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];

async function form(jar, path, fields) {
  const page = await http('GET', path, { jar });
  assert.equal(page.status, 200, page.text.slice(0, 200));
  return http('POST', path, { jar, form: { csrf_token: csrf(page.text), ...fields } });
}

const REGISTER = (extra = {}) => ({
  organisation: ORG_A, client_name: `Layanan Portal ${unique('n')}`,
  redirect_uris: `${CB}\n`, post_logout_redirect_uris: '',
  token_endpoint_auth_method: 'client_secret_basic', scope_profile: 'yes', scope_email: 'yes',
  client_uri: '', contacts: 'dev@portal-a.baliprov.go.id',
  ...extra,
});

function clean(fields) {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

async function register(jar, extra) {
  const r = await form(jar, '/developer/new', clean(REGISTER(extra)));
  if (r.status !== 200) return { r };
  const id = /<dd>(dcr\.[A-Za-z0-9_-]+)<\/dd>/.exec(r.text)?.[1];
  const secret = /<code id="client-secret">([^<]+)<\/code>/.exec(r.text)?.[1];
  return { r, id, secret };
}

const html = (t) => t.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

async function tokenWith(id, secret) {
  return http('POST', '/token', { form: { grant_type: 'authorization_code', code: 'x'.repeat(43),
    redirect_uri: CB }, headers: { authorization: basic({ id, secret }) } });
}

test('signed out, /developer sends the browser to sign in and back; no role is 403', async () => {
  const jar = new CookieJar();
  const r = await http('GET', '/developer/clients/x', { jar });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/login?next=%2Fdeveloper%2Fclients%2Fx');
  const plain = makeUser();
  const pj = await signedIn(plain);
  const home = await http('GET', '/developer', { jar: pj });
  assert.equal(home.status, 403);
  assert.match(home.text, /khusus pengembang/);
  const post = await http('POST', '/developer/new', { jar: pj, form: { csrf_token: 'x' } });
  assert.equal(post.status, 400, 'a forged form is refused before anything else');
});

test('a developer registers a client: pending, shown once, audited with the developer as actor', async () => {
  const dev = developer(ORG_A);
  const jar = await signedIn(dev);
  const home = await http('GET', '/developer', { jar });
  assert.equal(home.status, 200);
  assert.match(home.text, /Dinas Portal Uji A \(kode e2e\.portal-a\)/, 'the organisation code is shown');
  const { r, id, secret } = await register(jar, { client_name: 'Layanan Izin Keramaian' });
  assert.equal(r.status, 200, r.text.slice(0, 500));
  assert.ok(id && secret, 'client_id and the secret are on the page');
  assert.match(r.headers.get('cache-control'), /no-store/);
  assert.match(r.text, /menunggu persetujuan/);
  const row = psql(`SELECT approval, source, first_party, metadata->>'scope', o.code FROM clients c
    JOIN organisations o ON o.id = c.owner_organisation_id WHERE client_id = '${id}'`);
  assert.equal(row, 'pending|registration|f|openid profile email|e2e.portal-a');
  assert.ok(!psql(`SELECT metadata::text FROM clients WHERE client_id = '${id}'`).includes(secret));
  const audit = psql(`SELECT event, actor, actor_user_id IS NOT NULL, details->>'via' FROM audit_log
    WHERE client_id = '${id}' ORDER BY id`);
  assert.equal(audit, `client.registered|${dev.username}|t|developer portal`);
  // Pending: no tokens; the list says so.
  assert.equal((await tokenWith(id, secret)).json.error, 'unauthorized_client');
  const list = await http('GET', '/developer', { jar });
  assert.match(list.text, new RegExp(`${id}[\\s\\S]*Menunggu persetujuan`));
  // An operator approves with one command; then the client authenticates.
  assert.equal(idpctl(['client', 'approve', id]).status, 0);
  assert.equal((await tokenWith(id, secret)).json.error, 'invalid_grant', 'authenticated now');
  const page = await http('GET', `/developer/clients/${id}`, { jar });
  assert.match(page.text, /Disetujui/);
});

test('registration follows the rules of /register: confusable names, bad URIs, unknown methods', async () => {
  const jar = await signedIn(developer(ORG_A));
  const other = idpctl(['--json', 'client', 'add', unique('b-'), '--name', 'Sistem Arsip Dinamis',
    '--redirect-uri', 'https://arsip.portal-b.baliprov.go.id/cb', '--org', ORG_B]);
  assert.equal(other.status, 0, other.stderr);
  const cases = [
    [{ client_name: 'SISTEM  arsip-dinamis' }, /too close to/, 'client_name'],
    [{ redirect_uris: 'http://layanan.example.com/cb' }, /redirect/, 'redirect_uris'],
    [{ redirect_uris: 'javascript:alert(1)' }, /redirect/, 'redirect_uris'],
    [{ redirect_uris: `${CB}#frag` }, /fragment/, 'redirect_uris'],
    [{ redirect_uris: '' }, /redirect_uris/, 'redirect_uris'],
    [{ redirect_uris: Array.from({ length: 70 }, (_, i) => `${CB}${i}`).join('\n') }, /too many lines/, 'redirect_uris'],
    [{ token_endpoint_auth_method: 'client_secret_jwt' }, /token_endpoint_auth_method/, 'token_endpoint_auth_method-1'],
    [{ client_name: 'x'.repeat(5000) }, /client_name must be a string of at most 200/, 'client_name'],
    [{ client_uri: 'ftp://portal-a.baliprov.go.id/' }, /client_uri/, 'client_uri'],
    [{ contacts: Array.from({ length: 11 }, (_, i) => `d${i}@portal-a.baliprov.go.id`).join('\n') },
      /contacts must be an array of at most 10/, 'contacts'],
  ];
  for (const [extra, why, field] of cases) {
    const r = await form(jar, '/developer/new', clean(REGISTER(extra)));
    assert.equal(r.status, 400, `${JSON.stringify(extra).slice(0, 80)}: ${r.text.slice(0, 200)}`);
    assert.match(html(r.text), why);
    assert.match(r.text, /role="alert"/);
    if (!field.endsWith('-1')) assert.match(r.text, new RegExp(`id="${field}"[^>]*aria-invalid="true"`), field);
  }
  // What was typed comes back, escaped.
  const xss = await form(jar, '/developer/new', clean(REGISTER({ redirect_uris: '"><script>alert(1)</script>' })));
  assert.equal(xss.status, 400);
  assert.doesNotMatch(xss.text, /<script>alert/);
  assert.match(xss.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  // An organisation where the person is no developer: 403, nothing stored.
  const before = psql(`SELECT count(*) FROM clients WHERE source = 'registration'`);
  const forged = await form(jar, '/developer/new', clean(REGISTER({ organisation: ORG_B })));
  assert.equal(forged.status, 403);
  assert.equal(psql(`SELECT count(*) FROM clients WHERE source = 'registration'`), before);
});

test('bad input on the forms: duplicated, non-UTF-8, oversized, script payloads, forged CSRF', async () => {
  const dev = developer(ORG_A);
  const jar = await signedIn(dev);
  const { id } = await register(jar);
  const path = `/developer/clients/${id}`;
  const token = csrf((await http('GET', path, { jar })).text);
  const raw = (p, body) => http('POST', p, { jar, body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const base = `csrf_token=${encodeURIComponent(token)}`;
  for (const p of ['/developer/new', path, '/developer/requests/1']) {
    const dup = await raw(p, `${base}&action=uris&action=delete`);
    assert.equal(dup.status, 400, `duplicated on ${p}`);
    const utf = await raw(p, `${base}&action=uris&redirect_uris=%ff%fe`);
    assert.equal(utf.status, 400, `non-UTF-8 on ${p}`);
    const big = await raw(p, `${base}&action=uris&redirect_uris=${'a'.repeat(70000)}`);
    assert.equal(big.status, 413, `oversized on ${p}`);
    const noCsrf = await raw(p, 'action=uris');
    assert.equal(noCsrf.status, 400, `no CSRF token on ${p}`);
    const wrong = await raw(p, `csrf_token=${'A'.repeat(43)}&action=delete&confirm=yes`);
    assert.equal(wrong.status, 400, `a wrong CSRF token on ${p}`);
    assert.match(wrong.text, /Formulir tidak dapat diterima/);
  }
  assert.equal(psql(`SELECT count(*) FROM clients WHERE client_id = '${id}'`), '1', 'nothing removed');
  const unknown = await http('POST', path, { jar, form: { csrf_token: token, action: 'hapus-semua' } });
  assert.equal(unknown.status, 400);
  // Script in a scope request's reason and a rejection's reason is text.
  const keys = await http('POST', path, { jar, form: { csrf_token: token, action: 'keys',
    jwks: '{"keys":[{"kty":"<script>"}]}' } });
  assert.equal(keys.status, 400);
  assert.doesNotMatch(keys.text, /<script>/);
  const notJson = await http('POST', path, { jar, form: { csrf_token: token, action: 'keys', jwks: '<script>alert(1)</script>' } });
  assert.equal(notJson.status, 400);
  assert.match(notJson.text, /jwks must be a JSON object/);
  const both = await http('POST', path, { jar, form: { csrf_token: token, action: 'keys', jwks: '{}',
    jwks_uri: 'https://keys.portal-a.baliprov.go.id/jwks' } });
  assert.equal(both.status, 400);
  const longReason = await http('POST', path, { jar, form: { csrf_token: token, action: 'request',
    scope: 'tidak.ada', reason: 'r'.repeat(600) } });
  assert.equal(longReason.status, 400);
  const badScope = await http('POST', path, { jar, form: { csrf_token: token, action: 'request',
    scope: 'a b"<' } });
  assert.equal(badScope.status, 400);
  const unknownScope = await http('POST', path, { jar, form: { csrf_token: token, action: 'request',
    scope: 'tidak.ada' } });
  assert.equal(unknownScope.status, 400);
  assert.match(html(unknownScope.text), /scope tidak\.ada does not exist/);
  const badReq = await http('POST', '/developer/requests/abc', { jar, form: { csrf_token: token, action: 'approve' } });
  assert.equal(badReq.status, 404);
  const gone = await http('POST', '/developer/requests/999999', { jar, form: { csrf_token: token, action: 'approve' } });
  assert.equal(gone.status, 404);
  const badPath = await http('GET', '/developer/clients/a/b', { jar });
  assert.equal(badPath.status, 404);
  const none = await http('GET', '/developer/clients/tidak-ada', { jar });
  assert.equal(none.status, 404);
  const put = await http('PUT', '/developer', { jar });
  assert.equal(put.status, 405);
});

test('return addresses: saved through the validator, audited; a bad one changes nothing', async () => {
  const dev = developer(ORG_A);
  const jar = await signedIn(dev);
  const { id } = await register(jar);
  const path = `/developer/clients/${id}`;
  // A registered client is pairwise (its people's sub is per site), so its
  // return addresses stay on one host (OIDC Core §8.1).
  const ok = await form(jar, path, { action: 'uris',
    redirect_uris: `${CB}\n  https://layanan.portal-a.baliprov.go.id/cb  \r\n\n`,
    post_logout_redirect_uris: 'https://layanan.portal-a.baliprov.go.id/' });
  assert.equal(ok.status, 303);
  assert.equal(ok.location, path);
  assert.equal(psql(`SELECT metadata->'redirect_uris' FROM clients WHERE client_id = '${id}'`),
    `["${CB}", "https://layanan.portal-a.baliprov.go.id/cb"]`);
  const shown = await http('GET', path, { jar });
  assert.match(shown.text, /Perubahan tersimpan/);
  assert.match(shown.text, /layanan\.portal-a\.baliprov\.go\.id\/cb/);
  const other = await form(jar, path, { action: 'uris',
    redirect_uris: `${CB}\nhttps://baru.portal-a.baliprov.go.id/cb` });
  assert.equal(other.status, 400);
  assert.match(other.text, /sector_identifier_uri/);
  const bad = await form(jar, path, { action: 'uris', redirect_uris: 'http://baru.example.com/cb' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /http:\/\/baru\.example\.com\/cb/, 'what was typed comes back');
  assert.equal(psql(`SELECT metadata->'redirect_uris'->>1 FROM clients WHERE client_id = '${id}'`),
    'https://layanan.portal-a.baliprov.go.id/cb');
  assert.equal(psql(`SELECT actor FROM audit_log WHERE client_id = '${id}' AND event = 'client.updated'`),
    dev.username);
});

test('secret rotation asks first, shows the new secret once, and the old one stops at once', async () => {
  const dev = developer(ORG_A);
  const jar = await signedIn(dev);
  const { id, secret } = await register(jar);
  idpctl(['client', 'approve', id]);
  const path = `/developer/clients/${id}`;
  const ask = await form(jar, path, { action: 'rotate' });
  assert.equal(ask.status, 200);
  assert.match(ask.text, /Buat rahasia baru untuk/);
  assert.equal((await tokenWith(id, secret)).json.error, 'invalid_grant', 'not rotated by the question');
  const done = await http('POST', path, { jar, form: { ...formInputs(ask.text) } });
  assert.equal(done.status, 200);
  const fresh = /<code id="client-secret">([^<]+)<\/code>/.exec(done.text)?.[1];
  assert.ok(fresh && fresh !== secret);
  assert.match(done.headers.get('cache-control'), /no-store/);
  assert.equal((await tokenWith(id, secret)).json.error, 'invalid_client');
  assert.equal((await tokenWith(id, fresh)).json.error, 'invalid_grant');
  assert.doesNotMatch((await http('GET', path, { jar })).text, new RegExp(fresh), 'shown once');
  assert.equal(psql(`SELECT actor FROM audit_log WHERE client_id = '${id}' AND event = 'client.secret_rotated'`),
    dev.username);
});

test('public keys: a JWKS switches the client to private_key_jwt; jwks_uri follows the outbound rules', async () => {
  const jar = await signedIn(developer(ORG_A));
  const { id, secret } = await register(jar);
  idpctl(['client', 'approve', id]);
  const path = `/developer/clients/${id}`;
  const bad = await form(jar, path, { action: 'keys', jwks_uri: 'http://keys.example.com/jwks' });
  assert.equal(bad.status, 400);
  assert.match(html(bad.text), /jwks_uri/);
  const meta = await form(jar, path, { action: 'keys', jwks_uri: 'https://169.254.169.254/jwks' });
  assert.equal(meta.status, 400, 'a metadata address is refused');
  const kp = keyPair();
  const ok = await form(jar, path, { action: 'keys', jwks: JSON.stringify({ keys: [kp.jwk] }) });
  assert.equal(ok.status, 303);
  assert.equal(psql(`SELECT token_endpoint_auth_method, secret_digest IS NULL FROM clients
    WHERE client_id = '${id}'`), 'private_key_jwt|t');
  assert.equal((await tokenWith(id, secret)).json.error, 'invalid_client', 'the secret is gone');
  const r = await pkjwt(id, assertion(kp, id), '/token', { grant_type: 'authorization_code',
    code: 'x'.repeat(43), redirect_uri: CB });
  assert.equal(r.json.error, 'invalid_grant', 'authenticated with the key');
});

test('scope requests: asked by one organisation, decided by the offering one; others get 403', async () => {
  const api = makeApi({ id: unique('portal-api-'), scopes: ['arsip.read'], org: ORG_B });
  const devA = developer(ORG_A);
  const devB = developer(ORG_B, 'Ni Luh Pemilik API');
  const ja = await signedIn(devA);
  const jb = await signedIn(devB);
  const { id } = await register(ja);
  const path = `/developer/clients/${id}`;
  const page = await http('GET', path, { jar: ja });
  assert.match(page.text, /arsip\.read/, 'offered with its description');
  assert.match(page.text, /Uji arsip\.read/);
  const asked = await form(ja, path, { action: 'request', scope: 'arsip.read',
    reason: '<script>alert("x")</script> membaca arsip' });
  assert.equal(asked.status, 303);
  const q = psql(`SELECT id, state, requested_by FROM scope_requests WHERE client_id = '${id}'`).split('|');
  assert.deepEqual(q.slice(1), ['pending', devA.username]);
  const again = await form(ja, path, { action: 'request', scope: 'arsip.read' });
  assert.equal(again.status, 400, 'one open request per scope');
  // B sees it on its home page, escaped; A does not decide it.
  const home = await http('GET', '/developer', { jar: jb });
  assert.match(home.text, new RegExp(`${id} meminta izin arsip\\.read`));
  assert.doesNotMatch(home.text, /<script>alert/);
  const tok = csrf(home.text);
  const byA = await http('POST', `/developer/requests/${q[0]}`, { jar: ja,
    form: { csrf_token: csrf((await http('GET', path, { jar: ja })).text), action: 'approve' } });
  assert.equal(byA.status, 403);
  const noReason = await http('POST', `/developer/requests/${q[0]}`, { jar: jb,
    form: { csrf_token: tok, action: 'reject', reason: '' } });
  assert.equal(noReason.status, 303);
  assert.match((await http('GET', '/developer', { jar: jb })).text, /memerlukan alasan/);
  const yes = await http('POST', `/developer/requests/${q[0]}`, { jar: jb,
    form: { csrf_token: tok, action: 'approve', reason: '' } });
  assert.equal(yes.status, 303);
  assert.equal(psql(`SELECT state, decided_by FROM scope_requests WHERE id = ${q[0]}`),
    `approved|${devB.username}`);
  assert.equal(psql(`SELECT actor FROM audit_log WHERE event = 'scope.approved' AND details->>'request' = '${q[0]}'`),
    devB.username);
  const twice = await http('POST', `/developer/requests/${q[0]}`, { jar: jb,
    form: { csrf_token: tok, action: 'approve' } });
  assert.equal(twice.status, 303);
  assert.match((await http('GET', '/developer', { jar: jb })).text, /sudah diputuskan/);
  assert.match((await http('GET', path, { jar: ja })).text, /arsip\.read[\s\S]*Disetujui/);
  assert.ok(api.id);
});

test('a developer of another organisation gets 403 on every page and form of a client', async () => {
  const ja = await signedIn(developer(ORG_A));
  const { id } = await register(ja);
  const jb = await signedIn(developer(ORG_B));
  const path = `/developer/clients/${id}`;
  const r = await http('GET', path, { jar: jb });
  assert.equal(r.status, 403);
  assert.doesNotMatch(r.text, new RegExp(`Layanan Portal`));
  const tok = csrf((await http('GET', '/developer/new', { jar: jb })).text);
  for (const action of ['uris', 'rotate', 'keys', 'request', 'delete']) {
    const p = await http('POST', path, { jar: jb, form: { csrf_token: tok, action, confirm: 'yes',
      redirect_uris: 'https://evil.portal-b.baliprov.go.id/cb' } });
    assert.equal(p.status, 403, action);
  }
  assert.equal(psql(`SELECT count(*) FROM clients WHERE client_id = '${id}'`), '1');
  const list = await http('GET', '/developer', { jar: jb });
  assert.doesNotMatch(list.text, new RegExp(id), 'not listed either');
});

test('usage: sign-ins per day, token requests and the last errors, as a chart and a table', async () => {
  const dev = developer(ORG_A);
  const jar = await signedIn(dev);
  const { id, secret } = await register(jar);
  idpctl(['client', 'approve', id]);
  for (let i = 0; i < 3; i++) await tokenWith(id, secret);
  await tokenWith(id, 'salah');
  const page = await http('GET', `/developer/clients/${id}`, { jar });
  assert.equal(page.status, 200);
  assert.match(page.text, /<svg class="chart" role="img" aria-labelledby="chart-title chart-desc"/);
  assert.match(page.text, /<title id="chart-title">Jumlah masuk per hari/);
  assert.match(page.text, /4 permintaan token/, 'every token request, the refused one too');
  assert.match(page.text, /invalid_grant[\s\S]*The code is not valid/);
  assert.match(page.text, /invalid_client[\s\S]*Client authentication failed/);
  const today = psql("SELECT to_char(now() AT TIME ZONE 'Asia/Makassar', 'YYYY-MM-DD')");
  assert.match(page.text, new RegExp(`<time datetime="${today}">${today}</time></td><td>0</td><td>4</td><td>4</td>`));
  assert.equal(psql(`SELECT token_requests, token_errors FROM client_usage_daily WHERE client_id = '${id}'`), '4|4');
});

test('removal asks first, ends the client and is audited; manifest clients are read-only', async () => {
  const dev = developer(ORG_A);
  const jar = await signedIn(dev);
  const { id } = await register(jar);
  const path = `/developer/clients/${id}`;
  const ask = await form(jar, path, { action: 'delete' });
  assert.equal(ask.status, 200);
  assert.match(ask.text, /Hapus /);
  assert.equal(psql(`SELECT count(*) FROM clients WHERE client_id = '${id}'`), '1');
  const done = await http('POST', path, { jar, form: formInputs(ask.text) });
  assert.equal(done.status, 303);
  assert.equal(done.location, '/developer');
  assert.equal(psql(`SELECT count(*) FROM clients WHERE client_id = '${id}'`), '0');
  assert.match((await http('GET', '/developer', { jar })).text, /Layanan sudah dihapus/);
  assert.equal(psql(`SELECT actor FROM audit_log WHERE client_id = '${id}' AND event = 'client.deleted'`),
    dev.username);
  // A service of a manifest: its secret may be replaced, nothing else.
  const m = makeApi({ id: unique('portal-manifest-'), scopes: [unique('m.read')], org: ORG_A });
  psql(`UPDATE clients SET source = 'manifest' WHERE client_id = '${m.id}'`);
  const mp = `/developer/clients/${m.id}`;
  const page = await http('GET', mp, { jar });
  assert.match(page.text, /dikelola melalui manifesnya/);
  assert.doesNotMatch(page.text, /name="action" value="delete"/);
  const tok = csrf(page.text);
  assert.equal((await http('POST', mp, { jar, form: { csrf_token: tok, action: 'delete', confirm: 'yes' } })).status, 403);
  assert.equal((await http('POST', mp, { jar, form: { csrf_token: tok, action: 'uris', redirect_uris: CB } })).status, 403);
  const rot = await http('POST', mp, { jar, form: { csrf_token: tok, action: 'rotate', confirm: 'yes' } });
  assert.equal(rot.status, 200);
  assert.match(rot.text, /client-secret/);
});
