// Passkey ceremonies against the server's rules (WebAuthn Level 2 §7.1,
// §7.2), with the authenticator played here: an EC P-256 key of node's
// crypto, CBOR written by a small encoder of this file, signatures in
// DER. Registration on /account/mfa and the second step of a sign-in
// succeed; a wrong origin, a reused or foreign challenge, a wrong
// rpIdHash, an attestation format other than none, malformed CBOR, an
// oversized attestation, a bad signature, an unknown credential and a
// signature counter that went back are refused and audited, and never a
// 5xx. The idp of this file has the issuer http://localhost:PORT (a
// relying party id cannot be an IP address).
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CookieJar, http, pkce, psql, startIdp } from './lib.mjs';
import { authorizeUrl, makeClient, makeUser } from './flow.mjs';
import { SmtpServer } from './mail.mjs';

let idp, smtp;
before(async () => {
  smtp = await (await SmtpServer.create()).start();
  idp = await startIdp({ IDP_SMTP_URL: smtp.url(), IDP_MAIL_FROM: 'sso@baliprov.go.id' },
    { host: 'localhost' });
});
after(async () => {
  await idp?.stop();
  await smtp?.stop();
  smtp?.cleanup();
});

function head(major, n) {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  const b = Buffer.alloc(3);
  b[0] = (major << 5) | 25;
  b.writeUInt16BE(n, 1);
  return b;
}
function cbor(v) {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (Buffer.isBuffer(v)) return Buffer.concat([head(2, v.length), v]);
  if (typeof v === 'string') return Buffer.concat([head(3, Buffer.byteLength(v)), Buffer.from(v)]);
  if (v instanceof Map) {
    const parts = [head(5, v.size)];
    for (const [k, x] of v) parts.push(cbor(k), cbor(x));
    return Buffer.concat(parts);
  }
  throw new Error('cbor: unsupported');
}

const b64u = (b) => Buffer.from(b).toString('base64url');
const sha256 = (b) => createHash('sha256').update(b).digest();

class Authenticator {
  constructor() {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    this.key = privateKey;
    this.id = randomBytes(16);
    this.cose = cbor(new Map([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x, 'base64url')],
      [-3, Buffer.from(jwk.y, 'base64url')]]));
    this.count = 0;
  }
  authData(flags, count, rp = 'localhost', attested = false) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(count);
    const parts = [sha256(rp), Buffer.from([flags]), c];
    if (attested) parts.push(Buffer.alloc(16), Buffer.from([0, 16]), this.id, this.cose);
    return Buffer.concat(parts);
  }
}

function clientData(type, challenge, origin = idp.url) {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

// The options of the page's passkey form.
function options(html) {
  const m = /id="passkey-form"[^>]*data-options="([^"]*)"/.exec(html);
  assert.ok(m, 'the page offers a passkey');
  return JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}
function hidden(html, name) {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
}

async function signedIn(user) {
  const jar = new CookieJar();
  const r = await http('GET', `${idp.url}/login?next=%2Faccount%2Fmfa`, { jar });
  const s = await http('POST', `${idp.url}/login`, { jar, form: { login: hidden(r.text, 'login'),
    csrf_token: hidden(r.text, 'csrf_token'), username: user.username, password: user.password } });
  assert.equal(s.status, 303);
  return jar;
}

async function register(jar, a, tweak = {}) {
  const page = await http('GET', `${idp.url}/account/mfa`, { jar });
  assert.equal(page.status, 200);
  const o = options(page.text);
  assert.equal(o.mode, 'create');
  assert.equal(o.publicKey.rp.id, 'localhost');
  assert.deepEqual(o.publicKey.pubKeyCredParams.map((p) => p.alg), [-7, -257]);
  const ad = a.authData(0x45, 0, tweak.rp ?? 'localhost', true);
  const att = tweak.attestation ?? cbor(new Map([['fmt', tweak.fmt ?? 'none'],
    ['attStmt', new Map()], ['authData', ad]]));
  const form = { csrf_token: hidden(page.text, 'csrf_token'), action: 'add_passkey',
    credential_id: b64u(a.id), attestation: b64u(att),
    client_data: b64u(clientData('webauthn.create', tweak.challenge ?? o.publicKey.challenge,
      tweak.origin)) };
  const r = await http('POST', `${idp.url}/account/mfa`, { jar, form });
  assert.equal(r.status, 303, r.text.slice(0, 200));
  const flash = /idp_flash=([a-z_]+)/.exec(r.headers.get('set-cookie') ?? '')?.[1];
  return { flash, challenge: o.publicKey.challenge };
}

const refusals = (user, event) => psql(`SELECT string_agg(a.details->>'reason', ',' ORDER BY a.id)
  FROM audit_log a JOIN users u ON u.id = a.user_id WHERE u.username = '${user.username}'
  AND a.event = '${event}'`);

test('registration: none attestation accepted, every wrong part refused', async () => {
  const user = makeUser();
  const jar = await signedIn(user);
  const bad = new Authenticator();
  assert.equal((await register(jar, bad, { origin: 'https://evil.example' })).flash, 'passkey_failed');
  assert.equal((await register(jar, bad, { rp: 'evil.example' })).flash, 'passkey_failed');
  assert.equal((await register(jar, bad, { fmt: 'packed' })).flash, 'passkey_failed');
  assert.equal((await register(jar, bad, { attestation: Buffer.from([0xa3, 0x63, 0x66]) })).flash,
    'passkey_failed');
  assert.equal((await register(jar, bad, { attestation: randomBytes(20000) })).flash, 'passkey_failed');
  assert.equal((await register(jar, bad, { challenge: b64u(randomBytes(32)) })).flash, 'passkey_failed');
  const a = new Authenticator();
  const ok = await register(jar, a);
  assert.equal(ok.flash, 'passkey_added');
  // The challenge is used once, and the same credential is not added twice.
  const again = new Authenticator();
  assert.equal((await register(jar, again, { challenge: ok.challenge })).flash, 'passkey_failed');
  assert.equal(refusals(user, 'mfa.passkey_register_refused'),
    'wrong_origin,wrong_rp_id_hash,attestation_refused,attestation_refused,fields_missing,'
    + 'wrong_challenge,wrong_challenge');
  const rows = psql(`SELECT count(*) FROM credentials c JOIN users u ON u.id = c.user_id
    WHERE u.username = '${user.username}' AND kind = 'webauthn' AND confirmed_at IS NOT NULL`);
  assert.equal(rows, '1');
  const added = await smtp.waitFor(`${user.username}@baliprov.go.id`, (m) => /ditambahkan/.test(m.subject));
  assert.match(added.subject, /Verifikasi dua langkah/);
  // Removed (the session used the passkey when it was added): asked, then mailed.
  const page = await http('GET', `${idp.url}/account/mfa`, { jar });
  const id = /name="action" value="remove_passkey"><input type="hidden" name="id" value="(\d+)"/.exec(page.text)?.[1];
  assert.ok(id, 'the passkey has a remove button');
  const form = { csrf_token: hidden(page.text, 'csrf_token'), action: 'remove_passkey', id };
  const ask = await http('POST', `${idp.url}/account/mfa`, { jar, form });
  assert.equal(ask.status, 200);
  const done = await http('POST', `${idp.url}/account/mfa`, { jar, form: { ...form, confirm: 'yes' } });
  assert.equal(done.status, 303);
  await smtp.waitFor(`${user.username}@baliprov.go.id`, (m) => /dihapus/.test(m.subject));
  assert.equal(psql(`SELECT count(*) FROM credentials c JOIN users u ON u.id = c.user_id
    WHERE u.username = '${user.username}' AND kind <> 'password'`), '0');
});

test('authentication: the second step with a passkey; counter regression and bad parts refused', async () => {
  const user = makeUser();
  const a = new Authenticator();
  assert.equal((await register(await signedIn(user), a)).flash, 'passkey_added');
  const client = makeClient();
  const { verifier, challenge } = pkce();
  const jar = new CookieJar();
  const start = await http('GET', idp.url + authorizeUrl(client, { code_challenge: challenge,
    code_challenge_method: 'S256' }), { jar });
  let page = await http('POST', `${idp.url}/login`, { jar, form: { login: hidden(start.text, 'login'),
    csrf_token: hidden(start.text, 'csrf_token'), username: user.username, password: user.password } });
  assert.equal(page.status, 200);
  assert.ok(verifier);

  async function assertWith(t = {}) {
    const o = options(page.text);
    assert.equal(o.mode, 'get');
    assert.deepEqual(o.publicKey.allowCredentials.map((c) => c.id), [b64u(a.id)]);
    const ad = a.authData(t.flags ?? 0x05, t.count ?? 5, t.rp ?? 'localhost');
    const cd = clientData(t.type ?? 'webauthn.get', t.challenge ?? o.publicKey.challenge, t.origin);
    let sig = sign('sha256', Buffer.concat([ad, sha256(cd)]), a.key);
    if (t.badSig) sig = Buffer.concat([sig.subarray(0, sig.length - 1), Buffer.from([sig[sig.length - 1] ^ 1])]);
    const form = { login: hidden(page.text, 'login'), csrf_token: hidden(page.text, 'csrf_token'),
      action: 'passkey', credential_id: b64u(t.id ?? a.id), client_data: b64u(cd),
      authenticator_data: b64u(t.authData ?? ad), signature: b64u(sig) };
    const r = await http('POST', `${idp.url}/login/factor`, { jar, form });
    assert.ok(r.status < 500, `${r.status}`);
    if (r.status === 400) page = r;
    return r;
  }

  for (const t of [{ origin: 'http://127.0.0.1:1' }, { challenge: b64u(randomBytes(32)) },
    { rp: 'evil.example' }, { badSig: true }, { id: randomBytes(16) }, { type: 'webauthn.create' },
    { flags: 0x04 }, { authData: randomBytes(10) }]) {
    const r = await assertWith(t);
    assert.equal(r.status, 400, JSON.stringify(Object.keys(t)));
    assert.match(r.text, /Passkey tidak dapat diverifikasi|passkey could not be verified/);
  }
  const ok = await assertWith({ count: 5 });
  assert.equal(ok.status, 302, ok.text.slice(0, 300));
  assert.ok(new URL(ok.location).searchParams.get('code'));
  assert.equal(psql(`SELECT webauthn_sign_count FROM credentials c JOIN users u ON u.id = c.user_id
    WHERE u.username = '${user.username}' AND kind = 'webauthn'`), '5');

  // A second sign-in whose counter went back: a cloned authenticator.
  const jar2 = new CookieJar();
  const s2 = await http('GET', idp.url + authorizeUrl(client, { code_challenge: challenge,
    code_challenge_method: 'S256' }), { jar: jar2 });
  page = await http('POST', `${idp.url}/login`, { jar: jar2, form: { login: hidden(s2.text, 'login'),
    csrf_token: hidden(s2.text, 'csrf_token'), username: user.username, password: user.password } });
  jar.cookies = jar2.cookies;
  const clone = await assertWith({ count: 3 });
  assert.equal(clone.status, 400);
  const same = await assertWith({ count: 5 });
  assert.equal(same.status, 400);
  const seen = psql(`SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id
    WHERE u.username = '${user.username}' AND a.event = 'mfa.passkey_clone_suspected'`);
  assert.equal(seen, '2');
  assert.equal(refusals(user, 'mfa.passkey_refused'),
    'wrong_origin,wrong_challenge,wrong_rp_id_hash,bad_signature,unknown_credential,wrong_type,'
    + 'user_not_present,auth_data_malformed');
});
