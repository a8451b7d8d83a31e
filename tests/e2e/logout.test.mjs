// Single sign-out: Back-Channel Logout 1.0 from the outbox, Front-Channel
// Logout 1.0 on the signed-out page, RP-Initiated Logout 1.0, and every
// route that ends a session telling the services the session reached.
// The receivers are real HTTP servers on loopback (tests/e2e/receiver.mjs);
// tokens are verified with node's crypto against the provider's JWKS
// (tests/interop/logout.test.mjs does the same with the jose library).
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { ISSUER, decodeJwt, formInputs, http, idpctl, psql, sleep } from './lib.mjs';
import { exchange, makeClient, makeUser, newJar, signIn } from './flow.mjs';
import { LogoutReceiver } from './receiver.mjs';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

async function jwks() {
  const r = await http('GET', '/jwks');
  assert.equal(r.status, 200);
  return r.json.keys;
}

// Every rule of Back-Channel Logout 1.0 §2.4 and §2.6 a receiver checks.
export async function checkLogoutToken(token, { aud, sub, sid, iss = ISSUER }) {
  const { header, payload } = decodeJwt(token);
  assert.equal(header.typ, 'logout+jwt');
  assert.equal(header.alg, 'RS256');
  const jwk = (await jwks()).find((k) => k.kid === header.kid);
  assert.ok(jwk, 'signed with a published key');
  const [h, p, s] = token.split('.');
  assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(s, 'base64url')), 'the signature verifies');
  assert.equal(payload.iss, iss);
  assert.equal(payload.aud, aud);
  assert.equal(payload.sub, sub);
  assert.equal(payload.sid, sid);
  assert.ok(Number.isInteger(payload.iat) && Math.abs(payload.iat - Date.now() / 1000) < 60);
  assert.ok(payload.exp > payload.iat && payload.exp - payload.iat <= 300, 'a short exp');
  assert.match(payload.jti, /^[0-9a-f-]{36}$/);
  assert.deepEqual(payload.events, { [EVENT]: {} });
  assert.equal(payload.nonce, undefined, 'a logout token never has a nonce');
  return payload;
}

// One person signed in to each client with one login; returns the ID
// tokens' claims by client.
async function signInAll(jar, user, clients) {
  const out = {};
  for (const c of clients) {
    const { params, verifier } = await signIn(jar, c, user);
    const t = await exchange(c, params.code, verifier);
    assert.equal(t.status, 200, t.text);
    out[c.id] = { idToken: t.json.id_token, claims: decodeJwt(t.json.id_token).payload };
  }
  return out;
}

async function receivers(n) {
  return Promise.all(Array.from({ length: n }, () => new LogoutReceiver().start()));
}

test('discovery advertises back- and front-channel logout with sessions', async () => {
  const d = (await http('GET', '/.well-known/openid-configuration')).json;
  assert.equal(d.backchannel_logout_supported, true);
  assert.equal(d.backchannel_logout_session_supported, true);
  assert.equal(d.frontchannel_logout_supported, true);
  assert.equal(d.frontchannel_logout_session_supported, true);
  assert.equal(d.end_session_endpoint, `${ISSUER}/logout`);
});

// Sending is background work: the outbox's threads (its workers, the
// logout lane) run at nice 10 and yield the cores to the request threads.
test('the threads that deliver are named and run below the request threads', () => {
  const task = `/proc/${process.env.IDP_PID}/task`;
  const threads = readdirSync(task).map((t) => {
    const stat = readFileSync(`${task}/${t}/stat`, 'utf8');
    return { name: readFileSync(`${task}/${t}/comm`, 'utf8').trim(),
      nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) };
  });
  const senders = threads.filter((t) => t.name.startsWith('outbox'));
  const requests = threads.filter((t) => t.name.startsWith('MHD'));
  assert.ok(senders.some((t) => t.name === 'outbox-logout'), JSON.stringify(threads));
  assert.ok(requests.length > 0, JSON.stringify(threads));
  for (const t of senders) assert.equal(t.nice, 10, t.name);
  for (const t of requests) assert.equal(t.nice, 0, t.name);
});

test('registration refuses back-channel URIs with a fragment, plain http, a private address', () => {
  const strict = { IDP_OUTBOUND_ALLOW_LOOPBACK: 'false' };
  for (const [uri, env, why] of [
    ['https://rp.example.go.id/bcl#x', {}, /fragment/],
    ['http://rp.example.go.id/bcl', {}, /https/],
    ['https://10.1.2.3/bcl', {}, /address|private|refused/i],
    ['http://127.0.0.1:9/bcl', strict, /https/],
  ]) {
    const r = idpctl(['client', 'add', `bad-bcl-${Math.random().toString(36).slice(2, 8)}`, '--name',
      'Layanan Uji', '--redirect-uri', 'https://rp.example.go.id/cb', '--grant', 'authorization_code',
      '--backchannel-logout-uri', uri], { env });
    assert.notEqual(r.status, 0, `${uri} was accepted`);
    assert.match(r.stderr, /backchannel_logout_uri/);
    assert.match(r.stderr, why);
  }
  const f = idpctl(['client', 'add', 'bad-fcl-x1', '--name', 'Layanan Uji', '--redirect-uri',
    'https://rp.example.go.id/cb', '--grant', 'authorization_code', '--frontchannel-logout-uri',
    'https://rp.example.go.id/fcl#frag']);
  assert.notEqual(f.status, 0);
  assert.match(f.stderr, /fragment/);
});

test('one sign-out reaches three services; the signed-out page lists them and frames the front-channel one', async () => {
  const rx = await receivers(3);
  const clients = rx.map((r, i) => makeClient({ name: `Layanan Tiga ${i}`, backchannel: r.url,
    postLogout: ['https://rp.example.go.id/signed-out'] }));
  const front = makeClient({ name: 'Layanan Bingkai', frontchannel: 'https://fc.example.go.id/fcl?x=1' });
  const user = makeUser();
  const jar = newJar();
  const ids = await signInAll(jar, user, [...clients, front]);
  const sid = ids[clients[0].id].claims.sid;
  assert.ok(sid);
  for (const c of clients) assert.equal(ids[c.id].claims.sid, sid, 'one session, one sid');

  const r = await http('GET', `/logout?${new URLSearchParams({ id_token_hint: ids[clients[0].id].idToken,
    post_logout_redirect_uri: 'https://rp.example.go.id/signed-out', state: 'st1', ui_locales: 'en' })}`, { jar });
  // A front-channel service must load in this browser first: the page,
  // with the way back to the service that asked.
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.text, /You have signed out/);
  for (const n of ['Layanan Tiga 0', 'Layanan Tiga 1', 'Layanan Tiga 2', 'Layanan Bingkai'])
    assert.match(r.text, new RegExp(`<li>${n}</li>`));
  const frame = /<iframe[^>]*src="([^"]+)"/.exec(r.text);
  assert.ok(frame, 'an iframe for the front-channel service');
  const src = new URL(frame[1].replace(/&amp;/g, '&'));
  assert.equal(src.origin + src.pathname, 'https://fc.example.go.id/fcl');
  assert.equal(src.searchParams.get('x'), '1');
  assert.equal(src.searchParams.get('iss'), ISSUER);
  assert.equal(src.searchParams.get('sid'), sid);
  assert.match(r.headers.get('content-security-policy'), /frame-src https:\/\/fc\.example\.go\.id;/);
  assert.match(r.text, /href="https:\/\/rp\.example\.go\.id\/signed-out\?state=st1"/);
  assert.match(r.text, /href="\/login\?next=%2Faccount"/);

  const jtis = new Set();
  for (const [i, rec] of rx.entries()) {
    const got = await rec.waitFor(1);
    assert.equal(got.length, 1, `service ${i} received its token`);
    assert.equal(got[0].contentType, 'application/x-www-form-urlencoded');
    const p = await checkLogoutToken(got[0].token, { aud: clients[i].id, sub: user.sub, sid });
    jtis.add(p.jti);
  }
  assert.equal(jtis.size, 3, 'a jti of its own per token');
  const st = idpctl(['--json', 'logout', 'status', '--client', clients[0].id]);
  assert.equal(st.status, 0, st.stderr);
  assert.deepEqual(st.json.services.map((s) => [s.client_id, s.delivered, s.failed]),
    [[clients[0].id, 1, 0]]);
  await Promise.all(rx.map((x) => x.stop()));
});

test('a pairwise service gets its own sub in the logout token, the one of its ID tokens', async () => {
  const [rx] = await receivers(1);
  const c = makeClient({ backchannel: rx.url, args: ['--subject-type', 'pairwise'] });
  const user = makeUser();
  const jar = newJar();
  const ids = await signInAll(jar, user, [c]);
  const sub = ids[c.id].claims.sub;
  assert.notEqual(sub, user.sub, 'the client is pairwise');
  await http('GET', `/logout?id_token_hint=${ids[c.id].idToken}`, { jar });
  const [got] = await rx.waitFor(1);
  assert.ok(got);
  await checkLogoutToken(got.token, { aud: c.id, sub, sid: ids[c.id].claims.sid });
  await rx.stop();
});

test('without front-channel services the sign-out goes straight back with state', async () => {
  const [rx] = await receivers(1);
  const c = makeClient({ backchannel: rx.url, postLogout: ['https://rp.example.go.id/out'] });
  const user = makeUser();
  const jar = newJar();
  const ids = await signInAll(jar, user, [c]);
  const r = await http('GET', `/logout?${new URLSearchParams({ id_token_hint: ids[c.id].idToken,
    post_logout_redirect_uri: 'https://rp.example.go.id/out', state: 'abc' })}`, { jar });
  assert.equal(r.status, 302);
  assert.equal(r.location, 'https://rp.example.go.id/out?state=abc');
  assert.equal((await rx.waitFor(1)).length, 1);
  await rx.stop();
});

test('client_id must be the audience of id_token_hint; unregistered return URIs are refused', async () => {
  const a = makeClient({ postLogout: ['https://rp.example.go.id/out'] });
  const b = makeClient({ postLogout: ['https://rp.example.go.id/out'] });
  const user = makeUser();
  const jar = newJar();
  const ids = await signInAll(jar, user, [a]);
  const r = await http('GET', `/logout?${new URLSearchParams({ id_token_hint: ids[a.id].idToken,
    client_id: b.id })}`, { jar });
  assert.equal(r.status, 400);
  const o = await http('GET', `/logout?${new URLSearchParams({ client_id: a.id,
    post_logout_redirect_uri: 'https://evil.example.com/' })}`, { jar, headers: { accept: 'text/html' } });
  assert.equal(o.status, 400);
  assert.equal(o.location, null, 'never an open redirect');
});

test('a service that is down receives its token when it is back', async () => {
  const [rx] = await receivers(1);
  const c = makeClient({ backchannel: rx.url });
  const user = makeUser();
  const jar = newJar();
  const ids = await signInAll(jar, user, [c]);
  await rx.stop();
  const r = await http('GET', `/logout?id_token_hint=${ids[c.id].idToken}`, { jar });
  assert.equal(r.status, 200);
  let row;
  for (let i = 0; i < 100; i++) {
    row = psql(`SELECT state || ' ' || attempts FROM outbox WHERE kind = 'logout' AND label = '${c.id}'`);
    if (row !== 'pending 0') break;
    await sleep(100);
  }
  assert.match(row, /^pending [1-9]/, 'tried and kept for a retry');
  const st = idpctl(['--json', 'logout', 'status', '--client', c.id]);
  assert.equal(st.json.services[0].pending, 1);
  assert.ok(st.json.services[0].last_error);
  await rx.start();
  const got = await rx.waitFor(1, 30000);
  assert.equal(got.length, 1);
  await checkLogoutToken(got[0].token, { aud: c.id, sub: user.sub, sid: ids[c.id].claims.sid });
  await rx.stop();
});

test('a service answering 503 is paced as one: a probe at a time, then its backlog at once', async () => {
  const [rx] = await receivers(1);
  try {
    rx.status = 503;
    const c = makeClient({ backchannel: rx.url });
    const people = [];
    for (let i = 0; i < 8; i++) {
      const user = makeUser();
      const jar = newJar();
      people.push({ user, jar, ids: await signInAll(jar, user, [c]) });
    }
    for (const p of people) {
      const r = await http('GET', `/logout?id_token_hint=${p.ids[c.id].idToken}`, { jar: p.jar });
      assert.equal(r.status, 200);
    }
    // With the tests' backoff (1 s, at most 2 s) each row on its own
    // would be tried 3 or 4 times in these 4 s: over 24 calls.
    await sleep(4000);
    assert.ok(rx.hits >= 2 && rx.hits <= 8, `${rx.hits} calls while it answered 503`);
    const waiting = psql(`SELECT count(*) FROM outbox WHERE kind = 'logout' AND label = '${c.id}'
      AND state = 'pending'`);
    assert.equal(waiting, '8');
    rx.status = 200;
    const before = rx.tokens.length;
    const t0 = Date.now();
    const got = (await rx.waitFor(before + 8, 10000)).slice(before);
    assert.equal(got.length, 8, 'the backlog went once the probe was answered');
    assert.ok(Date.now() - t0 < 5000, `delivered ${Date.now() - t0} ms after the service was back`);
    assert.equal(new Set(got.map((g) => decodeJwt(g.token).payload.jti)).size, 8);
    for (const p of people) {
      const mine = got.find((g) => decodeJwt(g.token).payload.sub === p.user.sub);
      assert.ok(mine, 'every person has a token');
      await checkLogoutToken(mine.token, { aud: c.id, sub: p.user.sub, sid: p.ids[c.id].claims.sid });
    }
    let row;
    for (let i = 0; i < 50; i++) {
      row = psql(`SELECT count(*) FILTER (WHERE state = 'delivered') FROM outbox
        WHERE kind = 'logout' AND label = '${c.id}'`);
      if (row === '8') break;
      await sleep(100);
    }
    assert.equal(row, '8');
  } finally {
    await rx.stop();
  }
});

test('a service answering 400 is recorded as failed with the status and not retried', async () => {
  const [rx] = await receivers(1);
  rx.status = 400;
  const c = makeClient({ backchannel: rx.url });
  const user = makeUser();
  const jar = newJar();
  const ids = await signInAll(jar, user, [c]);
  await http('GET', `/logout?id_token_hint=${ids[c.id].idToken}`, { jar });
  await rx.waitFor(1);
  let row;
  for (let i = 0; i < 50; i++) {
    row = psql(`SELECT state || ' ' || attempts || ' ' || coalesce(last_status, 0) FROM outbox
      WHERE kind = 'logout' AND label = '${c.id}'`);
    if (row.startsWith('failed')) break;
    await sleep(100);
  }
  assert.equal(row, 'failed 1 400');
  await sleep(3000);
  assert.equal(rx.hits, 1, 'not retried');
  const st = idpctl(['--json', 'logout', 'status', '--failed']);
  const mine = st.json.services.find((s) => s.client_id === c.id);
  assert.equal(mine.failed, 1);
  assert.equal(mine.last_status, 400);
  assert.match(mine.last_error, /400/);
  await rx.stop();
});

test('a slow service and one answering 10 MB are cut off without holding up the others', async () => {
  const [slow, fast] = await receivers(2);
  slow.delayMs = 15000;
  const big = await new Promise((resolve) => {
    import('node:http').then(({ createServer }) => {
      const s = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(200);
          const chunk = Buffer.alloc(1024 * 1024, 120);
          for (let i = 0; i < 10; i++) res.write(chunk);
          res.end();
        });
      });
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
  });
  const cs = makeClient({ backchannel: slow.url });
  const cb = makeClient({ backchannel: `http://127.0.0.1:${big.address().port}/bcl` });
  const cf = makeClient({ backchannel: fast.url });
  const user = makeUser();
  const jar = newJar();
  const ids = await signInAll(jar, user, [cs, cb, cf]);
  const t0 = Date.now();
  await http('GET', `/logout?id_token_hint=${ids[cf.id].idToken}`, { jar });
  const got = await fast.waitFor(1, 4000);
  assert.equal(got.length, 1, 'the fast service was told while the slow one hung');
  assert.ok(Date.now() - t0 < 4000);
  let row;
  for (let i = 0; i < 100; i++) {
    row = psql(`SELECT state FROM outbox WHERE kind = 'logout' AND label = '${cb.id}'`);
    if (row !== 'pending') break;
    await sleep(100);
  }
  assert.equal(row, 'delivered', 'a 200 status counts; the body is not read');
  for (let i = 0; i < 100; i++) {
    row = psql(`SELECT attempts || ' ' || coalesce(last_error, '-') FROM outbox
      WHERE kind = 'logout' AND label = '${cs.id}'`);
    if (!row.startsWith('0 ')) break;
    await sleep(100);
  }
  assert.match(row, /^[1-9]/, 'the slow call was given up after logout_timeout');
  slow.delayMs = 0;
  await slow.waitFor(2, 30000);
  await Promise.all([slow.stop(), fast.stop(), new Promise((r) => big.close(r))]);
});

test('every route that ends a session tells the services', async (t) => {
  const [rx] = await receivers(1);
  t.after(() => rx.stop());
  const c = makeClient({ backchannel: rx.url });
  async function session(user) {
    const jar = newJar();
    const ids = await signInAll(jar, user, [c]);
    return { jar, sid: ids[c.id].claims.sid };
  }
  async function expectToken(user, sid) {
    const end = Date.now() + 20000;
    while (Date.now() < end) {
      for (const x of rx.tokens) {
        const p = decodeJwt(x.token).payload;
        if (p.sid === sid) return checkLogoutToken(x.token, { aud: c.id, sub: user.sub, sid });
      }
      await sleep(50);
    }
    assert.fail(`no logout token for ${sid}`);
  }

  await t.test('/account sign-out', async () => {
    const u = makeUser();
    const s = await session(u);
    const acc = await http('GET', '/account', { jar: s.jar });
    assert.equal(acc.status, 200);
    const m = /<form[^>]*action="\/logout"[\s\S]*?<\/form>/.exec(acc.text);
    assert.ok(m, 'the account page has a sign-out form');
    const r = await http('POST', '/logout', { jar: s.jar, form: formInputs(m[0]) });
    assert.equal(r.status, 200);
    assert.match(r.text, /Anda sudah keluar/);
    assert.match(r.text, /Masuk lagi/);
    await expectToken(u, s.sid);
  });

  await t.test('/account/sessions: ending another session', async () => {
    const u = makeUser();
    const old = await session(u);
    const now = await session(u);
    const page = await http('GET', '/account/sessions', { jar: now.jar });
    const id = psql(`SELECT id FROM sessions WHERE sid = '${old.sid}'`);
    const f = formInputs(page.text);
    const ask = await http('POST', '/account/sessions', { jar: now.jar,
      form: { csrf_token: f.csrf_token, action: 'end', session: id } });
    assert.equal(ask.status, 200);
    const r = await http('POST', '/account/sessions', { jar: now.jar, form: formInputs(ask.text) });
    assert.equal(r.status, 303, r.text.slice(0, 200));
    await expectToken(u, old.sid);
  });

  await t.test('/account/sessions: signing out everywhere, this browser too', async () => {
    const u = makeUser();
    const a = await session(u);
    const b = await session(u);
    const page = await http('GET', '/account/sessions', { jar: b.jar });
    assert.match(page.text, /value="end_all"/);
    const f = formInputs(page.text);
    const ask = await http('POST', '/account/sessions', { jar: b.jar,
      form: { csrf_token: f.csrf_token, action: 'end_all' } });
    assert.equal(ask.status, 200);
    assert.match(ask.text, /Keluar dari semua perangkat\?/);
    const r = await http('POST', '/account/sessions', { jar: b.jar, form: formInputs(ask.text) });
    assert.equal(r.status, 200);
    assert.match(r.text, /Anda sudah keluar/);
    await expectToken(u, a.sid);
    await expectToken(u, b.sid);
    const after = await http('GET', '/account', { jar: b.jar });
    assert.equal(after.status, 303, 'this browser is signed out too');
  });

  await t.test('idpctl session list and end ID', async () => {
    const u = makeUser();
    const s = await session(u);
    const l = idpctl(['--json', 'session', 'list', '--user', u.username]);
    assert.equal(l.status, 0, l.stderr);
    const mine = l.json.sessions.find((x) => x.sid === s.sid);
    assert.ok(mine);
    assert.equal(mine.services, 1);
    const e = idpctl(['--json', 'session', 'end', String(mine.id)]);
    assert.equal(e.status, 0, e.stderr);
    assert.deepEqual(e.json, { sessions_ended: 1, grants_revoked: 1, logout_tokens: 1 });
    await expectToken(u, s.sid);
    const again = idpctl(['session', 'end', String(mine.id)]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /no live session/);
    assert.equal(idpctl(['session', 'end']).status, 2);
    assert.equal(idpctl(['session', 'end', 'abc']).status, 2);
  });

  await t.test('idpctl session end --user', async () => {
    const u = makeUser();
    const a = await session(u);
    const b = await session(u);
    const e = idpctl(['--json', 'session', 'end', '--user', u.username]);
    assert.equal(e.status, 0, e.stderr);
    assert.equal(e.json.sessions_ended, 2);
    await expectToken(u, a.sid);
    await expectToken(u, b.sid);
  });

  await t.test('idpctl user disable ends every session, revokes every grant, tells the services', async () => {
    const u = makeUser();
    const s = await session(u);
    const e = idpctl(['--json', 'user', 'disable', u.username]);
    assert.equal(e.status, 0, e.stderr);
    assert.equal(e.json.sessions_ended, 1);
    assert.equal(e.json.logout_tokens, 1);
    assert.ok(e.json.grants_revoked >= 1);
    await expectToken(u, s.sid);
    assert.equal(psql(`SELECT count(*) FROM grants g JOIN users x ON x.id = g.user_id
      WHERE x.username = '${u.username}' AND g.revoked_at IS NULL`), '0');
  });

  await t.test('another person signing in on the same browser', async () => {
    const u = makeUser();
    const s = await session(u);
    const v = makeUser();
    // A fresh password check replaces the previous person's session.
    const { params } = await signIn(s.jar, c, v, { prompt: 'login' });
    assert.ok(params.code);
    await expectToken(u, s.sid);
  });
});
