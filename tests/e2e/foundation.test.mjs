// The foundation: discovery, JWKS, health and readiness, limits, idpctl
// round trips, migrations, configuration and start-up failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { constants, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { env, http, idpctl, psql, pgctl, sleep, unique, ISSUER } from './lib.mjs';

test('discovery document: issuer equality, endpoints that exist, content type', async () => {
  const r = await http('GET', '/.well-known/openid-configuration');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.match(r.headers.get('cache-control'), /max-age=\d+/);
  assert.equal(r.json.issuer, ISSUER, 'issuer must equal the URL it is served under');
  assert.equal(r.json.jwks_uri, `${ISSUER}/jwks`);
  assert.deepEqual(r.json.subject_types_supported, ['public', 'pairwise']);
  assert.ok(r.json.id_token_signing_alg_values_supported.includes('RS256'));
  assert.ok(r.json.id_token_signing_alg_values_supported.includes('ES256'));
  // Every advertised endpoint answers (not 404).
  for (const k of Object.keys(r.json).filter((k) => k.endsWith('_endpoint'))) {
    const e = await http('GET', r.json[k]);
    assert.notEqual(e.status, 404, `${k} is advertised but not served`);
  }
  const rfc8414 = await http('GET', '/.well-known/oauth-authorization-server');
  assert.equal(rfc8414.status, 200);
  assert.equal(rfc8414.json.issuer, ISSUER);
});

test('JWKS: public keys only, kid/kty/alg/use, and they verify signatures made with the private keys', async () => {
  const r = await http('GET', '/jwks');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/jwk-set\+json/);
  const keys = r.json.keys;
  assert.deepEqual([...new Set(keys.map((k) => k.alg))].sort(), ['ES256', 'EdDSA', 'PS256', 'RS256']);
  // The private keys are sealed in the database: export them to compare.
  const exported = mkdtempSync('/tmp/idp-export-');
  const ex = idpctl(['--json', 'keys', 'export', exported]);
  assert.equal(ex.status, 0, ex.stderr);
  for (const k of keys) {
    for (const m of ['kid', 'kty', 'alg', 'use']) assert.ok(k[m], `JWK lacks ${m}`);
    assert.equal(k.use, 'sig');
    for (const priv of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(k[priv], undefined);
    const pem = readFileSync(join(exported, `${k.kid}.pem`));
    const data = Buffer.from(`signed by ${k.kid}`);
    const opts = k.kty === 'EC' ? { dsaEncoding: 'ieee-p1363' } : {};
    if (k.alg === 'PS256') Object.assign(opts, { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    const md = k.kty === 'OKP' ? null : 'sha256';
    const sig = sign(md, data, { key: createPrivateKey(pem), ...opts });
    const pub = createPublicKey({ key: k, format: 'jwk' });
    assert.ok(verify(md, data, { key: pub, ...opts }, sig), `${k.kid} does not verify`);
    assert.ok(!verify(md, Buffer.from('other'), { key: pub, ...opts }, sig));
  }
});

test('healthz answers without the database; unknown path 404; wrong method 405 with Allow', async () => {
  assert.equal((await http('GET', '/healthz')).status, 200);
  const nf = await http('GET', '/no/such/path');
  assert.equal(nf.status, 404);
  assert.equal(nf.json.error, 'not_found');
  const m = await http('DELETE', '/jwks');
  assert.equal(m.status, 405);
  assert.match(m.headers.get('allow'), /GET/);
  const head = await http('HEAD', '/jwks');
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
});

test('oversized body gets 413; oversized headers are refused without a 5xx', async () => {
  const big = 'a='.concat('x'.repeat(200 * 1024));
  const r = await http('POST', '/readyz', {
    body: big, headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 413);
  const h = await http('GET', '/healthz', { headers: { 'x-filler': 'y'.repeat(64 * 1024) } });
  assert.ok(h.status >= 400 && h.status < 500, `status ${h.status}`);
});

test('readyz: 503 while PostgreSQL is stopped, 200 again after it restarts, no idp restart', async () => {
  assert.equal((await http('GET', '/readyz')).status, 200);
  pgctl('stop');
  try {
    const down = await http('GET', '/readyz');
    assert.equal(down.status, 503);
    assert.equal(down.headers.get('retry-after'), '1');
    // Endpoints that need no database keep working.
    assert.equal((await http('GET', '/jwks')).status, 200);
  } finally {
    pgctl('start');
  }
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i += 1) {
    await sleep(200);
    status = (await http('GET', '/readyz')).status;
  }
  assert.equal(status, 200, 'readyz did not recover');
});

test('migrate twice is a no-op', () => {
  const before = psql('SELECT count(*), max(version) FROM schema_migrations');
  const r = idpctl(['--json', 'migrate']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.json.applied, 0);
  assert.equal(psql('SELECT count(*), max(version) FROM schema_migrations'), before);
});

test('idpctl users: add with a password from stdin, list, passwd, disable; errors are one line', () => {
  const name = unique('pegawai');
  const add = idpctl(['--json', 'user', 'add', name, '--name', 'Ni Luh Test',
    '--email', `${name}@baliprov.go.id`, '--password-stdin'], { input: 'rahasia-sekali\n' });
  assert.equal(add.status, 0, add.stderr);
  assert.match(add.json.sub, /^[0-9a-f-]{36}$/);
  const hash = psql(`SELECT k.password_hash FROM credentials k JOIN users u ON u.id = k.user_id WHERE u.username = '${name}' AND k.kind = 'password'`);
  assert.match(hash, /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
  assert.ok(!hash.includes('rahasia'));
  const dup = idpctl(['user', 'add', name, '--name', 'X']);
  assert.equal(dup.status, 1);
  assert.equal(dup.stderr.trim().split('\n').length, 1);
  assert.match(dup.stderr, /taken/);
  const list = idpctl(['--json', 'user', 'list', '--limit', '1000']);
  assert.ok(list.json.users.some((u) => u.username === name && u.has_password));
  const short = idpctl(['user', 'passwd', name, '--password-stdin'], { input: 'short\n' });
  assert.equal(short.status, 1);
  const pw = idpctl(['user', 'passwd', name, '--password-stdin'], { input: 'kata-sandi-baru\n' });
  assert.equal(pw.status, 0, pw.stderr);
  assert.notEqual(psql(`SELECT k.password_hash FROM credentials k JOIN users u ON u.id = k.user_id WHERE u.username = '${name}' AND k.kind = 'password'`), hash);
  assert.equal(idpctl(['user', 'disable', name]).status, 0);
  assert.equal(psql(`SELECT disabled FROM users WHERE username = '${name}'`), 't');
  const cli = idpctl(['user', 'add', 'x1', '--name', 'X', '--password', 'secret']);
  assert.equal(cli.status, 2, 'a password on the command line must be refused');
  assert.equal(idpctl(['user', 'passwd', 'no-such-user', '--password-stdin'],
    { input: 'kata-sandi-baru\n' }).status, 1);
});

test('idpctl clients: add prints the secret once and stores only its hash; show/list/remove', () => {
  const id = unique('layanan-');
  const add = idpctl(['--json', 'client', 'add', id, '--name', 'Layanan Uji',
    '--redirect-uri', 'https://layanan.example.go.id/cb']);
  assert.equal(add.status, 0, add.stderr);
  assert.match(add.json.client_secret, /^[A-Za-z0-9_-]{43}$/);
  const stored = psql(`SELECT encode(secret_digest, 'hex') FROM clients WHERE client_id = '${id}'`);
  assert.equal(stored.length, 64);
  assert.ok(!psql(`SELECT metadata::text FROM clients WHERE client_id = '${id}'`)
    .includes(add.json.client_secret));
  const show = idpctl(['--json', 'client', 'show', id]);
  assert.equal(show.json.client_name, 'Layanan Uji');
  assert.equal(show.json.client_secret, undefined);
  assert.equal(show.json.has_secret, true);
  assert.ok(idpctl(['--json', 'client', 'list']).json.clients.some((c) => c.client_id === id));
  for (const bad of ['http://evil.example/cb', 'https://a.example/cb#frag', 'https://*.example/cb', 'cb']) {
    const r = idpctl(['client', 'add', unique('bad-'), '--name', 'B', '--redirect-uri', bad]);
    assert.equal(r.status, 1, `${bad} should be refused`);
  }
  assert.equal(idpctl(['client', 'remove', id]).status, 0);
  assert.equal(idpctl(['client', 'show', id]).status, 1);
});

test('keys rotate: a new active key per algorithm, old ones stay published', async () => {
  const before = (await http('GET', '/jwks')).json.keys.map((k) => k.kid);
  const r = idpctl(['--json', 'keys', 'rotate', '--alg', 'ES256']);
  assert.equal(r.status, 0, r.stderr);
  const kid = r.json.created[0].kid;
  let keys = [];
  for (let i = 0; i < 40 && !keys.includes(kid); i += 1) {
    await sleep(100);
    keys = (await http('GET', '/jwks')).json.keys.map((k) => k.kid);
  }
  assert.ok(keys.includes(kid), 'the new key is published after reload');
  for (const k of before) assert.ok(keys.includes(k), `retired key ${k} must stay published`);
  const list = idpctl(['--json', 'keys', 'list']).json.keys;
  assert.equal(list.filter((k) => k.alg === 'ES256' && k.state === 'active').length, 1);
});

function runIdp(args, extraEnv) {
  return spawnSync(env.IDP_BIN, args, {
    encoding: 'utf8', timeout: 20000, env: { ...process.env, ...extraEnv },
  });
}

test('configuration errors stop idp with a message naming the key', () => {
  const dir = mkdtempSync('/tmp/idp-cfg-');
  const bad = join(dir, 'bad.conf');
  writeFileSync(bad, 'issuer = http://127.0.0.1:9\naccess_token_ttl = forever\n');
  let r = runIdp(['--config', bad, '--check-config']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /access_token_ttl/);
  writeFileSync(bad, 'no_such_key = 1\n');
  r = runIdp(['--config', bad, '--check-config']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no_such_key/);
  r = runIdp(['--check-config'], { IDP_ISSUER: 'http://idp.example.go.id' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /issuer.*https/);
  r = runIdp(['--check-config'], { IDP_LISTEN: 'localhost' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /listen/);
  r = runIdp(['--check-config'], { IDP_KEY_DIR: join(dir, 'missing') });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /key_dir/);
  r = runIdp(['--config', join(dir, 'absent.conf'), '--check-config']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot open/);
  r = runIdp(['--bogus']);
  assert.equal(r.status, 2);
});

test('database unreachable at start: clear message and exit 3 after db_start_wait', () => {
  const r = runIdp([], {
    IDP_DATABASE_URL: 'host=/nonexistent port=1 dbname=idp user=idp',
    IDP_DB_START_WAIT: '1', IDP_LISTEN: '127.0.0.1:1',
  });
  assert.equal(r.status, 3);
  assert.match(r.stderr, /database_url: cannot use the database after 1 s/);
});

test('deploy/idp.conf.example documents every configuration key and passes --check-config', () => {
  const keys = spawnSync(env.IDP_BIN, ['--config-keys'], { encoding: 'utf8' }).stdout
    .split('\n').filter((l) => /^\S/.test(l)).map((l) => l.split(/\s+/)[0]);
  assert.ok(keys.length >= 30);
  const example = readFileSync(join(env.ROOT, 'deploy/idp.conf.example'), 'utf8');
  for (const k of keys) {
    assert.match(example, new RegExp(`^#?${k} = `, 'm'), `${k} is not in idp.conf.example`);
  }
  const dir = mkdtempSync('/tmp/idp-cfg-');
  const cfg = join(dir, 'idp.conf');
  writeFileSync(cfg, example.replace(/^key_dir = .*$/m, `key_dir = ${env.IDP_KEY_DIR}`));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('IDP_')));
  const r = spawnSync(env.IDP_BIN, ['--config', cfg, '--check-config'], { encoding: 'utf8', env: clean });
  assert.equal(r.status, 0, r.stderr);
});
