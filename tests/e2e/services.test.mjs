// The province's services: the 57 manifests applied twice (the second run
// changes nothing), and the SPBE evaluation portal signing a person in,
// driven like a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CookieJar, env, formInputs, http, idpctl, psql, sleep } from './lib.mjs';

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

async function waitFor(url) {
  for (let i = 0; i < 100; i += 1) {
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

test('the SPBE portal signs a person in through the provider and highlights their institution', async (t) => {
  idpctl(['org', 'import', join(env.ROOT, 'deploy/demo/organisations.csv')]);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const base = `http://127.0.0.1:${port}`;
  const id = `spbe-portal-e2e-${process.pid}`;
  const reg = idpctl(['--json', 'client', 'add', id, '--name', 'Portal Evaluasi SPBE',
    '--redirect-uri', `${base}/callback`, '--post-logout-uri', `${base}/`, '--first-party',
    '--scope', 'openid profile email organisation', '--org', 'baliprov.diskominfos']);
  assert.equal(reg.status, 0, reg.stderr);
  const secretFile = join(mkdtempSync('/tmp/idp-portal-'), 'secret');
  writeFileSync(secretFile, `${reg.json.client_secret}\n`, { mode: 0o600 });
  const user = `bendesa${process.pid}`;
  assert.equal(idpctl(['user', 'add', user, '--name', 'I Nyoman Bendesa', '--org', 'desaadat.kuta',
    '--password-stdin'], { input: 'kata-sandi-desa\n' }).status, 0);
  const portal = spawn(join(env.IDP_BUILD_DIR, 'clients/spbe-portal/spbe-portal'), [], {
    env: { ...process.env, PORTAL_ISSUER: env.IDP_URL, PORTAL_CLIENT_ID: id,
      PORTAL_CLIENT_SECRET_FILE: secretFile, PORTAL_LISTEN: `127.0.0.1:${port}`,
      PORTAL_REDIRECT_URI: `${base}/callback` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  portal.stderr.on('data', (d) => { stderr += d; });
  t.after(() => portal.kill('SIGTERM'));
  await waitFor(`${base}/healthz`);

  const jar = new CookieJar();
  const home = await http('GET', `${base}/`, { jar });
  assert.match(home.text, /Masuk dengan SSO/);
  const start = await http('GET', `${base}/login`, { jar });
  assert.equal(start.status, 302);
  assert.ok(start.location.startsWith(`${env.IDP_URL}/authorize?`));
  assert.match(start.location, /code_challenge_method=S256/);
  const page = await http('GET', start.location, { jar });
  assert.match(page.text, /Masuk ke Portal Evaluasi SPBE/);
  const login = await http('POST', '/login', { jar,
    form: { ...formInputs(page.text), username: user, password: 'kata-sandi-desa' } });
  assert.equal(login.status, 302);
  assert.ok(login.location.startsWith(`${base}/callback?`));
  const cb = await http('GET', login.location, { jar });
  assert.equal(cb.status, 302, `${cb.status} ${cb.text.slice(0, 300)} ${stderr}`);
  const signedIn = await http('GET', `${base}/`, { jar });
  assert.match(signedIn.text, /I Nyoman Bendesa/);
  assert.match(signedIn.text, /Desa Adat Kuta/);
  // A desa adat officer's row is their regency's: Kabupaten Badung.
  const row = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*Instansi Anda(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(signedIn.text)?.[0];
  assert.ok(row, 'one row is highlighted');
  assert.match(row, /Kabupaten Badung/);
  assert.match(row, /3,66/);
  const replay = await http('GET', login.location, { jar });
  assert.equal(replay.status, 400, 'a used callback URL is refused');
  assert.equal(psql(`SELECT count(*) FROM session_clients sc JOIN sessions s ON s.id = sc.session_id
    JOIN users u ON u.id = s.user_id WHERE u.username = '${user}' AND sc.client_id = '${id}'`), '1');
});
