// Sign in with the identifier people know (username, 18-digit NIP or a
// verified email), one namespace the directory keeps unique, and imported
// passwords: bcrypt, SHA-crypt, PBKDF2 and Keycloak's realm export, each
// verified as it is and replaced by argon2id at the first sign-in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, formInputs, http, idpctl, psql, unique } from './lib.mjs';
import { authorizeUrl, makeClient, newJar } from './flow.mjs';

const client = makeClient({ name: 'e-Kinerja' });
const dir = mkdtempSync(join(tmpdir(), 'idp-import-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const nip = () => `19870315201001${String(1000 + (process.pid % 8000) + (seq += 1)).slice(-4)}`;

async function signInAs(identifier, password, extra = {}) {
  const jar = newJar();
  const page = await http('GET', authorizeUrl(client, extra), { jar });
  assert.equal(page.status, 200);
  return http('POST', '/login', { jar, form: { ...formInputs(page.text), username: identifier,
    password } });
}

const note = (r) => /<p class="error"[^>]*>([^<]*)</.exec(r.text)?.[1];
const hashOf = (username) => psql(`SELECT k.password_hash FROM credentials k JOIN users u
  ON u.id = k.user_id WHERE u.username = '${username}' AND k.kind = 'password'`);
const lastAudit = (username, event) => psql(`SELECT details FROM audit_log a JOIN users u
  ON u.id = a.user_id WHERE u.username = '${username}' AND a.event = '${event}'
  ORDER BY a.id DESC LIMIT 1`);

function importCsv(lines) {
  const f = join(dir, `${unique('u')}.csv`);
  writeFileSync(f, `${lines.join('\n')}\n`);
  return idpctl(['user', 'import', f]);
}

test('sign in by username, NIP or verified email, with one message for every refusal', async () => {
  const u = unique('nyoman.');
  const n = nip();
  const add = idpctl(['user', 'add', u, '--name', 'I Nyoman Pegawai', '--nip', n,
    '--email', `${u}@BaliProv.go.id`, '--email-verified', '--password-stdin'],
  { input: 'Sandi-Nip-2024\n' });
  assert.equal(add.status, 0, add.stderr);
  for (const id of [u, u.toUpperCase(), n, `${u}@baliprov.go.id`, `${u.toUpperCase()}@BALIPROV.GO.ID`]) {
    const r = await signInAs(id, 'Sandi-Nip-2024');
    assert.equal(r.status, 302, `signs in as ${id}`);
  }
  const wrong = await signInAs(n, 'Sandi-Salah');
  const refusals = [wrong,
    await signInAs('199912312020121999', 'Sandi-Nip-2024'),	// nobody's NIP
    await signInAs(`${unique('x')}@baliprov.go.id`, 'Sandi-Nip-2024'),
    await signInAs(`${u}x`, 'Sandi-Nip-2024')];
  for (const r of refusals) {
    assert.equal(r.status, 200);
    assert.equal(note(r), 'Nama pengguna, NIP, email atau kata sandi salah.');
  }
  // An email that is not verified is no identifier.
  const v = unique('made.');
  assert.equal(idpctl(['user', 'add', v, '--name', 'I Made', '--email', `${v}@gmail.com`,
    '--password-stdin'], { input: 'Sandi-Belum-Verif\n' }).status, 0);
  const unverified = await signInAs(`${v}@gmail.com`, 'Sandi-Belum-Verif');
  assert.equal(note(unverified), note(wrong));
  assert.equal((await signInAs(v, 'Sandi-Belum-Verif')).status, 302);
  // The label says what may be typed, in both languages.
  const id = await http('GET', authorizeUrl(client), { jar: newJar() });
  assert.match(id.text, /<label for="username">Nama pengguna, NIP atau email<\/label>/);
  const en = await http('GET', authorizeUrl(client, { ui_locales: 'en' }), { jar: newJar() });
  assert.match(en.text, /<label for="username">Username, NIP or email<\/label>/);
});

test('the directory refuses an identifier that is already someone\'s', () => {
  const a = unique('ketut.');
  const n = nip();
  assert.equal(idpctl(['user', 'add', a, '--name', 'I Ketut', '--nip', n, '--email',
    `${a}@baliprov.go.id`, '--email-verified']).status, 0);
  const cases = [
    ['--nip', n],	// the same NIP
    ['--email', `${a.toUpperCase()}@baliprov.go.id`],	// the same email, another case
  ];
  for (const extra of cases) {
    const r = idpctl(['user', 'add', unique('lain.'), '--name', 'Lain', ...extra]);
    assert.equal(r.status, 1, extra.join(' '));
    assert.match(r.stderr, /taken/);
  }
  // A username that is another person's NIP or verified email.
  for (const name of [n, `${a}@baliprov.go.id`]) {
    const r = idpctl(['user', 'add', name, '--name', 'Peniru']);
    assert.equal(r.status, 1, name);
    assert.match(r.stderr, /taken/);
  }
  const bad = idpctl(['user', 'add', unique('b.'), '--name', 'B', '--nip', '12345']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /NIP 18 digits/);
});

test('import refuses wrong rows and names them; nothing is written', () => {
  const n = nip();
  const taken = unique('ada.');
  assert.equal(idpctl(['user', 'add', taken, '--name', 'Sudah Ada', '--nip', n]).status, 0);
  const ok = unique('baru.');
  const hdr = 'username,password_hash,name,nip,email,org_code';
  const cases = [
    [[hdr, `${ok},,Baru,12345,,`], /row 1 \(baru\.[^)]*\): nip 12345 is not 18 digits/],
    [[hdr, `${ok},,Baru,${n},,`], /row 1 \([^)]*\): nip \d{18} is already another person's nip/],
    [[hdr, `${ok}a,,A,199001012015021111,,`, `${ok}b,,B,199001012015021111,,`],
      /row 2 \([^)]*b\): nip 199001012015021111 is also in row 1/],
    [[hdr, `${ok},$md5$abc,Baru,,,`], /row 1 \([^)]*\): password_hash is not a format idp knows/],
    [[hdr, `${ok},,Baru,,,tidak-ada`], /row 1 \([^)]*\): org_code tidak-ada names no organisation/],
    [[hdr, `${ok},,Baru,,${ok}@x.go.id,`, `${ok}c,,C,,${ok}c@x.go.id,`, `${ok}d,,D,,${ok}@X.go.id,`],
      /row 3 \([^)]*\): email \S+ is also in row 1/],
    [['username,name,password', `${ok},Baru,x`], /header: unknown column "password"/],
    [['name,email', 'Baru,b@x.go.id'], /username and name are required/],
  ];
  for (const [lines, want] of cases) {
    const r = importCsv(lines);
    assert.equal(r.status, 1, lines.join(' | '));
    assert.match(r.stderr, want);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  assert.equal(psql(`SELECT count(*) FROM users WHERE username LIKE '${ok}%'`), '0');
});

// Hashes made by other implementations (tests/unit/test_crypto_pwimport.c
// names them): Apache's htpasswd -B, OpenSSL's passwd -5/-6, Node.js.
const IMPORTED = [
  ['bcrypt', '$2y$05$91BHctb7I/nOED.Vngirfe47bqE1CG0Easf3c13VH3S54MUdDy88.', 'Sandi-Bcrypt-2019'],
  ['bcrypt', '$2b$04$YOP4OiiMznvUKwbf/XBJW.tYEKwprTnfx321JekceMztg08C0tMuq', 'Sandi-Bcrypt-2019'],
  ['bcrypt', '$2a$05$91BHctb7I/nOED.Vngirfe47bqE1CG0Easf3c13VH3S54MUdDy88.', 'Sandi-Bcrypt-2019'],
  ['sha256-crypt', '$5$GaramBali$OZf.WyTdfAWHC8e47Ez6Kly8fNFeyliEp/.EQA9IRl/', 'Sandi-Sha256-Lama'],
  ['sha512-crypt', '$6$GaramBali2$UR6sniJ65OEfVSr6VPUb0KAUclLnCTLW3SyxF0Vcr911neN57vuBOiOlJ1.mTuLfIAKUDqOh3.1SFdPN6tdfu0', 'Sandi-Sha512-Lama'],
  ['pbkdf2-sha1', '$pbkdf2-sha1$i=1000$Z2FyYW0tc2hhMS1iYWxpLg$qkoLyURCZz2SZtI0ed4CXJXYWB0', 'Sandi-Pbkdf2-Sha1'],
  ['pbkdf2-sha256', '$pbkdf2-sha256$i=1000$Z2FyYW0tc2hhMjU2LWJhbA$JzsaDmaWdy+w9xt/zDWoaXI8Ch/yKMdKHNzUWe7z/jE', 'Sandi-Pbkdf2-Sha256'],
  ['pbkdf2-sha512', '$pbkdf2-sha512$i=1000$Z2FyYW0tc2hhNTEyLWJhbA$5Q/Nt2AWxhM6TVdLt0fgFrgPxME9Xi32wnz3x76QZDgzbuPjm594o+3t6P52RuoK1Vc9btbHDmhbS/uSHI2eFg', 'Sandi-Pbkdf2-Sha512'],
];
const ARGON2 = `$argon2id$v=19$m=${env.IDP_ARGON2_MEMORY_KIB},t=${env.IDP_ARGON2_ITERATIONS},p=1$`;

async function upgradedOnSignIn(username, password, from, event = 'password.upgraded') {
  const wrong = await signInAs(username, `${password}x`);
  assert.equal(wrong.status, 200, `${username}: a wrong password is refused`);
  assert.ok(!hashOf(username).startsWith('$argon2id$') || from === 'argon2id');
  const r = await signInAs(username, password);
  assert.equal(r.status, 302, `${username} (${from}) signs in`);
  assert.ok(hashOf(username).startsWith(ARGON2), `${username}: now argon2id at the configured cost`);
  assert.deepEqual(JSON.parse(lastAudit(username, event)), { from, to: 'argon2id' });
  assert.equal((await signInAs(username, password)).status, 302, 'and signs in with it again');
}

test('bcrypt, SHA-crypt and PBKDF2 users sign in and are upgraded to argon2id', async () => {
  const names = IMPORTED.map(([alg]) => unique(`${alg}.`));
  const r = importCsv(['name,username,password_hash', ...IMPORTED.map(([alg, hash], i) =>
    `"Pegawai ${alg}",${names[i]},"${hash}"`)]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^${IMPORTED.length} users added`));
  for (const [i, [alg, hash, pw]] of IMPORTED.entries()) {
    assert.equal(hashOf(names[i]), hash, 'stored as given');
    await upgradedOnSignIn(names[i], pw, alg);
  }
});

test('a Keycloak realm export converts, imports, and its users sign in and are upgraded', async () => {
  const csv = join(dir, 'keycloak.csv');
  const conv = idpctl(['--json', 'user', 'convert-keycloak', `${env.ROOT}/tests/fixtures/keycloak-realm-export.json`,
    '--out', csv]);
  assert.equal(conv.status, 0, conv.stderr);
  assert.deepEqual(conv.json, { users: 5, disabled_left_out: 1, without_password: 1 });
  const text = readFileSync(csv, 'utf8');
  assert.match(text, /^username,password_hash,name,given_name,family_name,email,email_verified,/);
  assert.match(text, /"made\.kc256","\$pbkdf2-sha256\$i=27500\$/);
  assert.match(text, /"ketut\.kc512","\$pbkdf2-sha512\$i=210000\$/);
  assert.match(text, /"wayan\.kcargon","\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
  assert.match(text, /"putu\.kcsha1","\$pbkdf2-sha1\$i=20000\$/);
  assert.doesNotMatch(text, /kadek\.kcoff/, 'disabled users are left out');
  idpctl(['org', 'add', 'baliprov', '--name', 'Pemerintah Provinsi Bali', '--kind', 'province']);
  const imp = idpctl(['user', 'import', csv]);
  assert.equal(imp.status, 0, imp.stderr);
  assert.equal(psql(`SELECT nip || ' ' || email_verified FROM users WHERE username = 'made.kc256'`),
    '198512122010011001 true');
  assert.equal(psql(`SELECT email_verified FROM users WHERE username = 'ketut.kc512'`), 'f');
  assert.equal(psql(`SELECT count(*) FROM credentials k JOIN users u ON u.id = k.user_id
    WHERE u.username = 'nyoman.kcfed'`), '0', 'no password: none stored');
  await upgradedOnSignIn('made.kc256', 'Sandi-KC-Sha256', 'pbkdf2-sha256');
  await upgradedOnSignIn('ketut.kc512', 'Sandi-KC-Sha512', 'pbkdf2-sha512');
  await upgradedOnSignIn('putu.kcsha1', 'Sandi-KC-Sha1', 'pbkdf2-sha1');
  // Keycloak's argon2id at its own cost is rehashed at ours.
  await upgradedOnSignIn('wayan.kcargon', 'Sandi-KC-Argon2', 'argon2id', 'password.rehash');
  // By the NIP the export carried.
  assert.equal((await signInAs('199001012015022002', 'Sandi-KC-Argon2')).status, 302);

  const again = idpctl(['user', 'import', csv]);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /0 users added, 5 already present/);
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, JSON.stringify({ realm: 'x', users: [{ username: 'rusak', credentials: [
    { type: 'password', secretData: '{"value":"AAAA","salt":"AAAA"}',
      credentialData: '{"hashIterations":10,"algorithm":"md5"}' }] }] }));
  const bad = idpctl(['user', 'convert-keycloak', broken]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /user rusak: algorithm is not pbkdf2/);
  assert.equal(idpctl(['user', 'convert-keycloak', join(dir, 'nope.json')]).status, 1);
  assert.equal(idpctl(['user', 'convert-keycloak']).status, 2);
});
