// Password change, reset by mail and by helpdesk code, the policy, and the
// person's sessions, against a real SMTP server (aiosmtpd) the test
// starts: the test reads each mail as a mail client would and follows its
// link. One idp of the test's own, with the relay configured.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CookieJar, formInputs, http, idpctl, pkce, psql, sleep, startIdp, unique,
} from './lib.mjs';
import { makeClient, makeUser } from './flow.mjs';
import { SmtpServer } from './mail.mjs';

let smtp, idp, down, downIdp;

// The outbox is shared by every idp on the database: whichever instance
// claims a row delivers it through its relay.
const mainIdp = () => startIdp({ IDP_SMTP_URL: smtp.url(), IDP_MAIL_FROM: 'sso@baliprov.go.id',
  IDP_OUTBOX_RETRY_BASE: '1', IDP_OUTBOX_RETRY_MAX: '2', IDP_OUTBOX_POLL_INTERVAL: '1' });

before(async () => {
  smtp = await (await SmtpServer.create()).start();
  idp = await mainIdp();
});

after(async () => {
  await idp?.stop();
  await downIdp?.stop();
  await smtp?.stop();
  await down?.stop();
  smtp?.cleanup();
  down?.cleanup();
});

const at = (path) => `${idp.url}${path}`;
const ANDROID = 'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 '
  + '(KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';

function person(opts = {}) {
  const username = opts.username ?? unique('pw');
  const u = makeUser({ username, name: opts.name ?? 'Ni Luh Putu Sekarini',
    password: opts.password ?? `Kebun-jeruk ${username.length} pagi` });
  return { ...u, email: `${username}@baliprov.go.id` };
}

// Sign in to the provider's own pages (/account) in jar.
async function signIn(base, jar, user, password = user.password, ua) {
  const headers = ua ? { 'user-agent': ua } : {};
  const page = await http('GET', `${base}/login?next=%2Faccount`, { jar, headers });
  assert.equal(page.status, 200, page.text.slice(0, 200));
  const r = await http('POST', `${base}/login`, { jar, headers,
    form: { ...formInputs(page.text), username: user.username, password } });
  return r;
}

async function signedIn(base, jar) {
  const r = await http('GET', `${base}/account`, { jar });
  return r.status === 200;
}

async function requestReset(base, who, jar = new CookieJar()) {
  const page = await http('GET', `${base}/reset`, { jar });
  assert.equal(page.status, 200);
  return http('POST', `${base}/reset`, { jar, form: { ...formInputs(page.text), who } });
}

// The reset link of a mail, as the person's mail client shows it.
function linkOf(mail) {
  const m = /(http:\/\/127\.0\.0\.1:\d+\/reset\/new\?token=[A-Za-z0-9_-]{43})/.exec(mail.text);
  assert.ok(m, `a reset link in: ${mail.text}`);
  return m[1];
}

async function setNewPassword(link, password, again = password, jar = new CookieJar()) {
  const page = await http('GET', link, { jar });
  if (page.status !== 200) return { page };
  const r = await http('POST', link.replace(/\?.*/, ''), { jar,
    form: { ...formInputs(page.text), new_password: password, new_password2: again } });
  return { page, r, jar };
}

test('reset by mail: the link arrives, works once, and signs the person in afresh', async () => {
  const u = person();
  const other = new CookieJar();
  assert.equal((await signIn(idp.url, other, u)).status, 303);
  const r = await requestReset(idp.url, u.username);
  assert.equal(r.status, 200);
  assert.match(r.text, /Periksa email Anda/);
  const mail = await smtp.waitFor(u.email);
  assert.equal(mail.content_type, 'multipart/alternative');
  assert.equal(mail.subject, 'Atur ulang kata sandi SSO Provinsi Bali');
  assert.match(mail.from, /SSO Provinsi Bali <sso@baliprov\.go\.id>/);
  assert.match(mail.to, /Ni Luh Putu Sekarini/);
  assert.match(mail.date, /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0800$/);
  assert.match(mail.message_id, /^<[A-Za-z0-9_-]{43}@baliprov\.go\.id>$/);
  assert.equal(mail.language, 'id');
  assert.equal(mail.auto_submitted, 'auto-generated');
  assert.deepEqual(mail.defects, []);
  assert.ok(mail.ascii_only, 'the message is 7-bit on the wire');
  assert.match(mail.text, /berlaku 30 menit/);
  assert.match(mail.html, /<a href="http:\/\/127\.0\.0\.1:\d+\/reset\/new\?token=/);
  assert.doesNotMatch(mail.html, /<img|<script/i, 'no images, no tracking');
  const link = linkOf(mail);
  // The outbox row kept no copy of the link once delivered.
  assert.equal(psql(`SELECT count(*) FROM outbox WHERE target = '${u.email}' AND payload IS NOT NULL`), '0');

  const fresh = 'Sawah hijau di Jatiluwih';
  const { page, r: done, jar } = await setNewPassword(link, fresh);
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(done.status, 303, done.text.slice(0, 300));
  assert.equal(done.location, '/account');
  const acc = await http('GET', at('/account'), { jar });
  assert.match(acc.text, /Kata sandi baru Anda sudah disimpan/);
  assert.ok(!(await signedIn(idp.url, other)), 'the other session ended');
  assert.equal((await signIn(idp.url, new CookieJar(), u)).status, 200, 'the old password fails');
  assert.equal((await signIn(idp.url, new CookieJar(), u, fresh)).status, 303);
  const again = await http('GET', link);
  assert.equal(again.status, 400);
  assert.match(again.text, /Tautan ini sudah tidak berlaku/);
  const notice = await smtp.waitFor(u.email, (m) => /diatur ulang/.test(m.subject));
  assert.match(notice.text, /dikeluarkan dari semua perangkat lain/);
  const events = psql(`SELECT string_agg(event, ',' ORDER BY id) FROM audit_log
    WHERE user_id = (SELECT id FROM users WHERE username = '${u.username}')`);
  assert.match(events, /password_reset\.requested.*password\.reset/);
});

test('reset: the same answer for unknown accounts, and no mail', async () => {
  const u = person();
  const known = await requestReset(idp.url, u.email);
  const unknown = await requestReset(idp.url, unique('nobody'));
  const unknownMail = await requestReset(idp.url, `${unique('nobody')}@baliprov.go.id`);
  assert.equal(known.status, unknown.status);
  const body = (r) => r.text.replace(/req-[A-Za-z0-9_-]+/g, '');
  assert.equal(body(known), body(unknown));
  assert.equal(body(known), body(unknownMail));
  await smtp.waitFor(u.email);
  assert.equal(psql(`SELECT count(*) FROM outbox WHERE target LIKE 'nobody%'`), '0');
  // Empty and bad forms.
  const jar = new CookieJar();
  const page = await http('GET', at('/reset'), { jar });
  const empty = await http('POST', at('/reset'), { jar, form: { ...formInputs(page.text), who: '' } });
  assert.match(empty.text, /Isi nama pengguna atau alamat email/);
  const forged = await http('POST', at('/reset'), { jar, form: { who: u.username, csrf_token: 'x' } });
  assert.equal(forged.status, 400);
});

test('the mail server is down at request time: the answer comes at once, the mail later', async () => {
  // Only the idp whose relay is down may claim the row.
  await idp.stop();
  down = await SmtpServer.create();
  downIdp = await startIdp({ IDP_SMTP_URL: down.url(), IDP_MAIL_FROM: 'sso@baliprov.go.id',
    IDP_OUTBOX_RETRY_BASE: '1', IDP_OUTBOX_RETRY_MAX: '1', IDP_OUTBOX_POLL_INTERVAL: '1' });
  const u = person();
  const r = await requestReset(downIdp.url, u.username);
  assert.equal(r.status, 200);
  assert.match(r.text, /Periksa email Anda/);
  let row;
  for (let i = 0; i < 100; i++) {
    row = psql(`SELECT state || ' ' || attempts || ' ' || coalesce(last_error, '-') FROM outbox
      WHERE target = '${u.email}'`);
    if (/^pending [1-9]/.test(row) && !row.endsWith(' -')) break;
    await sleep(100);
  }
  assert.match(row, /^pending [1-9]\d* .+/, 'a failed try is recorded and retried');
  const st = idpctl(['--json', 'outbox', 'status', '--kind', 'mail']);
  assert.equal(st.status, 0, st.stderr);
  assert.ok(st.json.outbox[0].pending >= 1);
  assert.ok(st.json.outbox[0].last_error);
  await down.start();
  const mail = await down.waitFor(u.email);
  assert.ok(linkOf(mail));
  for (let i = 0; i < 50 && !/^delivered/.test(row); i++) {
    row = psql(`SELECT state FROM outbox WHERE target = '${u.email}'`);
    await sleep(100);
  }
  assert.equal(row, 'delivered');
  await downIdp.stop();
  downIdp = null;
  idp = await mainIdp();
});

test('helpdesk code: printed once, used once, five wrong tries stop it', async () => {
  const u = person();
  const issue = idpctl(['--json', 'user', 'reset-code', u.username]);
  assert.equal(issue.status, 0, issue.stderr);
  assert.match(issue.json.code, /^\d{3} \d{3} \d{4}$/);
  assert.equal(psql(`SELECT count(*) FROM password_resets WHERE kind = 'code'
    AND digest = sha256('${issue.json.code}'::bytea)`), '0', 'only a digest is kept');
  const tryCode = async (username, code) => {
    const jar = new CookieJar();
    const page = await http('GET', at('/reset/code'), { jar });
    assert.match(page.text, /inputmode="numeric"/);
    const r = await http('POST', at('/reset/code'), { jar,
      form: { ...formInputs(page.text), username, code } });
    return { r, jar };
  };
  const wrongUser = await tryCode(unique('nobody'), issue.json.code);
  assert.equal(wrongUser.r.status, 400);
  assert.match(wrongUser.r.text, /Nama pengguna atau kode salah/);
  const { r, jar } = await tryCode(u.username, issue.json.code.replace(/ /g, '-'));
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.text, /Buat kata sandi baru/);
  const f = formInputs(r.text);
  const bad = await http('POST', at('/reset/new'), { jar,
    form: { ...f, new_password: 'bismillah123', new_password2: 'bismillah123' } });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /terlalu umum/);
  const ok = await http('POST', at('/reset/new'), { jar,
    form: { ...formInputs(bad.text), new_password: 'Tiga ekor kucing oranye',
      new_password2: 'Tiga ekor kucing oranye' } });
  assert.equal(ok.status, 303);
  assert.ok(await signedIn(idp.url, jar), 'signed in afresh');
  assert.equal((await tryCode(u.username, issue.json.code)).r.status, 400, 'a code works once');
  const reused = await http('POST', at('/reset/new'), { jar,
    form: { ...f, new_password: 'Empat ekor kucing hitam', new_password2: 'Empat ekor kucing hitam' } });
  assert.equal(reused.status, 400, 'the ticket works once');

  const second = idpctl(['--json', 'user', 'reset-code', u.username]).json.code;
  const wrong = second.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
  const tries = await Promise.all(Array.from({ length: 8 }, () => tryCode(u.username, wrong)));
  assert.ok(tries.every((x) => x.r.status === 400));
  assert.equal(psql(`SELECT failures FROM password_resets WHERE kind = 'code'
    AND user_id = (SELECT id FROM users WHERE username = '${u.username}') AND used_at IS NULL`), '5',
  'a burst of wrong codes is counted, up to the limit');
  assert.equal((await tryCode(u.username, second)).r.status, 400, 'after 5 wrong tries the code stops');
  const expiredCode = idpctl(['--json', 'user', 'reset-code', u.username]).json.code;
  psql(`UPDATE password_resets SET expires_at = now() - interval '1 second'
    WHERE user_id = (SELECT id FROM users WHERE username = '${u.username}') AND used_at IS NULL`);
  assert.equal((await tryCode(u.username, expiredCode)).r.status, 400, 'an expired code is refused');
  const missing = idpctl(['user', 'reset-code', unique('nobody')]);
  assert.equal(missing.status, 1);
});

test('expired and forged links are refused', async () => {
  const u = person();
  await requestReset(idp.url, u.username);
  const link = linkOf(await smtp.waitFor(u.email, (m) => /Atur ulang/.test(m.subject)));
  psql(`UPDATE password_resets SET expires_at = now() - interval '1 second'
    WHERE user_id = (SELECT id FROM users WHERE username = '${u.username}')`);
  const r = await http('GET', link);
  assert.equal(r.status, 400);
  assert.match(r.text, /Tautan ini sudah tidak berlaku/);
  for (const t of ['', 'x', 'A'.repeat(43), `${'A'.repeat(42)}!`, 'A'.repeat(5000)]) {
    const f = await http('GET', at(`/reset/new?token=${encodeURIComponent(t)}`));
    assert.equal(f.status, 400, t);
  }
});

test('policy refusals on the reset form, NFKC, and the 1 MB password', async () => {
  const u = person({ username: unique('made.wirawan'), name: 'I Made Wirawan' });
  await requestReset(idp.url, u.username);
  const link = linkOf(await smtp.waitFor(u.email));
  const jar = new CookieJar();
  const page = await http('GET', link, { jar });
  const f = formInputs(page.text);
  const post = (pw, again = pw) => http('POST', at('/reset/new'), { jar,
    form: { ...f, new_password: pw, new_password2: again } });
  const cases = [
    ['pendek', /terlalu pendek: minimal 8/],
    ['password123', /terlalu umum/],
    ['rahasia2024', /terlalu umum/],
    ['bali2024', /terlalu umum/],
    [`${u.username}!!`, /nama pengguna/],
    ['Wirawan dari desa', /nama pengguna/],
    ['aaaaaaaaaaaa', /berulang atau berurutan/],
    ['x'.repeat(300), /terlalu panjang/],
  ];
  for (const [pw, want] of cases) {
    const r = await post(pw);
    assert.equal(r.status, 400, pw);
    assert.match(r.text, want, pw);
    assert.doesNotMatch(r.text, /<input type="password"[^>]*value="[^"]/,
      'the refused password is not echoed');
  }
  const mismatch = await post('Gunung Batur subuh', 'Gunung Batur siang');
  assert.match(mismatch.text, /tidak sama/);
  const huge = await http('POST', at('/reset/new'), { jar,
    form: { ...f, new_password: 'a'.repeat(1024 * 1024), new_password2: 'a' } });
  assert.equal(huge.status, 413);
  // Full-width letters are the same password as ASCII (NFKC).
  const fullWidth = 'Ｋｏｐｉ ｐａｇｉ Ｋｉｎｔａｍａｎｉ';
  const ok = await post(fullWidth);
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  assert.equal((await signIn(idp.url, new CookieJar(), u, 'Kopi pagi Kintamani')).status, 303);
});

// A code and refresh token for client in jar (signed in already).
async function grant(jar, client) {
  const { verifier, challenge } = pkce();
  const q = new URLSearchParams({ response_type: 'code', client_id: client.id,
    redirect_uri: client.redirect, scope: 'openid', state: 's', nonce: 'n',
    code_challenge: challenge, code_challenge_method: 'S256', prompt: 'none' });
  const r = await http('GET', at(`/authorize?${q}`), { jar });
  const code = new URL(r.location).searchParams.get('code');
  assert.ok(code, r.location);
  const basic = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  const t = await http('POST', at('/token'), { headers: { authorization: basic },
    form: { grant_type: 'authorization_code', code, redirect_uri: client.redirect,
      code_verifier: verifier } });
  assert.equal(t.status, 200, t.text);
  assert.ok(t.json.refresh_token);
  return { refresh: t.json.refresh_token, basic };
}

async function changePassword(jar, current, fresh, keep = false) {
  const page = await http('GET', at('/account/password'), { jar });
  assert.equal(page.status, 200);
  const form = { ...formInputs(page.text), current_password: current, new_password: fresh,
    new_password2: fresh };
  if (keep) form.keep_sessions = 'yes';
  else delete form.keep_sessions;
  return http('POST', at('/account/password'), { jar, form });
}

test('password change: other sessions end (or stay, when asked), tokens revoked, mail sent', async () => {
  const u = person();
  const client = makeClient({ grants: ['authorization_code', 'refresh_token'] });
  const here = new CookieJar(), there = new CookieJar();
  await signIn(idp.url, here, u);
  await signIn(idp.url, there, u);
  const t = await grant(there, client);

  const wrong = await changePassword(here, 'bukan sandi saya', 'Pohon kelapa di Sanur');
  assert.equal(wrong.status, 400);
  assert.match(wrong.text, /Kata sandi sekarang salah/);
  const kept = await changePassword(here, u.password, 'Pohon kelapa di Sanur', true);
  assert.equal(kept.status, 303, kept.text.slice(0, 300));
  assert.ok(await signedIn(idp.url, there), 'kept: the other session lives');
  assert.match((await smtp.waitFor(u.email, (m) => /diubah/.test(m.subject))).text, /diubah pada/);

  const ended = await changePassword(here, 'Pohon kelapa di Sanur', 'Perahu jukung di Amed');
  assert.equal(ended.status, 303);
  assert.match((await http('GET', at('/account'), { jar: here })).text, /Kata sandi Anda sudah diubah/);
  assert.ok(await signedIn(idp.url, here), 'this session stays');
  assert.ok(!(await signedIn(idp.url, there)), 'the other session ended');
  const rt = await http('POST', at('/token'), { headers: { authorization: t.basic },
    form: { grant_type: 'refresh_token', refresh_token: t.refresh } });
  assert.equal(rt.json?.error, 'invalid_grant', 'the refresh token of the other session is revoked');
  assert.equal(psql(`SELECT count(*) FROM audit_log WHERE event = 'password.changed'
    AND user_id = (SELECT id FROM users WHERE username = '${u.username}')`), '2');
  const forged = await http('POST', at('/account/password'), { jar: here,
    form: { current_password: 'x', new_password: 'y', new_password2: 'y', csrf_token: 'z' } });
  assert.equal(forged.status, 400);
  const out = await http('GET', at('/account/password'));
  assert.equal(out.status, 303);
  assert.match(out.location, /^\/login\?next=/);
});

test('sessions: listed with browser and address, one ended, then all others', async () => {
  const u = person();
  const phone = new CookieJar(), laptop = new CookieJar(), third = new CookieJar();
  await signIn(idp.url, phone, u, u.password, ANDROID);
  await signIn(idp.url, laptop, u);
  await signIn(idp.url, third, u);
  const page = await http('GET', at('/account/sessions'), { jar: laptop });
  assert.equal(page.status, 200);
  assert.match(page.text, /Chrome di Android/);
  assert.match(page.text, /127\.0\.0\.1/);
  assert.match(page.text, /WITA/);
  assert.match(page.text, /Sesi ini/);
  const ids = [...page.text.matchAll(/name="session" value="(\d+)"/g)].map((m) => m[1]);
  assert.equal(ids.length, 2, 'two other sessions, each with its button');
  const phoneId = psql(`SELECT id FROM sessions WHERE user_agent LIKE '%Android%'
    AND user_id = (SELECT id FROM users WHERE username = '${u.username}')`);
  const f = formInputs(page.text);
  const ask = await http('POST', at('/account/sessions'), { jar: laptop,
    form: { csrf_token: f.csrf_token, action: 'end', session: phoneId } });
  assert.equal(ask.status, 200);
  assert.match(ask.text, /Keluarkan sesi Chrome di Android\?/);
  const done = await http('POST', at('/account/sessions'), { jar: laptop,
    form: { ...formInputs(ask.text) } });
  assert.equal(done.status, 303);
  assert.ok(!(await signedIn(idp.url, phone)), 'the phone is signed out');
  assert.ok(await signedIn(idp.url, third));
  const others = await http('POST', at('/account/sessions'), { jar: laptop,
    form: { csrf_token: f.csrf_token, action: 'end_others', confirm: 'yes' } });
  assert.equal(others.status, 303);
  assert.ok(!(await signedIn(idp.url, third)));
  const after1 = await http('GET', at('/account/sessions'), { jar: laptop });
  assert.match(after1.text, /Semua sesi lain sudah dikeluarkan/);
  assert.match(after1.text, /Tidak ada sesi lain/);
  assert.ok(await signedIn(idp.url, laptop), 'this session stays');
  for (const bad of [{ action: 'end', session: 'abc' }, { action: 'nuke' },
    { action: 'end', session: '99999999999999999999' }]) {
    const r = await http('POST', at('/account/sessions'), { jar: laptop,
      form: { csrf_token: f.csrf_token, ...bad } });
    assert.ok(r.status === 400 || r.status === 303, `${JSON.stringify(bad)}: ${r.status}`);
  }
});

test('idpctl: the policy on user add and passwd', () => {
  const name = unique('ctl');
  const weak = idpctl(['user', 'add', name, '--name', 'Komang Ayu', '--password-stdin'],
    { input: 'sayang123\n' });
  assert.equal(weak.status, 1);
  assert.match(weak.stderr, /common/);
  const mine = idpctl(['user', 'add', name, '--name', 'Komang Ayu', '--password-stdin'],
    { input: `${name}-2024\n` });
  assert.match(mine.stderr, /username/);
  const ok = idpctl(['user', 'add', name, '--name', 'Komang Ayu', '--password-stdin'],
    { input: 'Bunga kamboja putih\n' });
  assert.equal(ok.status, 0, ok.stderr);
  const short = idpctl(['user', 'passwd', name, '--password-stdin'], { input: 'k1Tx\n' });
  assert.match(short.stderr, /too short/);
});
