// The province's services: the 57 manifests applied twice (the second run
// changes nothing), and the SPBE evaluation portal (Apache with
// mod_auth_openidc) signing a person in and out, driven like a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CookieJar, env, formInputs, freePort, idpctl, navigate, psql } from './lib.mjs';

const clientsDir = join(env.ROOT, 'clients');

function manifests() {
  const top = readdirSync(clientsDir).filter((f) => f.endsWith('.json'));
  const sub = readdirSync(clientsDir, { withFileTypes: true }).filter((d) => d.isDirectory())
    .filter((d) => readdirSync(join(clientsDir, d.name)).includes('client.json'));
  return top.length + sub.length;
}

test('the organisations and the 57 service manifests load; a second apply changes nothing', () => {
  assert.equal(manifests(), 57);
  const orgs = idpctl(['org', 'import', join(env.ROOT, 'deploy/demo/organisations.csv')]);
  assert.equal(orgs.status, 0, orgs.stderr);
  const first = idpctl(['--json', 'client', 'apply', clientsDir]);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.json.clients.length, 57);
  assert.ok(first.json.clients.every((c) => c.action === 'created'));
  const withSecret = first.json.clients.filter((c) => c.client_secret);
  assert.ok(withSecret.length >= 40, 'confidential services get a secret, shown once');
  const second = idpctl(['--json', 'client', 'apply', clientsDir]);
  assert.equal(second.status, 0, second.stderr);
  assert.ok(second.json.clients.every((c) => c.action === 'unchanged' && !c.client_secret));
  assert.match(idpctl(['client', 'apply', clientsDir]).stdout, /0 created, 0 updated, 57 unchanged/);
  for (const c of withSecret.slice(0, 3)) {
    assert.ok(!psql(`SELECT metadata::text FROM clients WHERE client_id = '${c.client_id}'`)
      .includes(c.client_secret));
  }
  // The portal receives back-channel logout on loopback: its manifest
  // loads with outbound_allow_loopback (the stack's setting, and the
  // demo's), and is refused without it.
  assert.equal(psql(`SELECT metadata->>'backchannel_logout_uri' FROM clients
    WHERE client_id = 'spbe-portal'`), 'http://127.0.0.1:8081/callback?logout=backchannel');
  const strict = idpctl(['client', 'apply', join(clientsDir, 'spbe-portal'), '--dry-run'],
    { env: { IDP_OUTBOUND_ALLOW_LOOPBACK: 'false' } });
  assert.notEqual(strict.status, 0);
  assert.match(strict.stderr, /backchannel_logout_uri/);
});

test('apply: updates what changed, rotates only when asked, refuses a bad manifest whole', () => {
  const dir = mkdtempSync('/tmp/idp-manifests-');
  cpSync(clientsDir, dir, { recursive: true, filter: (p) => !p.includes('spbe-portal/') || p.endsWith('client.json') || p.endsWith('spbe-portal') });
  const file = join(dir, 'jdih.json');
  const m = JSON.parse(readFileSync(file, 'utf8'));
  m.client_name = `${m.client_name} (baru)`;
  writeFileSync(file, JSON.stringify(m));
  const secretBefore = psql(`SELECT encode(secret_digest, 'hex') FROM clients WHERE client_id = '${m.client_id}'`);
  const dry = idpctl(['--json', 'client', 'apply', dir, '--dry-run']);
  assert.equal(dry.json.clients.filter((c) => c.action === 'updated').length, 1);
  assert.equal(psql(`SELECT metadata->>'client_name' FROM clients WHERE client_id = '${m.client_id}'`),
    m.client_name.replace(' (baru)', ''), 'a dry run changes nothing');
  const up = idpctl(['--json', 'client', 'apply', dir]);
  const row = up.json.clients.find((c) => c.client_id === m.client_id);
  assert.equal(row.action, 'updated');
  assert.equal(row.client_secret, undefined, 'an update keeps the secret');
  assert.equal(psql(`SELECT encode(secret_digest, 'hex') FROM clients WHERE client_id = '${m.client_id}'`), secretBefore);
  const rot = idpctl(['--json', 'client', 'apply', dir, '--rotate-secret', m.client_id]);
  const rotated = rot.json.clients.filter((c) => c.client_secret);
  assert.deepEqual(rotated.map((c) => c.client_id), [m.client_id]);
  writeFileSync(join(dir, 'zz-bad.json'), JSON.stringify({ client_id: 'zz-bad', redirect_uris: ['http://evil.example/cb'] }));
  m.client_name = 'should not be stored';
  writeFileSync(file, JSON.stringify(m));
  const bad = idpctl(['client', 'apply', dir]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /zz-bad\.json/);
  assert.notEqual(psql(`SELECT metadata->>'client_name' FROM clients WHERE client_id = '${m.client_id}'`),
    'should not be stored');
  writeFileSync(join(dir, 'zz-bad.json'), JSON.stringify({ ...m, client_name: 'dup' }));
  const dup = idpctl(['client', 'apply', dir]);
  assert.equal(dup.status, 1);
  assert.match(dup.stderr, /both define client/);
});

// The portal is Apache with mod_auth_openidc and a PHP page
// (clients/spbe-portal/run.sh starts it on loopback with its own
// configuration, pid file and logs), registered as a first-party client,
// and a desa adat officer to sign in to it.
async function startPortal(t, name, { backchannel = false } = {}) {
  idpctl(['org', 'import', join(env.ROOT, 'deploy/demo/organisations.csv')]);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const id = `spbe-portal-${name}-${process.pid}`;
  const reg = idpctl(['--json', 'client', 'add', id, '--name', 'Portal Evaluasi SPBE',
    '--redirect-uri', `${base}/callback`, '--post-logout-uri', `${base}/`, '--first-party',
    '--scope', 'openid profile email organisation', '--org', 'baliprov.diskominfos',
    ...(backchannel ? ['--backchannel-logout-uri', `${base}/callback?logout=backchannel`] : [])]);
  assert.equal(reg.status, 0, reg.stderr);
  const state = mkdtempSync('/tmp/idp-portal-');
  const secretFile = join(state, 'secret');
  writeFileSync(secretFile, `${reg.json.client_secret}\n`, { mode: 0o600 });
  const user = `bendesa${process.pid}${name}`;
  assert.equal(idpctl(['user', 'add', user, '--name', 'I Nyoman Bendesa', '--org', 'desaadat.kuta',
    '--password-stdin'], { input: 'kata-sandi-desa\n' }).status, 0);
  const run = join(env.ROOT, 'clients/spbe-portal/run.sh');
  const portalEnv = { ...process.env, PORTAL_ISSUER: env.IDP_URL, PORTAL_CLIENT_ID: id,
    PORTAL_CLIENT_SECRET_FILE: secretFile, PORTAL_LISTEN: `127.0.0.1:${port}`,
    PORTAL_STATE: state };
  const up = spawnSync(run, ['start'], { env: portalEnv, encoding: 'utf8' });
  t.after(() => spawnSync(run, ['stop'], { env: portalEnv }));
  assert.equal(up.status, 0, `${up.stdout}${up.stderr}`);
  return { base, id, user };
}

test('the SPBE portal signs a person in through the provider and highlights their institution', async (t) => {
  const { base, id, user } = await startPortal(t, 'e2e');
  const jar = new CookieJar();
  const home = await navigate('GET', `${base}/`, { jar });
  assert.equal(home.status, 200);
  assert.match(home.text, /Masuk dengan SSO/);
  assert.doesNotMatch(home.text, /Instansi Anda<\/strong>/);
  const start = await navigate('GET', `${base}/masuk/`, { jar });
  assert.equal(start.status, 302);
  assert.ok(start.location.startsWith(`${env.IDP_URL}/authorize?`));
  const q = new URL(start.location).searchParams;
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.equal(q.get('redirect_uri'), `${base}/callback`);
  assert.ok(q.get('state') && q.get('nonce'));
  const page = await navigate('GET', start.location, { jar });
  assert.match(page.text, /Masuk ke Portal Evaluasi SPBE/);
  const login = await navigate('POST', '/login', { jar,
    form: { ...formInputs(page.text), username: user, password: 'kata-sandi-desa' } });
  assert.equal(login.status, 302);
  assert.ok(login.location.startsWith(`${base}/callback?`));
  const cb = await navigate('GET', login.location, { jar });
  assert.equal(cb.status, 302, `${cb.status} ${cb.text.slice(0, 300)}`);
  assert.equal(new URL(cb.location, base).pathname, '/masuk/');
  const back = await navigate('GET', `${base}/masuk/`, { jar });
  assert.equal(back.status, 303);
  const signedIn = await navigate('GET', `${base}/`, { jar });
  assert.match(signedIn.text, /I Nyoman Bendesa/);
  assert.match(signedIn.text, /Desa Adat Kuta/);
  // A desa adat officer's row is their regency's: Kabupaten Badung.
  const row = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*Instansi Anda(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(signedIn.text)?.[0];
  assert.ok(row, 'one row is highlighted');
  assert.match(row, /Kabupaten Badung/);
  assert.match(row, /3,66/);
  assert.equal(psql(`SELECT count(*) FROM session_clients sc JOIN sessions s ON s.id = sc.session_id
    JOIN users u ON u.id = s.user_id WHERE u.username = '${user}' AND sc.client_id = '${id}'`), '1');

  // A used callback URL signs nobody in: its state was used up.
  const stranger = new CookieJar();
  const replay = await navigate('GET', login.location, { jar: stranger });
  assert.notEqual(replay.status, 200);
  const after = await navigate('GET', `${base}/`, { jar: stranger });
  assert.doesNotMatch(after.text, /I Nyoman Bendesa/);
  // Nor does a claim sent as a header, whatever its spelling.
  const forged = await fetch(`${base}/`, { headers: { 'OIDC-CLAIM-sub': 'x',
    'OIDC-CLAIM-name': 'Orang Palsu', 'X-OIDC-CLAIM-name': 'Orang Palsu' } }).then((r) => r.text());
  assert.doesNotMatch(forged, /Orang Palsu/);

  // The page's functions are not served.
  assert.equal((await fetch(`${base}/spbe.php`)).status, 403);

  // Keluar: the module's session ends and the browser goes to the
  // provider's end_session_endpoint with id_token_hint, then back.
  const keluar = /href="([^"]*logout=[^"]*)"/.exec(signedIn.text)[1].replaceAll('&amp;', '&');
  const out = await navigate('GET', `${base}${keluar}`, { jar });
  assert.equal(out.status, 302);
  assert.ok(out.location.startsWith(`${env.IDP_URL}/logout?`), out.location);
  const end = new URL(out.location).searchParams;
  assert.ok(end.get('id_token_hint'));
  assert.equal(end.get('post_logout_redirect_uri'), `${base}/`);
  const gone = await navigate('GET', `${base}/`, { jar });
  assert.doesNotMatch(gone.text, /I Nyoman Bendesa/);
});

// The portal's redirect URI also takes OpenID Connect Back-Channel Logout
// 1.0 (?logout=backchannel): a logout token signed with the provider's key
// for the person's sid ends the portal's session; one signed with another
// key changes nothing.
function logoutToken(aud, sid, key) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'RS256', typ: 'logout+jwt', kid: key.kid });
  const body = b64({ iss: env.IDP_URL, aud, iat: now, exp: now + 120, jti: randomUUID(), sid,
    events: { 'http://schemas.openid.net/event/backchannel-logout': {} } });
  const sig = sign('sha256', Buffer.from(`${head}.${body}`), key.pem).toString('base64url');
  return `${head}.${body}.${sig}`;
}

test('the SPBE portal ends its session on a back-channel logout token at its redirect URI', async (t) => {
  const { base, id, user } = await startPortal(t, 'bcl');
  const jar = new CookieJar();
  const start = await navigate('GET', `${base}/masuk/`, { jar });
  const page = await navigate('GET', start.location, { jar });
  const login = await navigate('POST', '/login', { jar,
    form: { ...formInputs(page.text), username: user, password: 'kata-sandi-desa' } });
  assert.equal((await navigate('GET', login.location, { jar })).status, 302);
  assert.match((await navigate('GET', `${base}/`, { jar })).text, /I Nyoman Bendesa/);
  const sid = psql(`SELECT s.sid FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE u.username = '${user}' AND s.ended_at IS NULL`);
  assert.ok(sid);
  const jwks = await (await fetch(`${env.IDP_URL}/jwks`)).json();
  const { kid } = jwks.keys.find((k) => k.alg === 'RS256');
  // The provider's own signing key: sealed in the database, written out
  // as a file the way an operator moves keys (idpctl keys export).
  const out = mkdtempSync('/tmp/idp-keys-');
  assert.equal(idpctl(['keys', 'export', out]).status, 0);
  const ours = { kid, pem: createPrivateKey(readFileSync(join(out, `${kid}.pem`))) };
  rmSync(out, { recursive: true });
  const theirs = { kid, pem: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };
  const post = (token) => fetch(`${base}/callback?logout=backchannel`, { method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ logout_token: token }) });

  const forged = await post(logoutToken(id, sid, theirs));
  assert.equal(forged.status, 400);
  assert.match((await navigate('GET', `${base}/`, { jar })).text, /I Nyoman Bendesa/,
    'a token under another key ends nothing');
  const real = await post(logoutToken(id, sid, ours));
  assert.equal(real.status, 200, await real.text());
  assert.doesNotMatch((await navigate('GET', `${base}/`, { jar })).text, /I Nyoman Bendesa/);
});

// Registered as clients/spbe-portal/client.json registers it, the portal
// is told by the provider itself: a sign-out at the provider (not at the
// portal) ends the portal's session through the outbox.
test('a sign-out at the provider ends the SPBE portal\'s session through back-channel logout', async (t) => {
  const { base, id, user } = await startPortal(t, 'sso', { backchannel: true });
  const jar = new CookieJar();
  const start = await navigate('GET', `${base}/masuk/`, { jar });
  const page = await navigate('GET', start.location, { jar });
  const login = await navigate('POST', '/login', { jar,
    form: { ...formInputs(page.text), username: user, password: 'kata-sandi-desa' } });
  assert.equal((await navigate('GET', login.location, { jar })).status, 302);
  assert.match((await navigate('GET', `${base}/`, { jar })).text, /I Nyoman Bendesa/);
  const form = await navigate('GET', '/logout', { jar });
  assert.equal((await navigate('POST', '/logout', { jar, form: formInputs(form.text) })).status, 200);
  let row = '';
  for (let i = 0; i < 100 && row !== 'delivered'; i++) {
    row = psql(`SELECT state FROM outbox WHERE kind = 'logout' AND label = '${id}'`);
    if (row !== 'delivered') await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(row, 'delivered', 'the portal answered the logout token with 2xx');
  assert.doesNotMatch((await navigate('GET', `${base}/`, { jar })).text, /I Nyoman Bendesa/);
});
