// Signing keys: sealed in the database under the key-encryption key (KEK),
// what a node does without the right KEK, the move from key files, the
// algorithms a client may ask for, and a scheduled rotation that a second
// node on the same database carries out while the stack's idp follows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { constants, createPublicKey, randomBytes, verify } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, env, http, idpctl, psql, sleep, startIdp, unique } from './lib.mjs';
import { exchange, makeClient, makeUser, newJar, signIn, signInWithTotp } from './flow.mjs';
import { totp } from './totp.mjs';

const dir = mkdtempSync('/tmp/idp-keys-');

function kekFile(name, hex = randomBytes(32).toString('hex'), mode = 0o600) {
  const path = join(dir, name);
  writeFileSync(path, `${hex}\n`, { mode });
  chmodSync(path, mode);
  return path;
}

function listKeys(extra) {
  const r = idpctl(['--json', 'keys', 'list'], { env: extra });
  assert.equal(r.status, 0, r.stderr);
  return r.json.keys;
}

const activeKid = (alg) => listKeys().find((k) => k.alg === alg && k.state === 'active').kid;

// Start idp in the foreground and let it fail: exit code and message.
function runIdp(extra) {
  return spawnSync(env.IDP_BIN, [], {
    encoding: 'utf8', timeout: 30000,
    env: { ...process.env, IDP_LISTEN: '127.0.0.1:1', ...extra },
  });
}

// Verify a compact JWS against a JWKS with node's own crypto.
function verifies(jwks, jwt) {
  const { header } = decodeJwt(jwt);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) return false;
  const [h, p, s] = jwt.split('.');
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const data = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s, 'base64url');
  switch (header.alg) {
    case 'EdDSA': return verify(null, data, key, sig);
    case 'ES256': return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
    case 'PS256': return verify('sha256', data,
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig);
    case 'RS256': return verify('sha256', data, key, sig);
    default: return false;
  }
}

const jwksOf = async (base = '') => (await http('GET', `${base}/jwks`)).json;
const kids = (jwks) => jwks.keys.map((k) => k.kid);

async function until(what, fn, tries = 150) {
  for (let i = 0; i < tries; i += 1) {
    const v = await fn();
    if (v) return v;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function idToken(client, user) {
  const s = await signIn(newJar(), client, user);
  const t = await exchange(client, s.params.code, s.verifier);
  assert.equal(t.status, 200, t.text);
  return t.json;
}

test('keys are sealed in the database: no key files, every row names its KEK', () => {
  const keys = listKeys().filter((k) => k.state !== 'retired');
  assert.ok(keys.length >= 4);
  for (const k of keys) {
    assert.match(k.storage, /^db:[A-Za-z0-9_-]{16}$/, `${k.kid} is kept ${k.storage}`);
    assert.ok(!existsSync(join(env.IDP_KEY_DIR, `${k.kid}.pem`)), `${k.kid} has no file`);
  }
  // What the table holds is not a PEM or DER key: it is sealed.
  const raw = psql("SELECT encode(private_key, 'hex') FROM signing_keys WHERE state = 'active' LIMIT 1");
  assert.match(raw, /^6b31/, 'sealed blobs start with their version');
  assert.ok(!raw.startsWith('3082'), 'not a DER private key');
  // The device-cookie key is shared the same way.
  assert.ok(!existsSync(join(env.IDP_KEY_DIR, 'device-cookie.key')));
  const kek = keys[0].storage.slice(3);
  assert.equal(psql("SELECT kek_id || ' ' || length(secret) FROM sealed_secrets WHERE name = 'device-cookie'"),
    `${kek} 62`);
});

test('a node without the right key-encryption key refuses to start and names the key', () => {
  const kid = activeKid('RS256');
  const other = kekFile('other-kek');
  let r = runIdp({ IDP_KEY_ENCRYPTION_KEY_FILE: other });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /signing key \S+ \(\w+\) is sealed under key-encryption key [\w-]{16}, but this node has [\w-]{16}/);
  r = runIdp({ IDP_KEY_ENCRYPTION_KEY_FILE: '' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /is sealed under key-encryption key [\w-]{16}, and this node has none/);
  // A KEK file others may read, or one that holds no key, stops it early.
  const loose = kekFile('loose-kek', randomBytes(32).toString('hex'), 0o644);
  r = runIdp({ IDP_KEY_ENCRYPTION_KEY_FILE: loose });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /key_encryption_key_file: .*chmod 600/);
  r = runIdp({ IDP_KEY_ENCRYPTION_KEY_FILE: kekFile('short-kek', 'abcd') });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /does not hold a key-encryption key/);
  // idpctl cannot open them either, and says so.
  const ex = idpctl(['keys', 'export', mkdtempSync('/tmp/idp-export-')],
    { env: { IDP_KEY_ENCRYPTION_KEY_FILE: other } });
  assert.equal(ex.status, 1);
  assert.match(ex.stderr, /is sealed under key-encryption key/);
  assert.ok(kid);
});

test('the KEK as a systemd credential ($CREDENTIALS_DIRECTORY/idp-kek)', async () => {
  const creds = mkdtempSync('/tmp/idp-creds-');
  copyFileSync(env.IDP_KEY_ENCRYPTION_KEY_FILE, join(creds, 'idp-kek'));
  chmodSync(join(creds, 'idp-kek'), 0o400);
  const node = await startIdp({ IDP_KEY_ENCRYPTION_KEY_FILE: '', CREDENTIALS_DIRECTORY: creds });
  try {
    assert.deepEqual(kids(await jwksOf(node.url)).sort(), kids(await jwksOf()).sort());
    assert.match(node.log(), /keys\.kek id=[\w-]{16} path=\/tmp\/idp-creds-\w+\/idp-kek/);
  } finally {
    await node.stop();
  }
});

test('a changed sealed key, or one moved onto another row, does not open', () => {
  const r = idpctl(['--json', 'keys', 'rotate', '--alg', 'EdDSA']);
  assert.equal(r.status, 0, r.stderr);
  const next = r.json.created[0].kid;
  assert.equal(r.json.created[0].state, 'next');
  const saved = psql(`SELECT encode(private_key, 'hex') FROM signing_keys WHERE kid = '${next}'`);
  try {
    psql(`UPDATE signing_keys SET private_key = set_byte(private_key, 40,
      get_byte(private_key, 40) # 1) WHERE kid = '${next}'`);
    let s = runIdp({});
    assert.equal(s.status, 1);
    assert.match(s.stderr, new RegExp(`signing key ${next} \\(EdDSA\\) does not open .*changed`));
    // The additional data is the kid: another key's sealed bytes fail.
    psql(`UPDATE signing_keys SET private_key = (SELECT private_key FROM signing_keys
      WHERE alg = 'EdDSA' AND state = 'active') WHERE kid = '${next}'`);
    s = runIdp({});
    assert.equal(s.status, 1);
    assert.match(s.stderr, new RegExp(`signing key ${next} \\(EdDSA\\) does not open`));
  } finally {
    psql(`UPDATE signing_keys SET private_key = decode('${saved}', 'hex') WHERE kid = '${next}'`);
  }
  const w = idpctl(['--json', 'keys', 'retire', '--now', '--', next]);
  assert.equal(w.status, 0, w.stderr);
});

test('from key files: a node without a KEK writes files, import seals them, the files can go', async () => {
  const noKek = { IDP_KEY_ENCRYPTION_KEY_FILE: '' };
  const r = idpctl(['--json', 'keys', 'rotate', '--alg', 'ES256', '--now'], { env: noKek });
  assert.equal(r.status, 0, r.stderr);
  const kid = r.json.created[0].kid;
  const file = join(env.IDP_KEY_DIR, `${kid}.pem`);
  assert.ok(existsSync(file));
  assert.equal(listKeys().find((k) => k.kid === kid).storage, 'file');
  // The running idp (it has a KEK) still reads a file key.
  await until('the file key in the JWKS', async () => kids(await jwksOf()).includes(kid));
  assert.equal(idpctl(['keys', 'import'], { env: noKek }).status, 1, 'import needs a KEK');
  const imp = idpctl(['--json', 'keys', 'import']);
  assert.equal(imp.status, 0, imp.stderr);
  assert.deepEqual(imp.json.imported, [kid]);
  assert.match(listKeys().find((k) => k.kid === kid).storage, /^db:/);
  assert.deepEqual(idpctl(['--json', 'keys', 'import']).json.imported, [], 'twice changes nothing');
  unlinkSync(file);
  const node = await startIdp({});
  try {
    assert.ok(kids(await jwksOf(node.url)).includes(kid));
  } finally {
    await node.stop();
  }
  const audit = psql(`SELECT string_agg(event || ' ' || actor, ',' ORDER BY id) FROM audit_log
    WHERE details->>'kid' = '${kid}'`);
  assert.match(audit, /key\.activated idpctl:\S+,key\.imported idpctl:\S+/);
});

test('changing the KEK: export under the old one, import under the new one, and back', async () => {
  const oldKek = { IDP_KEY_ENCRYPTION_KEY_FILE: env.IDP_KEY_ENCRYPTION_KEY_FILE };
  const newKek = { IDP_KEY_ENCRYPTION_KEY_FILE: kekFile('new-kek') };
  // A person with a TOTP app whose key is sealed under the old KEK (at
  // its first use), and one who sets up a new app between export and
  // import: that new key is not overwritten by the exported one.
  const client = makeClient();
  const person = makeUser();
  const uid = psql(`SELECT id FROM users WHERE username = '${person.username}'`);
  const key = randomBytes(20);
  psql(`INSERT INTO credentials (user_id, kind, totp_secret, confirmed_at)
    VALUES (${uid}, 'totp', '\\x${key.toString('hex')}', now())`);
  assert.equal((await signInWithTotp(client, person, totp(key))).status, 302);
  const sealedUnder = () => psql(`SELECT coalesce(totp_kek_id, 'plain') FROM credentials
    WHERE user_id = ${uid} AND kind = 'totp'`);
  const oldId = sealedUnder();
  assert.notEqual(oldId, 'plain');
  const late = makeUser();
  const lateId = psql(`SELECT id FROM users WHERE username = '${late.username}'`);
  psql(`INSERT INTO credentials (user_id, kind, totp_secret, confirmed_at)
    VALUES (${lateId}, 'totp', '\\x${randomBytes(20).toString('hex')}', now())`);
  const lateKey = randomBytes(20);
  let published;
  const move = (from, to, between) => {
    const out = mkdtempSync('/tmp/idp-export-');
    const ex = idpctl(['--json', 'keys', 'export', out], { env: from });
    assert.equal(ex.status, 0, ex.stderr);
    published ??= ex.json.exported.map((k) => k.kid).sort();
    assert.deepEqual(ex.json.exported.map((k) => k.kid).sort(), published);
    assert.ok(existsSync(join(out, 'device-cookie.key')));
    const lines = readFileSync(join(out, 'totp-keys'), 'utf8').split('\n')
      .filter((l) => l && !l.startsWith('#'));
    assert.equal(lines.length, ex.json.totp_keys);
    assert.ok(lines.some((l) => l.split(' ')[2] === key.toString('hex')), 'the key, opened');
    assert.equal(statSync(join(out, 'totp-keys')).mode & 0o777, 0o600);
    between?.();
    const im = idpctl(['--json', 'keys', 'import', '--from', out], { env: to });
    assert.equal(im.status, 0, im.stderr);
    assert.deepEqual(im.json.imported.slice().sort(), published);
    return im.json;
  };
  try {
    const moved = move(oldKek, newKek, () => psql(`UPDATE credentials
      SET totp_secret = '\\x${lateKey.toString('hex')}' WHERE user_id = ${lateId} AND kind = 'totp'`));
    assert.ok(moved.totp_sealed >= 1);
    assert.ok(moved.totp_skipped >= 1, 'the key set up after the export is left as it is');
    assert.equal(psql(`SELECT encode(totp_secret, 'hex') FROM credentials
      WHERE user_id = ${lateId} AND kind = 'totp'`), lateKey.toString('hex'));
    assert.notEqual(sealedUnder(), oldId, 'sealed again, under the new KEK');
    // A bad line stops the import and names it.
    const bad = mkdtempSync('/tmp/idp-export-');
    writeFileSync(join(bad, 'totp-keys'), '# keys\n12 34 zz 00\n', { mode: 0o600 });
    const badImport = idpctl(['keys', 'import', '--from', bad], { env: newKek });
    assert.notEqual(badImport.status, 0);
    assert.match(badImport.stderr, /line 2 is not a TOTP key/);
    const id = idpctl(['--json', 'keys', 'list'], { env: newKek }).json.keys
      .find((k) => k.state === 'active').storage;
    assert.equal(psql(`SELECT count(DISTINCT kek_id) FROM (SELECT kek_id FROM signing_keys
      WHERE state <> 'retired' UNION ALL SELECT kek_id FROM sealed_secrets) k`), '1');
    assert.equal(psql('SELECT kek_id FROM sealed_secrets'), id.slice(3));
    const node = await startIdp(newKek);
    try {
      for (const kid of kids(await jwksOf(node.url))) assert.ok(published.includes(kid));
    } finally {
      await node.stop();
    }
    const refused = runIdp(oldKek);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /is sealed under key-encryption key [\w-]{16}, but this node has/);
  } finally {
    move(newKek, oldKek);
  }
  assert.equal(sealedUnder(), oldId);
  // Sealed twice since, the person's app still signs them in.
  assert.equal((await signInWithTotp(client, person, totp(key, 1))).status, 302);
  const back = await startIdp(oldKek);
  await back.stop();
});

test('PS256 and EdDSA ID tokens and access-token JWTs, for clients that ask for them', async () => {
  const user = makeUser();
  const disc = (await http('GET', '/.well-known/openid-configuration')).json;
  assert.deepEqual(disc.id_token_signing_alg_values_supported, ['RS256', 'ES256', 'PS256', 'EdDSA']);
  assert.ok(disc.token_endpoint_auth_signing_alg_values_supported.includes('EdDSA'));
  for (const alg of ['PS256', 'EdDSA']) {
    const id = unique(`rp-${alg.toLowerCase()}-`);
    const made = idpctl(['--json', 'client', 'add', id, '--name', `Layanan ${alg}`,
      '--redirect-uri', 'https://rp.example.go.id/callback', '--grant', 'authorization_code',
      '--scope', 'openid profile', '--first-party', '--id-token-alg', alg,
      '--access-token-format', 'jwt', '--access-token-alg', alg]);
    assert.equal(made.status, 0, made.stderr);
    const client = { id, secret: made.json.client_secret, redirect: 'https://rp.example.go.id/callback' };
    const t = await idToken(client, user);
    const jwks = await jwksOf();
    for (const jwt of [t.id_token, t.access_token]) {
      const { header } = decodeJwt(jwt);
      assert.equal(header.alg, alg);
      assert.equal(jwks.keys.find((k) => k.kid === header.kid).alg, alg);
      assert.ok(verifies(jwks, jwt), `${alg} ${header.typ} verifies`);
      const broken = `${jwt.slice(0, -4)}${jwt.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
      assert.ok(!verifies(jwks, broken));
    }
  }
  const bad = idpctl(['client', 'add', unique('rp-bad-'), '--name', 'X', '--redirect-uri',
    'https://rp.example.go.id/cb', '--id-token-alg', 'HS256']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /RS256, ES256, PS256 or EdDSA/);
});

test('scheduled rotation on a second node: published ahead, then signing, old tokens still verify', async () => {
  const user = makeUser();
  const client = makeClient({ alg: 'RS256' });
  const k0 = activeKid('RS256');
  const before = await idToken(client, user);
  assert.equal(decodeJwt(before.id_token).header.kid, k0);

  // Node B rotates RS256 every 30 s, publishing 10 s ahead; k0 is older
  // than 20 s, so B publishes the next key at once.
  const b = await startIdp({ IDP_KEY_ROTATION_INTERVAL: '30', IDP_KEY_PREPUBLISH: '10',
    IDP_SIGNING_ALGS: 'RS256' });
  try {
    const k1 = await until('a next RS256 key', () =>
      listKeys().find((k) => k.alg === 'RS256' && k.state === 'next')?.kid);
    assert.notEqual(k1, k0);
    // Published by both nodes before it signs; the stack's idp still signs
    // with k0.
    await until('k1 in both JWKS', async () => kids(await jwksOf()).includes(k1) &&
      kids(await jwksOf(b.url)).includes(k1));
    const during = await idToken(client, user);
    assert.equal(decodeJwt(during.id_token).header.kid, k0, 'the next key does not sign yet');
    assert.equal(listKeys().find((k) => k.kid === k1).state, 'next');

    // After key_prepublish it signs, on the stack's idp too.
    const after = await until('a token signed by k1', async () => {
      const t = await idToken(client, user);
      return decodeJwt(t.id_token).header.kid === k1 ? t : null;
    }, 100);
    const keys = listKeys();
    assert.equal(keys.find((k) => k.kid === k1).state, 'active');
    const old = keys.find((k) => k.kid === k0);
    assert.equal(old.state, 'retired');
    assert.notEqual(old.publish_until, '-');
    // Tokens signed before still verify: k0 stays published on both nodes.
    for (const base of ['', b.url]) {
      const jwks = await jwksOf(base);
      assert.ok(verifies(jwks, before.id_token), `old token verifies at ${base || 'stack'}`);
      assert.ok(verifies(jwks, after.id_token));
    }
    const disc = (await http('GET', '/.well-known/openid-configuration')).json;
    assert.ok(disc.id_token_signing_alg_values_supported.includes('RS256'));

    // Withdrawn at once: gone from both JWKS, the old token stops verifying,
    // and the next maintenance destroys its private key.
    const w = idpctl(['--json', 'keys', 'retire', '--now', '--', k0]);
    assert.equal(w.status, 0, w.stderr);
    await until('k0 gone from both JWKS', async () => !kids(await jwksOf()).includes(k0) &&
      !kids(await jwksOf(b.url)).includes(k0));
    assert.ok(!verifies(await jwksOf(), before.id_token));
    await until('k0 destroyed', () => listKeys().find((k) => k.kid === k0).storage === 'destroyed');
    assert.equal(psql(`SELECT private_key IS NULL FROM signing_keys WHERE kid = '${k0}'`), 't');

    const audit = psql(`SELECT string_agg(event || ' ' || actor, ',' ORDER BY id) FROM audit_log
      WHERE details->>'kid' IN ('${k0}', '${k1}')`);
    assert.match(audit, /key\.prepublished idp/);
    assert.match(audit, /key\.activated idp/);
    assert.match(audit, /key\.withdrawn idpctl:/);
    assert.match(audit, /key\.expired idp/);
  } finally {
    await b.stop();
  }
});

test('keys retire: an active key hands over to a new one at once; unknown kids are named', () => {
  const k = activeKid('ES256');
  const r = idpctl(['--json', 'keys', 'retire', '--', k]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.json.published, true);
  const now = activeKid('ES256');
  assert.notEqual(now, k);
  assert.equal(r.json.created[0].kid, now);
  assert.equal(listKeys().find((x) => x.kid === k).state, 'retired');
  const none = idpctl(['keys', 'retire', 'no-such-kid-0000000']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no key no-such-kid-0000000/);
  // A kid is base64url: one may begin with '-', and goes after --.
  const dash = idpctl(['keys', 'retire', '-yAbC0000000']);
  assert.equal(dash.status, 2);
  assert.match(dash.stderr, /unknown option -y \(an operand that begins with - goes after --\)/);
  const afterDashes = idpctl(['keys', 'retire', '--', '-yAbC0000000']);
  assert.equal(afterDashes.status, 1);
  assert.match(afterDashes.stderr, /no key -yAbC0000000/);
  const missing = idpctl(['keys', 'retire']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /missing KID/);
});
