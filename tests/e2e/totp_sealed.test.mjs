// TOTP keys at rest: sealed under the key-encryption key with the person's
// id as additional data. A key stored plain (a row from before the sealed
// column, or from a node without a KEK) is sealed at its next use and by a
// node that starts with a KEK; a sealed key copied onto another person's
// row opens for nobody, and a code computed from it is refused as wrong,
// never with a 5xx.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { env, psql, startIdp } from './lib.mjs';
import { callback, makeClient, makeUser, signInWithTotp } from './flow.mjs';
import { totp } from './totp.mjs';

const client = makeClient();
const userId = (u) => psql(`SELECT id FROM users WHERE username = '${u.username}'`);
const stackLog = () => readFileSync(`${env.STACK_DIR}/idp.log`, 'utf8');

// A confirmed app of the person, stored plain as rows were before.
function plainFactor(user) {
  const key = randomBytes(20);
  psql(`INSERT INTO credentials (user_id, kind, totp_secret, confirmed_at)
    VALUES (${userId(user)}, 'totp', '\\x${key.toString('hex')}', now())`);
  return key;
}

// How the person's TOTP row is stored: plain key, sealed blob, KEK id.
function stored(user) {
  const [plain, sealed, kek] = psql(`SELECT coalesce(encode(totp_secret, 'hex'), ''),
    coalesce(encode(totp_sealed, 'hex'), ''), coalesce(totp_kek_id, '')
    FROM credentials WHERE user_id = ${userId(user)} AND kind = 'totp'`).split('|');
  return { plain, sealed, kek };
}

const kekId = () => psql("SELECT kek_id FROM sealed_secrets WHERE name = 'device-cookie'");

const signInWithCode = (user, code) => signInWithTotp(client, user, code);

test('a key stored plain is sealed at its first use, and still works after', async () => {
  const user = makeUser();
  const key = plainFactor(user);
  assert.equal(stored(user).plain, key.toString('hex'));
  const ok = await signInWithCode(user, totp(key));
  assert.equal(ok.status, 302, ok.text.slice(0, 300));
  assert.ok(callback(ok.location).code);
  const s = stored(user);
  assert.equal(s.plain, '');
  assert.equal(s.kek, kekId());
  // version, nonce, the 20 bytes encrypted, the tag; the key is not in it.
  assert.equal(s.sealed.length, 2 * (2 + 12 + 20 + 16));
  assert.ok(!s.sealed.includes(key.toString('hex')));
  const again = await signInWithCode(user, totp(key, 1));
  assert.equal(again.status, 302, again.text.slice(0, 300));
});

test('a node that starts with a KEK seals every key stored plain', async () => {
  const users = [makeUser(), makeUser()];
  const keys = users.map(plainFactor);
  const node = await startIdp({});
  try {
    assert.match(node.log(), /totp\.sealed count=\d+ kek=[\w-]{16}/);
    for (const u of users) {
      assert.equal(stored(u).plain, '');
      assert.equal(stored(u).kek, kekId());
    }
  } finally {
    await node.stop();
  }
  const ok = await signInWithCode(users[1], totp(keys[1]));
  assert.equal(ok.status, 302, ok.text.slice(0, 300));
});

test('a sealed key copied onto another person does not open for them', async () => {
  const owner = makeUser();
  const key = plainFactor(owner);
  assert.equal((await signInWithCode(owner, totp(key))).status, 302);
  const other = makeUser();
  psql(`INSERT INTO credentials (user_id, kind, totp_sealed, totp_kek_id, confirmed_at)
    SELECT ${userId(other)}, 'totp', totp_sealed, totp_kek_id, now() FROM credentials
    WHERE user_id = ${userId(owner)} AND kind = 'totp'`);
  const before = stackLog().length;
  for (const code of [totp(key, 1), totp(key, -1)]) {
    const r = await signInWithCode(other, code);
    assert.equal(r.status, 400, r.text.slice(0, 300));
    assert.match(r.text, /role="alert"/);
  }
  assert.match(stackLog().slice(before), /totp\.unseal_failed credential=\d+ user_id=\d+/);
  // A changed byte: the owner's own row does not open either.
  psql(`UPDATE credentials SET totp_sealed = set_byte(totp_sealed, 20,
    get_byte(totp_sealed, 20) # 1) WHERE user_id = ${userId(owner)} AND kind = 'totp'`);
  const r = await signInWithCode(owner, totp(key, 1));
  assert.equal(r.status, 400, r.text.slice(0, 300));
});

test('the database keeps one form of a key: sealed and plain together are refused', () => {
  const user = makeUser();
  plainFactor(user);
  assert.throws(() => psql(`UPDATE credentials SET totp_sealed = '\\x${'00'.repeat(50)}',
    totp_kek_id = '${kekId()}' WHERE user_id = ${userId(user)} AND kind = 'totp'`),
  /credentials_totp_one_form_check/);
  assert.throws(() => psql(`UPDATE credentials SET totp_secret = NULL
    WHERE user_id = ${userId(user)} AND kind = 'totp'`), /credentials_totp_kind_check/);
});
