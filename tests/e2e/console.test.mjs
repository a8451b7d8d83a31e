// The operator console (/admin): the gate (signed in, an operator role of
// the operators' organisation, a second factor, CSRF on every form), each
// page's role check (403), the helpdesk actions and their audit rows, the
// client decisions, the audit log and its CSV, the SPBE report and its
// CSV, and bad input on every parameter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CookieJar, http, idpctl, psql, startIdp, unique } from './lib.mjs';
import { logoutService, makeClient, makeUser, newJar, signIn } from './flow.mjs';

const OPS = 'baliprov.diskominfos';
idpctl(['org', 'add', OPS, '--name', 'Diskominfos Provinsi Bali', '--kind', 'provincial_agency']);

function operator(role) {
  const u = makeUser({ name: `Operator ${role}`, org: OPS });
  if (role) assert.equal(idpctl(['member', 'add', u.username, OPS, role]).status, 0);
  return u;
}

const inputs = (html, name) => [...html.matchAll(new RegExp(`name="${name}" value="([^"]*)"`, 'g'))]
  .map((m) => m[1].replace(/&amp;/g, '&'));
const csrfOf = (html) => inputs(html, 'csrf_token')[0];

// A local sign-in to /admin, as a browser does it: /login?next=/admin.
async function console(user, base) {
  const jar = new CookieJar();
  const url = (p) => (base ? `${base}${p}` : p);
  let r = await http('GET', url('/admin'), { jar });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/login?next=%2Fadmin');
  r = await http('GET', url(r.location), { jar });
  const form = Object.fromEntries(['login', 'csrf_token', 'lang'].map((k) => [k, inputs(r.text, k)[0]])
    .filter(([, v]) => v !== undefined));
  r = await http('POST', url('/login'), { jar, form: { ...form, username: user.username, password: user.password } });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const get = (p) => http('GET', url(p), { jar });
  const post = (p, f) => http('POST', url(p), { jar, form: f });
  return { jar, get, post };
}

test('the console needs a signed-in operator; others get 403', async () => {
  const anon = await http('GET', '/admin/people');
  assert.equal(anon.status, 303);
  assert.equal(anon.location, '/login?next=%2Fadmin%2Fpeople');
  const plain = await console(makeUser());
  const r = await plain.get('/admin');
  assert.equal(r.status, 403);
  assert.match(r.text, /Tidak diizinkan/);
  // A role recorded for another organisation counts for nothing.
  const dev = makeUser();
  idpctl(['org', 'add', 'lain.org', '--name', 'Lain', '--kind', 'regency']);
  idpctl(['member', 'add', dev.username, 'lain.org', 'developer']);
  assert.equal((await (await console(dev)).get('/admin')).status, 403);
});

test('a helpdesk operator finds one person, issues a reset code, ends sessions, disables', async () => {
  const hd = operator('helpdesk');
  const name = `Ni Komang ${unique('Cari')}`;
  const target = makeUser({ name });
  const client = makeClient();
  await signIn(newJar(), client, target);
  const c = await console(hd);
  const home = await c.get('/admin');
  assert.equal(home.status, 200);
  assert.match(home.text, /href="\/admin\/people"/);
  assert.doesNotMatch(home.text, /href="\/admin\/clients"/, 'no link the role cannot use');
  const found = await c.get(`/admin/people?q=${encodeURIComponent(name.split(' ').at(-1))}`);
  assert.equal(found.status, 200);
  assert.match(found.text, /1 orang ditemukan/);
  const id = /href="\/admin\/person\?id=(\d+)"/.exec(found.text)[1];
  const byUser = await c.get(`/admin/people?q=${target.username}`);
  assert.match(byUser.text, new RegExp(`id=${id}`));
  const page = await c.get(`/admin/person?id=${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(target.username));
  assert.match(page.text, /password/);
  const csrf = csrfOf(page.text);
  const code = await c.post('/admin/person', { csrf_token: csrf, id, action: 'reset_code' });
  assert.equal(code.status, 200);
  assert.match(code.text, /\d{3} \d{3} \d{4}/);
  const ask = await c.post('/admin/person', { csrf_token: csrf, id, action: 'end_sessions' });
  assert.equal(ask.status, 200, 'asks first');
  assert.equal(psql(`SELECT count(*) FROM sessions WHERE user_id = ${id} AND ended_at IS NULL`), '1');
  const end = await c.post('/admin/person', { csrf_token: csrf, id, action: 'end_sessions', confirm: 'yes' });
  assert.equal(end.status, 303);
  assert.equal(psql(`SELECT count(*) FROM sessions WHERE user_id = ${id} AND ended_at IS NULL`), '0');
  const dis = await c.post('/admin/person', { csrf_token: csrf, id, action: 'disable', confirm: 'yes' });
  assert.equal(dis.status, 303);
  assert.equal(psql(`SELECT disabled FROM users WHERE id = ${id}`), 't');
  assert.equal((await c.post('/admin/person', { csrf_token: csrf, id, action: 'enable' })).status, 303);
  assert.equal(psql(`SELECT disabled FROM users WHERE id = ${id}`), 'f');
  const rows = psql(`SELECT event || ':' || actor FROM audit_log WHERE user_id = ${id}
    AND actor_user_id IS NOT NULL ORDER BY id`).split('\n');
  for (const ev of ['password_reset.code_issued', 'helpdesk.sessions_ended', 'user.disabled', 'user.enabled']) {
    assert.ok(rows.includes(`${ev}:${hd.username}`), `${ev} by ${hd.username} in ${rows}`);
  }
  // The same operator may not see services, keys, the audit log or the report.
  for (const p of ['/admin/clients', '/admin/keys', '/admin/audit', '/admin/report']) {
    assert.equal((await c.get(p)).status, 403, p);
  }
  assert.equal((await c.post('/admin/clients', { csrf_token: csrf, client_id: client.id, action: 'disable' })).status, 403);
});

test('every console form needs the session CSRF token', async () => {
  const hd = operator('helpdesk');
  const target = makeUser();
  const id = psql(`SELECT id FROM users WHERE username = '${target.username}'`);
  const c = await console(hd);
  for (const token of [undefined, '', 'x'.repeat(43)]) {
    const f = { id, action: 'disable', confirm: 'yes' };
    if (token !== undefined) f.csrf_token = token;
    assert.equal((await c.post('/admin/person', f)).status, 403);
  }
  // Another person's console token does not work in this session.
  const other = await console(operator('helpdesk'));
  const foreign = csrfOf((await other.get(`/admin/person?id=${id}`)).text);
  assert.equal((await c.post('/admin/person', { csrf_token: foreign, id, action: 'disable', confirm: 'yes' })).status, 403);
  assert.equal(psql(`SELECT disabled FROM users WHERE id = ${id}`), 'f');
});

test('an auditor reads the audit log and the report, and every form is refused', async () => {
  const au = operator('auditor');
  const target = makeUser();
  const id = psql(`SELECT id FROM users WHERE username = '${target.username}'`);
  const c = await console(au);
  const audit = await c.get(`/admin/audit?user=${target.username}`);
  assert.equal(audit.status, 200);
  assert.match(audit.text, /user\.created/);
  assert.equal((await c.get('/admin/report')).status, 200);
  const csrf = csrfOf((await c.get('/admin')).text) ?? 'none';
  assert.equal((await c.get(`/admin/person?id=${id}`)).status, 403);
  assert.equal((await c.post('/admin/person', { csrf_token: csrf, id, action: 'reset_code' })).status, 403);
  assert.equal((await c.post('/admin/clients', { csrf_token: csrf, client_id: 'x', action: 'approve' })).status, 403);
  assert.equal((await c.get('/admin/clients')).status, 403);
});

test('an admin approves a pending client, rejects one with a reason, disables and enables', async () => {
  const ad = operator('admin');
  const pending = makeClient();
  const other = makeClient();
  psql(`UPDATE clients SET approval = 'pending' WHERE client_id IN ('${pending.id}', '${other.id}')`);
  const c = await console(ad);
  const list = await c.get('/admin/clients?status=pending');
  assert.equal(list.status, 200);
  assert.match(list.text, new RegExp(pending.id.replace(/\./g, '\\.')));
  const csrf = csrfOf(list.text);
  assert.equal((await c.post('/admin/clients', { csrf_token: csrf, client_id: pending.id, action: 'approve' })).status, 303);
  assert.equal(psql(`SELECT approval FROM clients WHERE client_id = '${pending.id}'`), 'approved');
  const noReason = await c.post('/admin/clients', { csrf_token: csrf, client_id: other.id, action: 'reject' });
  assert.equal(noReason.status, 400);
  const rej = await c.post('/admin/clients', { csrf_token: csrf, client_id: other.id, action: 'reject',
    reason_field: `reason-${other.id}`, [`reason-${other.id}`]: 'Tidak memenuhi syarat' });
  assert.equal(rej.status, 303);
  assert.equal(psql(`SELECT approval FROM clients WHERE client_id = '${other.id}'`), 'rejected');
  assert.equal((await c.post('/admin/clients', { csrf_token: csrf, client_id: pending.id, action: 'disable' })).status, 303);
  assert.equal(psql(`SELECT enabled FROM clients WHERE client_id = '${pending.id}'`), 'f');
  assert.equal((await c.post('/admin/clients', { csrf_token: csrf, client_id: pending.id, action: 'enable' })).status, 303);
  const events = psql(`SELECT event FROM audit_log WHERE client_id = '${pending.id}' AND actor = '${ad.username}' ORDER BY id`);
  assert.deepEqual(events.split('\n'), ['client.approved', 'client.disabled', 'client.enabled']);
  assert.equal((await c.post('/admin/clients', { csrf_token: csrf, client_id: 'no.such.client', action: 'disable' })).status, 404);
  assert.equal((await c.post('/admin/clients', { csrf_token: csrf, client_id: pending.id, action: 'explode' })).status, 400);
  for (const p of ['/admin/orgs', '/admin/sessions', '/admin/keys', '/admin/audit', '/admin/report']) {
    assert.equal((await c.get(p)).status, 200, p);
  }
});

test('the audit log filters and exports CSV; the report counts the sign-ins made', async () => {
  const ad = operator('admin');
  const c = await console(ad);
  const person = makeUser();
  const client = makeClient();
  const before = await c.get(`/admin/report?format=csv`);
  const countOf = (csv) => {
    const line = csv.split('\r\n').find((l) => l.startsWith(`${client.id},`));
    return line ? Number(line.split(',')[5]) : 0;
  };
  assert.equal(countOf(before.text), 0);
  for (let i = 0; i < 3; i++) await signIn(newJar(), client, person);
  const after = await c.get('/admin/report?format=csv');
  assert.equal(after.status, 200);
  assert.match(after.headers.get('content-type'), /^text\/csv/);
  assert.equal(countOf(after.text), 3, 'three sign-ins at the service');
  const line = after.text.split('\r\n').find((l) => l.startsWith(`${client.id},`)).split(',');
  assert.equal(line[4], '1', 'one person');
  const page = await c.get('/admin/report');
  assert.match(page.text, /<svg[^>]*role="img"/);
  assert.match(page.text, /<title id="chart-t">/);
  const csv = await c.get(`/admin/audit?user=${person.username}&event=signin.&format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="audit.csv"/);
  const rows = csv.text.trim().split('\r\n');
  assert.equal(rows[0], 'id,at,event,username,client_id,ip,actor,details');
  assert.equal(rows.length, 4);
  assert.ok(rows.slice(1).every((r) => r.includes(',signin.service,') && r.includes(person.username)));
  assert.ok(psql(`SELECT count(*) FROM audit_log WHERE event = 'audit.exported' AND actor = '${ad.username}'`) >= '1');
});

test('people pages go by name with ?after= and ?before=, and a broad count stops at 200', async () => {
  const ad = operator('admin');
  const word = unique('Paging').replace(/[^A-Za-z]/g, '');
  const made = [];
  for (let i = 0; i < 27; i++) made.push(makeUser({ name: `${word} ${String(i).padStart(2, '0')}` }));
  const c = await console(ad);
  const ids = (html) => [...html.matchAll(/href="\/admin\/person\?id=(\d+)"/g)].map((m) => m[1]);
  const first = await c.get(`/admin/people?q=${word}`);
  assert.equal(first.status, 200);
  assert.match(first.text, /27 orang ditemukan/);
  const one = ids(first.text);
  assert.equal(one.length, 25);
  assert.doesNotMatch(first.text, /rel="prev"/);
  const next = /href="([^"]*after=(\d+))" rel="next"/.exec(first.text);
  assert.ok(next, 'a link to the next page');
  assert.equal(next[2], one.at(-1));
  const second = await c.get(next[1].replace(/&amp;/g, '&'));
  const two = ids(second.text);
  assert.equal(two.length, 2);
  assert.doesNotMatch(second.text, /rel="next"/);
  assert.match(second.text, /Halaman pertama/);
  const prev = /href="([^"]*before=(\d+))" rel="prev"/.exec(second.text);
  assert.equal(prev[2], two[0]);
  const back = await c.get(prev[1].replace(/&amp;/g, '&'));
  assert.deepEqual(ids(back.text), one);
  const names = [...first.text.matchAll(new RegExp(`>(${word} \\d\\d)<`, 'g'))].map((m) => m[1]);
  assert.deepEqual(names, [...names].sort());
  // 210 people of one word: the count says "more than 200", the page 25.
  const many = unique('Banyak').replace(/[^A-Za-z]/g, '');
  psql(`INSERT INTO users (username, name) SELECT '${many.toLowerCase()}.' || g,
    '${many} ' || lpad(g::text, 3, '0') FROM generate_series(1, 210) g`);
  const broad = await c.get(`/admin/people?q=${many}`);
  assert.equal(broad.status, 200);
  assert.match(broad.text, /Lebih dari 200 orang ditemukan/);
  assert.equal(ids(broad.text).length, 25);
  assert.match(broad.text, new RegExp(`>${many} 001<`));
  // Too short for a trigram: the name-order walk, same rules.
  const short = await c.get('/admin/people?q=e');
  assert.equal(short.status, 200);
  assert.equal(ids(short.text).length, 25);
  // Every kind of query pages both ways (its own statements).
  const nip = psql(`SELECT nip FROM users WHERE nip IS NOT NULL LIMIT 1`);
  for (const q of [word, many, `${many.toLowerCase()}.1`, 'e', nip.slice(0, 4) || '19', '']) {
    for (const dir of ['after', 'before']) {
      const r = await c.get(`/admin/people?q=${encodeURIComponent(q)}&${dir}=${one[3]}`);
      assert.equal(r.status, 200, `${q} ${dir}`);
    }
  }
  const tail = await c.get(`/admin/people?q=${many.toLowerCase()}.1&after=${ids(broad.text)[0]}`);
  assert.equal(tail.status, 200);
});

test('sign-out deliveries: the failing services for admin and auditor, 403 for helpdesk', async () => {
  const failing = await logoutService('Layanan Menolak', 400);
  const fine = await logoutService('Layanan Baik', 200);
  for (const role of ['admin', 'auditor']) {
    const c = await console(operator(role));
    const r = await c.get('/admin/deliveries');
    assert.equal(r.status, 200, role);
    assert.match(r.text, /href="\/admin\/deliveries"/, 'in the navigation');
    const row = new RegExp(`<td>${failing.id}</td><td>0</td><td>0</td><td>1</td><td>-</td><td>[^<]*400[^<]*</td>`);
    assert.match(r.text, row);
    assert.doesNotMatch(r.text, new RegExp(`<td>${fine.id}</td>`), 'a service that is not failing is left out');
    const all = await c.get('/admin/deliveries?all=yes');
    assert.match(all.text, new RegExp(`<td>${fine.id}</td>`));
    assert.equal((await c.get('/admin/deliveries?all=no')).status, 400);
    assert.equal((await c.get('/admin/deliveries?all=')).status, 400);
    if (role === 'admin') {
      const csrf = csrfOf((await c.get('/admin/keys')).text);
      assert.equal((await c.post('/admin/deliveries', { csrf_token: csrf })).status, 405);
    }
  }
  const hd = await console(operator('helpdesk'));
  assert.equal((await hd.get('/admin/deliveries')).status, 403);
});

test('an admin rotates the signing keys from the Keys page; the JWKS changes; an auditor cannot', async () => {
  const ad = operator('admin');
  const c = await console(ad);
  const kids = async () => (await http('GET', '/jwks')).json.keys.map((k) => k.kid).sort();
  const before = await kids();
  const page = await c.get('/admin/keys');
  assert.equal(page.status, 200);
  assert.match(page.text, /<form method="post" action="\/admin\/keys"/);
  const csrf = csrfOf(page.text);
  assert.equal((await c.post('/admin/keys', { csrf_token: csrf, action: 'rotate', when: 'later' })).status, 400);
  assert.equal((await c.post('/admin/keys', { csrf_token: csrf, action: 'explode', when: 'now' })).status, 400);
  assert.equal((await c.post('/admin/keys', { csrf_token: csrf, action: 'rotate' })).status, 400);
  assert.equal((await c.post('/admin/keys', { action: 'rotate', when: 'now', confirm: 'yes' })).status, 403);
  const ask = await c.post('/admin/keys', { csrf_token: csrf, action: 'rotate', when: 'now' });
  assert.equal(ask.status, 200);
  assert.match(ask.text, /Rotasi kunci penandatanganan\?/);
  assert.deepEqual(await kids(), before, 'nothing before the confirmation');
  const done = await c.post('/admin/keys', { csrf_token: csrf, action: 'rotate', when: 'now', confirm: 'yes' });
  assert.equal(done.status, 303);
  assert.equal(done.location, '/admin/keys');
  const after = await kids();
  const added = after.filter((k) => !before.includes(k));
  assert.ok(added.length >= 1, `new kids in the JWKS: ${after} after ${before}`);
  assert.ok(before.every((k) => after.includes(k)), 'the old keys stay published');
  for (const kid of added) {
    assert.equal(psql(`SELECT actor || ':' || (actor_user_id IS NOT NULL) FROM audit_log
      WHERE event = 'key.activated' AND details->>'kid' = '${kid}'`), `${ad.username}:true`);
  }
  assert.match((await c.get('/admin/keys')).text, /Kunci baru telah dibuat/);
  const au = await console(operator('auditor'));
  assert.equal((await au.get('/admin/keys')).status, 403);
  assert.equal((await au.post('/admin/keys', { action: 'rotate', when: 'now', confirm: 'yes' })).status, 403);
  assert.deepEqual(await kids(), after, 'the auditor changed nothing');
});

test('bad input on the console is refused with 400 or 404, never a 500', async () => {
  const ad = operator('admin');
  const c = await console(ad);
  const cases = [
    [`/admin/people?q=${'a'.repeat(101)}`, 400],
    ['/admin/people?q=%FF', 400],
    ['/admin/people?q=%25_%5C', 200],
    ['/admin/people?page=abc', 200],
    ['/admin/people?after=abc', 400],
    ['/admin/people?after=-3', 400],
    ['/admin/people?after=0', 400],
    ['/admin/people?before=1.5', 400],
    ['/admin/people?after=1&before=2', 400],
    ['/admin/people?after=99999999999999', 200],
    ['/admin/people?before=99999999999999999999', 400],
    ['/admin/people?q=i&after=1', 200],
    ['/admin/person', 400],
    ['/admin/person?id=abc', 400],
    ['/admin/person?id=-1', 400],
    ['/admin/person?id=99999999999', 404],
    ['/admin/audit?since=yesterday', 400],
    ['/admin/audit?until=2026-02-30', 400],
    ['/admin/audit?event=a%20b', 400],
    ['/admin/audit?user=nobody.here', 400],
    ['/admin/audit?before=x', 400],
    ['/admin/audit?format=xml', 400],
    ['/admin/clients?status=gone', 400],
    ['/admin/report?format=pdf', 400],
    ['/admin/nowhere', 404],
  ];
  for (const [p, status] of cases) {
    const r = await c.get(p);
    assert.equal(r.status, status, `${p}: ${r.status}`);
  }
  const csrf = csrfOf((await c.get('/admin/clients')).text);
  assert.equal((await c.post('/admin/person', { csrf_token: csrf, id: '1', action: 'fly' })).status, 400);
  assert.equal((await c.post('/admin/clients', { csrf_token: csrf })).status, 400);
});

test('with console_require_second_factor the console refuses a password-only session', async () => {
  const idp = await startIdp({ IDP_CONSOLE_REQUIRE_SECOND_FACTOR: 'true' });
  try {
    const ad = operator('admin');
    const c = await console(ad, idp.url);
    const r = await c.get('/admin');
    assert.equal(r.status, 403);
    assert.match(r.text, /Faktor kedua diperlukan/);
    assert.equal((await c.get('/admin/people')).status, 403);
  } finally { await idp.stop(); }
});
