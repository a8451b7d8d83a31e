// The developer guide, clients/README.md, followed as a new service
// developer would: every block marked <!-- example: NAME --> is copied out
// of the guide and run as written against this stack (curl and jq in
// bash, openid-client v6 in node, Authlib with Flask in Debian's python3,
// mod_auth_openidc in an Apache of its own), and the guide may hold no
// other block. The only things the test supplies are what the guide says
// the developer has: $ISSUER, $SERVICE_URL, the client's id and secret,
// an initial access token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync }
  from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CookieJar, formInputs, freePort, http, idpctl, navigate, sleep } from '../e2e/lib.mjs';

const ISSUER = process.env.IDP_URL;
const ROOT = join(import.meta.dirname, '../..');
const GUIDE = readFileSync(join(ROOT, 'clients/README.md'), 'utf8');

// The fenced blocks of the guide: name -> text, and the lines of blocks
// without a name.
function blocks() {
  const named = new Map();
  const unnamed = [];
  const lines = GUIDE.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    if (!/^\s*```/.test(lines[i])) continue;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end += 1;
    const tag = /^\s*<!-- example: (\S+) -->$/.exec(lines[i - 1] ?? '');
    if (tag) named.set(tag[1], `${lines.slice(i + 1, end).join('\n')}\n`);
    else unnamed.push(i + 1);
    i = end;
  }
  return { named, unnamed };
}
const { named: EXAMPLES, unnamed: UNNAMED } = blocks();
const example = (name) => {
  assert.ok(EXAMPLES.has(name), `the guide has the example ${name}`);
  return EXAMPLES.get(name);
};

function ok(r) {
  assert.equal(r.status, 0, `${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r;
}

const orgs = () => ok(idpctl(['org', 'import', join(ROOT, 'deploy/demo/organisations.csv')]));

// A person of Desa Adat Kuta (Kabupaten Badung) to sign in with, and a
// password the policy accepts.
const PASSWORD = 'Tirta-Empul-Tampaksiring-47';
let people = 0;
function person() {
  people += 1;
  const username = `guide${process.pid}x${people}`;
  ok(idpctl(['user', 'add', username, '--name', 'Ni Luh Guide', '--org', 'desaadat.kuta',
    '--password-stdin'], { input: `${PASSWORD}\n` }));
  return username;
}

// A first-party service registered for the examples of section 4.
async function service(name) {
  orgs();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const id = `guide-${name}-${process.pid}`;
  const r = ok(idpctl(['--json', 'client', 'add', id, '--name', `Contoh ${name}`,
    '--redirect-uri', `${url}/oidc/callback`, '--first-party',
    '--scope', 'openid profile email organisation', '--org', 'baliprov.diskominfos']));
  const dir = mkdtempSync('/tmp/idp-guide-');
  return { id, secret: r.json.client_secret, url, port, dir,
    env: { ...process.env, ISSUER, SERVICE_URL: url, CLIENT_ID: id,
      CLIENT_SECRET: r.json.client_secret } };
}

async function up(url) {
  for (let i = 0; i < 100; i += 1) {
    try { await fetch(url, { redirect: 'manual' }); return; } catch { await sleep(100); }
  }
  throw new Error(`${url} did not come up`);
}

function started(t, cmd, args, opts) {
  const p = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  p.stdout.on('data', (d) => { log += d; });
  p.stderr.on('data', (d) => { log += d; });
  t.after(() => p.kill('SIGTERM'));
  return () => log;
}

// The browser of a person signing in to a service: its start address,
// the SSO's login page, back to the service's callback; returns the last
// answer and the jar.
async function signIn(start, username) {
  const jar = new CookieJar();
  const go = await navigate('GET', start, { jar });
  assert.equal(go.status, 302, go.text);
  assert.ok(go.location.startsWith(`${ISSUER}/authorize?`), go.location);
  const q = new URL(go.location).searchParams;
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.ok(q.get('state') && q.get('nonce'), 'state and nonce are sent');
  const page = await http('GET', go.location, { jar });
  assert.equal(page.status, 200, page.text);
  const login = await http('POST', '/login', { jar,
    form: { ...formInputs(page.text), username, password: PASSWORD } });
  assert.equal(login.status, 302, login.text);
  assert.ok(login.location.includes('/oidc/callback?'), login.location);
  return { res: await navigate('GET', login.location, { jar }), jar };
}

function bash(script, opts) {
  return spawnSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', ...opts });
}

test('every block of the guide is an example this test runs', () => {
  assert.deepEqual(UNNAMED, [], 'blocks without <!-- example: NAME -->');
  assert.deepEqual([...EXAMPLES.keys()].sort(), ['api', 'api-call', 'apache', 'authlib',
    'exchange', 'exchange-policy', 'manage', 'manifest', 'openid-client', 'register'].sort());
});

test('guide: the manifest is applied by idpctl client apply; the api member is pusdalops-api\'s', () => {
  orgs();
  const dir = mkdtempSync('/tmp/idp-guide-');
  const m = JSON.parse(example('manifest'));
  writeFileSync(join(dir, `${m.client_id}.json`), example('manifest'));
  const r = ok(idpctl(['--json', 'client', 'apply', dir]));
  assert.deepEqual(r.json.clients.map((c) => c.client_id), ['layanan-contoh']);
  const shown = ok(idpctl(['--json', 'client', 'show', 'layanan-contoh'])).json;
  assert.equal(shown.owner_organisation ?? shown.owner, 'baliprov.diskominfos');
  const api = JSON.parse(`{${example('api')}}`).api;
  assert.deepEqual(api, JSON.parse(readFileSync(join(ROOT, 'clients/pusdalops-api.json'))).api);
});

test('guide: self-service registration with curl, then reading and replacing it (RFC 7592)', async () => {
  orgs();
  const iat = ok(idpctl(['--json', 'iat', 'create', '--uses', '1', '--org', 'badung.diskominfo']))
    .json.initial_access_token;
  const cwd = mkdtempSync('/tmp/idp-guide-');
  const env = { ...process.env, ISSUER, INITIAL_ACCESS_TOKEN: iat };
  const reg = ok(bash(example('register'), { cwd, env }));
  assert.equal(reg.stdout, '201\n');
  const saved = JSON.parse(readFileSync(join(cwd, 'registration.json'), 'utf8'));
  assert.equal(saved.approval, 'pending');
  assert.equal(saved.token_endpoint_auth_method, 'client_secret_basic');
  assert.ok(saved.client_secret && saved.registration_access_token);

  const manage = ok(bash(example('manage'), { cwd, env }));
  const [read, put] = manage.stdout.replace(/}\s*{/, '}\n{').split('\n').map((l) => JSON.parse(l));
  assert.equal(read.client_id, saved.client_id);
  assert.equal(put.client_id, saved.client_id);
  assert.deepEqual(put.redirect_uris, [...saved.redirect_uris,
    'https://layanan.badungkab.go.id/oidc/callback2']);
  assert.equal(put.client_secret ?? saved.client_secret, saved.client_secret, 'the secret is kept');
  // The body without client_id is what the guide warns about.
  const bad = await fetch(saved.registration_client_uri, { method: 'PUT',
    headers: { authorization: `Bearer ${saved.registration_access_token}`,
      'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Layanan Baru', redirect_uris: saved.redirect_uris }) });
  assert.equal(bad.status, 400);
  const why = await bad.json();
  assert.equal(why.error, 'invalid_request');
  assert.match(why.error_description, /client_id/);
});

test('guide: Apache with mod_auth_openidc signs a person in', async (t) => {
  const s = await service('apache');
  chmodSync(s.dir, 0o755);
  writeFileSync(join(s.dir, 'example.conf'), example('apache'));
  mkdirSync(join(s.dir, 'www'));
  writeFileSync(join(s.dir, 'www/index.php'),
    '<?php header("Content-Type: application/json"); echo json_encode(['
    + '"user" => $_SERVER["OIDC_CLAIM_preferred_username"] ?? null, '
    + '"organisation" => json_decode($_SERVER["OIDC_CLAIM_organisation"] ?? "null", true)]);\n');
  // The site around the example: a document root with the page.
  writeFileSync(join(s.dir, 'site.conf'), `DocumentRoot "${s.dir}/www"
DirectoryIndex index.php
<FilesMatch "\\.php$">
  SetHandler application/x-httpd-php
</FilesMatch>
Include "${s.dir}/example.conf"
`);
  writeFileSync(join(s.dir, 'secret'), `${s.secret}\n`);
  const run = join(ROOT, 'clients/spbe-portal/run.sh');
  const env = { ...s.env, RANDOM_PASSPHRASE: 'guide-passphrase-1234567890', PORTAL_ISSUER: ISSUER,
    PORTAL_CLIENT_SECRET_FILE: join(s.dir, 'secret'), PORTAL_LISTEN: `127.0.0.1:${s.port}`,
    PORTAL_STATE: join(s.dir, 'state'), PORTAL_SITE: join(s.dir, 'site.conf') };
  const r = spawnSync(run, ['start'], { env, encoding: 'utf8' });
  t.after(() => spawnSync(run, ['stop'], { env }));
  ok(r);
  const username = person();
  const { res, jar } = await signIn(`${s.url}/`, username);
  assert.equal(res.status, 302, res.text);
  const home = await navigate('GET', `${s.url}/`, { jar });
  assert.equal(home.status, 200, home.text);
  const me = JSON.parse(home.text);
  assert.equal(me.user, username);
  assert.equal(me.organisation.code, 'desaadat.kuta');
});

// A service of section 4 run as a program (file, command, extra
// environment), and a person signing in to it: it answers with who they are.
async function runService(t, name, file, cmd, extra = {}, prepare = () => {}) {
  const s = await service(name);
  prepare(s.dir);
  writeFileSync(join(s.dir, file), example(name));
  const log = started(t, cmd, [file], { cwd: s.dir, env: { ...s.env, ...extra } });
  await up(`${s.url}/`);
  const { res } = await signIn(`${s.url}/login`, person());
  assert.equal(res.status, 200, `${res.text} ${log()}`);
  const me = JSON.parse(res.text);
  assert.equal(me.name, 'Ni Luh Guide');
  assert.equal(me.organisation, 'desaadat.kuta');
  assert.match(me.sub, /^[0-9a-f-]{36}$/);
}

test('guide: openid-client v6 signs a person in (loopback http, client_secret_basic)', async (t) => {
  // The guide says `npm install openid-client`: this suite's copy, found
  // from the program's folder.
  const link = (dir) => symlinkSync(join(import.meta.dirname, 'node_modules'), join(dir, 'node_modules'));
  await runService(t, 'openid-client', 'service.mjs', process.execPath, {}, link);
});

test('guide: Authlib with Flask signs a person in', async (t) => {
  await runService(t, 'authlib', 'service.py', '/usr/bin/python3',
    { SESSION_SECRET: 'guide-session-secret' });
});

// The province's services, as deploy/demo.sh registers them: a function
// that gives a service's secret (a new one when it was registered before).
function provinceServices() {
  orgs();
  const applied = ok(idpctl(['--json', 'client', 'apply', join(ROOT, 'clients')])).json.clients;
  return (id) => applied.find((c) => c.client_id === id)?.client_secret
    ?? ok(idpctl(['--json', 'client', 'secret', id])).json.client_secret;
}

test('guide: a token for an API with curl, introspected by the API', () => {
  const secret = provinceServices();
  const r = ok(bash(example('api-call'), { env: { ...process.env, ISSUER,
    CALLER_SECRET: secret('bali-smart-island'), API_SECRET: secret('pusdalops-api') } }));
  const info = JSON.parse(r.stdout);
  assert.equal(info.active, true, r.stdout);
  assert.equal(info.scope, 'bencana.read');
  assert.equal(info.client_id, 'bali-smart-island');
  assert.deepEqual([info.aud].flat(), ['https://pusdalops.bpbd.baliprov.go.id/api/']);
});

// A person signed in to e-budgeting (BPKAD): its access token, with the
// SIPD connector's sipd.read, from a code exchange as the service does it.
async function eBudgetingToken(secret, username) {
  const jar = new CookieJar();
  const verifier = 'guide-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirect = 'https://ebudgeting.baliprov.go.id/oidc/callback';
  const page = await http('GET', `/authorize?${new URLSearchParams({ response_type: 'code',
    client_id: 'e-budgeting', redirect_uri: redirect, scope: 'openid sipd.read', state: 'st',
    nonce: 'n', code_challenge: challenge, code_challenge_method: 'S256' })}`, { jar });
  assert.equal(page.status, 200, page.text);
  const login = await http('POST', '/login', { jar,
    form: { ...formInputs(page.text), username, password: PASSWORD } });
  assert.equal(login.status, 302, login.text);
  const code = new URL(login.location).searchParams.get('code');
  assert.ok(code && login.location.startsWith(redirect), login.location);
  const t = await http('POST', '/token', {
    headers: { authorization: `Basic ${Buffer.from(`e-budgeting:${secret}`).toString('base64')}` },
    form: { grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: verifier } });
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.scope.split(' ').includes('sipd.read'), true, t.text);
  return t.json.access_token;
}

// The policy of the guide is the SIPD connector's (clients/sipd-connector.json):
// e-budgeting hands the connector a person's token, and the connector
// exchanges it for a token of its own, for its API, on that person's
// behalf, with sipd.read only. The exchange runs as the guide writes it.
test('guide: token exchange, the policy of clients/sipd-connector.json and the request', async () => {
  const policy = JSON.parse(`{${example('exchange-policy')}}`);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'clients/sipd-connector.json'), 'utf8'));
  for (const [k, v] of Object.entries(policy)) assert.deepEqual(manifest[k], v, k);
  const secret = provinceServices();
  const username = person();
  const subject = await eBudgetingToken(secret('e-budgeting'), username);
  const connector = secret('sipd-connector');
  const env = { ...process.env, ISSUER, CLIENT_ID: 'sipd-connector', CLIENT_SECRET: connector,
    PERSONS_ACCESS_TOKEN: subject };
  const r = ok(bash(example('exchange'), { env }));
  const got = JSON.parse(r.stdout);
  assert.equal(got.issued_token_type, 'urn:ietf:params:oauth:token-type:access_token', r.stdout);
  assert.equal(got.token_type, 'Bearer');
  assert.equal(got.scope, 'sipd.read');
  assert.ok(got.expires_in > 0 && !('refresh_token' in got));
  // The connector's API sees the person's token issued to the connector.
  const i = await http('POST', '/introspect', {
    headers: { authorization: `Basic ${Buffer.from(`sipd-connector:${connector}`).toString('base64')}` },
    form: { token: got.access_token } });
  assert.equal(i.json.active, true, i.text);
  assert.equal(i.json.client_id, 'sipd-connector');
  assert.equal(i.json.sub, ok(idpctl(['--json', 'user', 'show', username])).json.sub);
  assert.deepEqual([i.json.aud].flat(), ['https://sipd.baliprov.go.id/connector/api/']);
  // Another service's people's tokens are not in the policy.
  const other = ok(bash(example('exchange'), { env: { ...env,
    PERSONS_ACCESS_TOKEN: (await http('POST', '/token', {
      headers: { authorization: `Basic ${Buffer.from(`bali-smart-island:${secret('bali-smart-island')}`)
        .toString('base64')}` },
      form: { grant_type: 'client_credentials', scope: 'bencana.read' } })).json.access_token } }));
  assert.equal(JSON.parse(other.stdout).error, 'invalid_request', other.stdout);
});
