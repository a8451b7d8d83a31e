// The sign-in defence (core/throttle.c): failures counted per account in
// one statement (a burst counts in full), waits that grow past the free
// allowance, a known browser (device cookie) untouched by an attack on its
// account, spraying from one address slowed, unknown accounts treated like
// known ones, every decision audited, the message in both languages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { formInputs, http, psql, sleep, startIdp, unique } from './lib.mjs';
import { authorizeUrl, makeClient, makeUser, newJar } from './flow.mjs';

const FREE = 5;	// throttle_account_free, the default
let client, sprayIdp;

before(async () => {
  client = makeClient({ name: 'Sistem Absensi' });
  // An idp of its own for the address rule: a small allowance, and the
  // address taken from X-Forwarded-For as behind the configured proxy.
  sprayIdp = await startIdp({ IDP_THROTTLE_ADDRESS_FREE: '4',
    IDP_TRUST_X_FORWARDED_FOR: 'true' });
});

after(async () => { await sprayIdp?.stop(); });

async function loginPage(jar, base = '', extra = {}) {
  const r = await http('GET', base + authorizeUrl(client, extra), { jar });
  assert.equal(r.status, 200, r.text.slice(0, 200));
  return r;
}

async function post(jar, page, username, password, { base = '', headers } = {}) {
  return http('POST', `${base}/login`, { jar, headers,
    form: { ...formInputs(page.text), username, password } });
}

const userId = (name) => psql(`SELECT id FROM users WHERE username = '${name}'`);
const key = (s) => createHash('sha256').update(s).digest('hex');
const level = (k) => Number(psql(`SELECT coalesce(max(level), 0) FROM throttle WHERE key = '${key(k)}'`));
const audits = (event, uid) => Number(psql(
  `SELECT count(*) FROM audit_log WHERE event = '${event}' AND user_id = ${uid}`));

test('40 concurrent wrong passwords count 40, and only the allowed ones are checked', async (t) => {
  const user = makeUser();
  const uid = userId(user.username);
  const jar = newJar();
  const pages = [];
  for (let i = 0; i < 40; i += 1) pages.push(await loginPage(jar));
  const rs = await Promise.all(pages.map((p, i) => post(jar, p, user.username, `salah-${i}`)));
  const refused = rs.filter((r) => r.status === 429).length;
  // On a loaded machine a request may meet the database deadline (503,
  // nothing counted, as for any request); every answered one counts.
  const unavailable = rs.filter((r) => r.status === 503).length;
  if (unavailable) t.diagnostic(`${unavailable} of 40 got 503 (database deadline)`);
  assert.ok(unavailable <= 4, `${unavailable} answered 503`);
  for (const r of rs) assert.ok([200, 429, 503].includes(r.status), `${r.status}`);
  const answered = 40 - unavailable;
  assert.ok(level(`login|account|u:${uid}`) >= answered - 0.1, 'every attempt is counted');
  const checked = audits('login.failure', uid);
  assert.equal(checked + audits('login.throttled', uid), answered, 'every decision is audited');
  assert.equal(refused, audits('login.throttled', uid));
  assert.ok(checked >= FREE, `the free attempts are checked (${checked})`);
  assert.ok(checked <= FREE + 6, `the burst is refused, not checked (${checked} checked)`);
  const details = JSON.parse(psql(`SELECT details FROM audit_log WHERE event = 'login.throttled'
    AND user_id = ${uid} ORDER BY id DESC LIMIT 1`));
  assert.ok(details.wait >= 1 && details.level > FREE && details.known_device === false);
});

test('past the allowance each attempt waits longer; the message says how long, in both languages', async () => {
  const user = makeUser();
  const jar = newJar();
  let page = await loginPage(jar);
  for (let i = 0; i < FREE; i += 1) {
    page = await post(jar, page, user.username, `salah-${i}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /kata sandi salah/);
  }
  page = await post(jar, page, user.username, 'salah-lagi');
  assert.equal(page.status, 200, 'the first attempt past the allowance is still checked');
  const r = await post(jar, page, user.username, user.password);
  assert.equal(r.status, 429, 'the next one waits, even with the right password');
  assert.equal(r.headers.get('retry-after'), '1');
  assert.match(r.text, /Terlalu banyak percobaan masuk yang gagal\. Coba lagi dalam 1 detik\./);
  assert.match(r.text, /name="username"[^>]*value="/, 'the form stays, with the name filled in');
  await sleep(1100);
  const again = await post(jar, r, user.username, 'salah-lagi');
  assert.equal(again.status, 200, 'after the wait the attempt is checked');
  const longer = await post(jar, again, user.username, user.password);
  assert.equal(longer.status, 429);
  // Eight attempts counted (the refused one too): 2^(8 - 5 - 1) seconds.
  assert.equal(longer.headers.get('retry-after'), '4', 'the wait doubles with each attempt');
  assert.match(longer.text, /Coba lagi dalam 4 detik\./);
  await sleep(4100);
  const ok = await post(jar, longer, user.username, user.password);
  assert.equal(ok.status, 302, 'the right password after the wait signs in');

  const en = makeUser();
  const jarEn = newJar();
  let p = await loginPage(jarEn, '', { ui_locales: 'en' });
  for (let i = 0; i <= FREE; i += 1) p = await post(jarEn, p, en.username, `wrong-${i}`);
  assert.match(p.text, /The username, NIP, email or password is incorrect\./);
  const t = await post(jarEn, p, en.username, 'wrong');
  assert.equal(t.status, 429);
  assert.match(t.text, /<html lang="en">/);
  assert.match(t.text, /Too many failed sign-in attempts\. Try again in 1 second\./);
});

test('the right password from a known browser works during an attack on the account', async () => {
  const user = makeUser();
  const uid = userId(user.username);
  const own = newJar();
  let r = await post(own, await loginPage(own), user.username, user.password);
  assert.equal(r.status, 302);
  const device = own.get('idp_device');
  assert.ok(device, 'a device cookie after signing in');
  assert.ok(own.attrs('idp_device').includes('HttpOnly'));
  assert.ok(own.attrs('idp_device').some((a) => /^Max-Age=15552000$/.test(a)));
  own.cookies.delete('idp_session');	// a later sign-in, on the same browser

  const attacker = newJar();
  let page = await loginPage(attacker);
  for (let i = 0; i < 30; i += 1) page = await post(attacker, page, user.username, `tebak-${i}`);
  assert.equal(page.status, 429, 'the attacker is slowed');
  // Refused attempts count, and the next one allowed after the wait sets
  // a wait grown by all of them: now the longest.
  await sleep(Number(page.headers.get('retry-after')) * 1000 + 100);
  page = await post(attacker, page, user.username, 'tebak-lagi');
  assert.equal(page.status, 200, 'one guess after the wait');
  page = await post(attacker, page, user.username, 'tebak-lagi');
  assert.equal(page.headers.get('retry-after'), '300', 'then throttle_max_delay');
  const stranger = newJar();
  r = await post(stranger, await loginPage(stranger), user.username, user.password);
  assert.equal(r.status, 429, 'a browser the account never used is slowed too');

  r = await post(own, await loginPage(own), user.username, user.password);
  assert.equal(r.status, 302, 'the known browser signs in at once');
  const success = JSON.parse(psql(`SELECT details FROM audit_log WHERE event = 'login.success'
    AND user_id = ${uid} ORDER BY id DESC LIMIT 1`));
  assert.equal(success.throttle.known_device, true);

  // The known browser has an allowance of its own, not the account's.
  own.cookies.delete('idp_session');
  page = await loginPage(own);
  for (let i = 0; i <= FREE; i += 1) {
    page = await post(own, page, user.username, `typo-${i}`);
    assert.equal(page.status, 200, `own typo ${i} is checked`);
  }
  assert.equal((await post(own, page, user.username, 'typo')).status, 429);

  // A forged or another account's device cookie counts for nothing.
  const forged = newJar();
  forged.cookies.set('idp_device', { value: `${device.slice(0, 20)}x${device.slice(21)}`, attrs: [] });
  assert.equal((await post(forged, await loginPage(forged), user.username, user.password)).status, 429);
});

test('an unknown account is throttled exactly like a known one, with the same messages', async () => {
  const known = makeUser();
  const name = unique('tidakada');
  const run = async (username) => {
    const jar = newJar();
    let page = await loginPage(jar);
    const out = [];
    for (let i = 0; i < FREE + 2; i += 1) {
      page = await post(jar, page, username, `salah-${i}`);
      const note = /<p class="error"[^>]*>([^<]*)</.exec(page.text)?.[1];
      out.push([page.status, note]);
    }
    return out;
  };
  assert.deepEqual(await run(name), await run(known.username));
});

test('spraying many accounts from one address is slowed; other addresses are not', async () => {
  const base = sprayIdp.url;
  const jar = newJar();
  const from = (ip) => ({ base, headers: { 'x-forwarded-for': `203.0.113.9, ${ip}` } });
  const users = [];
  for (let i = 0; i < 7; i += 1) users.push(makeUser());
  const statuses = [];
  for (const u of users) {
    const r = await post(jar, await loginPage(jar, base), u.username, 'Bismillah123', from('198.51.100.7'));
    statuses.push(r.status);
  }
  assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200], 'the allowance is checked');
  assert.ok(statuses.slice(5).includes(429), `then the address waits: ${statuses}`);
  const elsewhere = users[6];
  let r = await post(jar, await loginPage(jar, base), elsewhere.username, elsewhere.password,
    from('198.51.100.8'));
  assert.equal(r.status, 302, 'another address signs in');
  // An IPv6 subscriber's /64 is one address.
  for (let i = 0; i < 5; i += 1) {
    const j = newJar();
    await post(j, await loginPage(j, base), users[i].username, 'salah',
      from(`2001:db8:7:1::${i + 1}`));
  }
  const jar6 = newJar();
  r = await post(jar6, await loginPage(jar6, base), users[0].username, 'salah', from('2001:db8:7:1::99'));
  assert.equal(r.status, 429, 'the same /64');
  r = await post(jar6, await loginPage(jar6, base), users[1].username, users[1].password,
    from('2001:db8:7:2::1'));
  assert.equal(r.status, 302, 'another /64');
});
