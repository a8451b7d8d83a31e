// Pairwise subject identifiers (OIDC Core §8.1): one sub per sector,
// the same for the clients of a sector, never the public sub, and the
// same wherever the client meets it (ID token, userinfo, introspection,
// JWT access tokens, hints). The sector identifier document is fetched
// through the outbound fetcher at registration and at every update, and
// refused when it misses a redirect URI, is not https, names a refused
// address, is too large or is not a JSON array. The stack's idp runs with
// outbound_allow_loopback (the documents are served on loopback); a second
// idp without it shows the refusals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, formInputs, http, idpctl, psql, startIdp, unique } from './lib.mjs';
import { authorizeUrl, basic, callback, exchange, makeClient, makeUser, newJar, signIn,
  submitLogin, userinfo } from './flow.mjs';
import { iat, json, reg } from './rp.mjs';

let docs;	// the sector identifier documents, by path
let strict;	// an idp without outbound_allow_loopback

before(async () => {
  docs = createServer((req, res) => {
    docs.hits += 1;
    const d = docs.routes.get(req.url);
    if (d === undefined) {
      res.statusCode = 404;
      res.end('no');
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(typeof d === 'string' ? d : JSON.stringify(d));
  });
  docs.routes = new Map();
  docs.hits = 0;
  await new Promise((r) => docs.listen(0, '127.0.0.1', r));
  docs.base = `http://127.0.0.1:${docs.address().port}`;
  strict = await startIdp({ IDP_OUTBOUND_ALLOW_LOOPBACK: 'false' });
});

after(async () => {
  docs?.close();
  await strict?.stop();
});

// Serve doc at a new path; returns its URI.
function sector(doc) {
  const path = `/${unique('sektor-')}.json`;
  docs.routes.set(path, doc);
  return docs.base + path;
}

// A self-registered client (approved at once).
async function register(body, base) {
  const r = await reg({ client_name: unique('Mitra Sektor '), ...body }, iat('1'), base);
  return r;
}

async function client(body) {
  const r = await register(body);
  assert.equal(r.status, 201, r.text);
  return { id: r.json.client_id, secret: r.json.client_secret, redirect: body.redirect_uris[0],
    rat: r.json.registration_access_token, uri: r.json.registration_client_uri, json: r.json };
}

// Sign in to a third-party client (consent once) and exchange the code.
async function tokensOf(jar, c, user, extra = {}) {
  let r = await http('GET', authorizeUrl(c, { scope: 'openid email', ...extra }), { jar });
  if (r.status === 200 && /name="password"/.test(r.text)) r = await submitLogin(jar, r, user.username, user.password);
  if (r.status === 200) r = await http('POST', '/consent', { jar, form: { ...formInputs(r.text), decision: 'allow' } });
  assert.equal(r.status, 302, r.text.slice(0, 200));
  const t = await exchange(c, callback(r.location).code);
  assert.equal(t.status, 200, t.text);
  return t.json;
}

test('two clients of one sector see one pairwise sub; another sector another; never the public sub', async () => {
  const a = ['https://satu.mitra.go.id/cb', 'https://dua.mitra.go.id/cb'];
  const uri = sector([...a, 'https://tiga.mitra.go.id/cb']);
  const c1 = await client({ redirect_uris: [a[0]], subject_type: 'pairwise', sector_identifier_uri: uri });
  const c2 = await client({ redirect_uris: [a[1]], subject_type: 'pairwise', sector_identifier_uri: uri });
  assert.equal(c1.json.subject_type, 'pairwise');
  assert.equal(c1.json.sector_identifier_uri, uri);
  const other = await client({ redirect_uris: ['https://lain.mitra.go.id/cb'] });
  assert.equal(other.json.subject_type, 'pairwise', 'self-registered: pairwise by default');
  const pub = await client({ redirect_uris: ['https://umum.mitra.go.id/cb'], subject_type: 'public' });
  const user = makeUser();
  const jar = newJar();
  const s1 = decodeJwt((await tokensOf(jar, c1, user)).id_token).payload.sub;
  const s2 = decodeJwt((await tokensOf(jar, c2, user)).id_token).payload.sub;
  const s3 = decodeJwt((await tokensOf(jar, other, user)).id_token).payload.sub;
  const s4 = decodeJwt((await tokensOf(jar, pub, user)).id_token).payload.sub;
  assert.equal(s1, s2, 'one sector, one sub');
  assert.notEqual(s1, s3, 'another sector, another sub');
  assert.notEqual(s1, user.sub);
  assert.notEqual(s3, user.sub);
  assert.match(s1, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(s4, user.sub, 'public clients see the public sub');
  // Stable: again, and after idp restarts (the salt is in PostgreSQL).
  assert.equal(decodeJwt((await tokensOf(jar, c1, user)).id_token).payload.sub, s1);
  const again = await startIdp({});
  try {
    // Another instance on the same database: the same session, the same sub.
    const r = await http('GET', again.url + authorizeUrl(c1, { scope: 'openid email' }), { jar });
    const code = callback(r.location).code;
    const t = await http('POST', `${again.url}/token`, { form: { grant_type: 'authorization_code', code,
      redirect_uri: c1.redirect }, headers: { authorization: basic(c1) } });
    assert.equal(decodeJwt(t.json.id_token).payload.sub, s1);
  } finally {
    await again.stop();
  }
  assert.equal(psql('SELECT count(*) FROM pairwise_salt'), '1');
  // Another person in the same sector: another sub.
  const other2 = makeUser();
  assert.notEqual(decodeJwt((await tokensOf(newJar(), c1, other2)).id_token).payload.sub, s1);
});

test('a pairwise client meets its sub everywhere: userinfo, introspection, JWT access tokens, refresh', async () => {
  const uri = sector(['https://jwt.mitra.go.id/cb']);
  const r = await register({ redirect_uris: ['https://jwt.mitra.go.id/cb'], sector_identifier_uri: uri,
    access_token_format: 'jwt', grant_types: ['authorization_code', 'refresh_token'],
    scope: 'openid email offline_access' });
  assert.equal(r.status, 201, r.text);
  const c = { id: r.json.client_id, secret: r.json.client_secret, redirect: 'https://jwt.mitra.go.id/cb' };
  const user = makeUser();
  const t = await tokensOf(newJar(), c, user, { scope: 'openid email offline_access', prompt: 'consent' });
  const sub = decodeJwt(t.id_token).payload.sub;
  assert.notEqual(sub, user.sub);
  assert.equal(decodeJwt(t.access_token).payload.sub, sub, 'the JWT access token');
  assert.equal((await userinfo(t.access_token)).json.sub, sub, 'userinfo');
  const intro = await http('POST', '/introspect', { form: { token: t.access_token },
    headers: { authorization: basic(c) } });
  assert.equal(intro.json.active, true);
  assert.equal(intro.json.sub, sub, 'introspection');
  assert.equal(intro.json.username, undefined, 'no username to join sectors by');
  const rt = await http('POST', '/introspect', { form: { token: t.refresh_token, token_type_hint: 'refresh_token' },
    headers: { authorization: basic(c) } });
  assert.equal(rt.json.sub, sub);
  assert.equal(rt.json.username, undefined);
  const f = await http('POST', '/token', { form: { grant_type: 'refresh_token', refresh_token: t.refresh_token },
    headers: { authorization: basic(c) } });
  assert.equal(decodeJwt(f.json.id_token).payload.sub, sub, 'a refreshed ID token');
});

test('hints name the pairwise sub: id_token_hint, login_hint, a claims request for sub, and logout', async () => {
  const c = await client({ redirect_uris: ['https://petunjuk.mitra.go.id/cb'],
    post_logout_redirect_uris: ['https://petunjuk.mitra.go.id/bye'] });
  const user = makeUser();
  const jar = newJar();
  const t = await tokensOf(jar, c, user);
  const sub = decodeJwt(t.id_token).payload.sub;
  for (const ask of [{ id_token_hint: t.id_token }, { login_hint: sub },
    { claims: JSON.stringify({ id_token: { sub: { value: sub } } }) }]) {
    const r = await http('GET', authorizeUrl(c, { scope: 'openid email', prompt: 'none', ...ask }), { jar });
    assert.equal(r.status, 302);
    assert.ok(callback(r.location).code, `${Object.keys(ask)[0]} matches the session`);
  }
  const wrong = await http('GET', authorizeUrl(c, { scope: 'openid email', prompt: 'none', login_hint: user.sub }),
    { jar });
  assert.equal(callback(wrong.location).error, 'login_required', 'the public sub is not this client\'s');
  const byName = await http('GET', authorizeUrl(c, { scope: 'openid email', prompt: 'none',
    login_hint: user.username.toUpperCase() }), { jar });
  assert.ok(callback(byName.location).code, 'a username is a login_hint too');
  const out = await http('GET', `/logout?id_token_hint=${t.id_token}&post_logout_redirect_uri=${
    encodeURIComponent('https://petunjuk.mitra.go.id/bye')}`, { jar });
  assert.equal(out.status, 302, 'the hint names the signed-in person: no question');
  assert.match(out.location, /^https:\/\/petunjuk\.mitra\.go\.id\/bye/);
});

test('the sector identifier document must list every redirect URI, as an https JSON array of at most 64 KiB', async () => {
  const cb = ['https://a.sektor.go.id/cb', 'https://b.sektor.go.id/cb'];
  const cases = [
    [sector([cb[0]]), /does not list the redirect URI https:\/\/b\.sektor\.go\.id\/cb/],
    [sector({ redirect_uris: cb }), /not a JSON array/],
    [sector('[1,2]'), /not a string/],
    [sector('[]'), /not a JSON array/],
    [sector('not json'), /not a JSON array/],
    [sector(JSON.stringify([...cb, 'x'.repeat(70 * 1024)])), /larger than 64 KiB/],
    [`${docs.base}/nothing-here.json`, /answered HTTP 404/],
    ['http://sektor.example.go.id/s.json', /^sector_identifier_uri: URI must use https|sector_identifier_uri:/],
    ['https://10.1.2.3/s.json', /^sector_identifier_uri:/],
    ['https://169.254.169.254/latest/meta-data/', /^sector_identifier_uri:/],
    ['sektor.json', /^sector_identifier_uri:/],
  ];
  for (const [uri, why] of cases) {
    const r = await register({ redirect_uris: cb, subject_type: 'pairwise', sector_identifier_uri: uri });
    assert.equal(r.status, 400, uri);
    assert.equal(r.json.error, 'invalid_client_metadata', uri);
    assert.match(r.json.error_description, why, uri);
  }
  const n = await register({ redirect_uris: cb, subject_type: 'pairwise', sector_identifier_uri: 7 });
  assert.equal(n.json.error, 'invalid_client_metadata');
  const t = await register({ redirect_uris: cb, subject_type: 'anonymous' });
  assert.match(t.json.error_description, /subject_type must be public or pairwise/);
  const two = await register({ redirect_uris: cb, subject_type: 'pairwise' });
  assert.match(two.json.error_description, /needs a sector_identifier_uri/, 'two hosts, no sector (§8.1)');
  assert.equal((await register({ redirect_uris: cb })).json.subject_type, 'public',
    'two hosts without a sector: public by default');
});

test('a name that resolves to a refused address is refused when fetched, with an audit row', async () => {
  const before0 = Number(psql("SELECT count(*) FROM audit_log WHERE event = 'outbound.refused' " +
    "AND details->>'purpose' = 'sector_identifier_uri'"));
  const r = await register({ redirect_uris: ['https://x.sektor.go.id/cb'], subject_type: 'pairwise',
    sector_identifier_uri: `https://localhost:${docs.address().port}/s.json` }, strict.url);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error, 'invalid_client_metadata');
  assert.match(r.json.error_description, /sector_identifier_uri: the address is not allowed/);
  const after0 = Number(psql("SELECT count(*) FROM audit_log WHERE event = 'outbound.refused' " +
    "AND details->>'purpose' = 'sector_identifier_uri'"));
  assert.equal(after0, before0 + 1);
  // Loopback over plain http is for the development setting only.
  const h = await register({ redirect_uris: ['https://x.sektor.go.id/cb'], subject_type: 'pairwise',
    sector_identifier_uri: sector(['https://x.sektor.go.id/cb']) }, strict.url);
  assert.equal(h.json.error, 'invalid_client_metadata');
});

test('an update fetches the document again and keeps the subject type it does not name', async () => {
  const cb = 'https://ubah.sektor.go.id/cb';
  const path = `/${unique('ubah-')}.json`;
  docs.routes.set(path, [cb]);
  const c = await client({ redirect_uris: [cb], subject_type: 'pairwise', sector_identifier_uri: docs.base + path });
  const put = (body) => http('PUT', c.uri, json({ client_id: c.id, client_secret: c.secret, ...body }, c.rat));
  const hits = docs.hits;
  const same = await put({ client_name: c.json.client_name, redirect_uris: [cb], sector_identifier_uri: docs.base + path });
  assert.equal(same.status, 200, same.text);
  assert.equal(same.json.subject_type, 'pairwise', 'kept without naming it');
  assert.equal(docs.hits, hits + 1, 'fetched again');
  docs.routes.set(path, ['https://lain.sektor.go.id/cb']);
  const gone = await put({ client_name: c.json.client_name, redirect_uris: [cb], sector_identifier_uri: docs.base + path });
  assert.equal(gone.status, 400);
  assert.match(gone.json.error_description, /does not list the redirect URI/);
  // A client registered public stays public through an update that does not say.
  const p = await client({ redirect_uris: ['https://umum.sektor.go.id/cb'], subject_type: 'public' });
  const u = await http('PUT', p.uri, json({ client_id: p.id, client_secret: p.secret,
    redirect_uris: ['https://umum.sektor.go.id/cb'] }, p.rat));
  assert.equal(u.json.subject_type, 'public');
});

// idpctl without blocking this process, which serves the documents.
function idpctlAsync(args) {
  return new Promise((resolve) => {
    const p = spawn(process.env.IDP_CTL, args);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (status) => {
      let parsed;
      try { parsed = JSON.parse(stdout); } catch { parsed = undefined; }
      resolve({ status, stdout, stderr, json: parsed });
    });
  });
}

test('manifests: public by default, pairwise on request, the sector document checked by idpctl', async () => {
  const m = makeClient();
  const user = makeUser();
  const { params, verifier } = await signIn(newJar(), m, user);
  assert.equal(decodeJwt((await exchange(m, params.code, verifier)).json.id_token).payload.sub, user.sub);
  const cb = 'https://manifest.sektor.go.id/cb';
  const id = unique('rp-');
  const add = await idpctlAsync(['--json', 'client', 'add', id, '--name', `Layanan ${id}`, '--redirect-uri', cb,
    '--grant', 'authorization_code', '--first-party', '--scope', 'openid', '--subject-type', 'pairwise',
    '--sector-identifier-uri', sector([cb])]);
  assert.equal(add.status, 0, add.stderr);
  const pw = { id, secret: add.json.client_secret, redirect: cb };
  const s = await signIn(newJar(), pw, user, { scope: 'openid' });
  const sub = decodeJwt((await exchange(pw, s.params.code, s.verifier)).json.id_token).payload.sub;
  assert.notEqual(sub, user.sub);
  const bad = await idpctlAsync(['client', 'add', unique('rp-'), '--name', 'Layanan Sektor', '--redirect-uri', cb,
    '--first-party', '--subject-type', 'pairwise', '--sector-identifier-uri', sector(['https://lain.go.id/cb'])]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /does not list the redirect URI/);
  const two = idpctl(['client', 'add', unique('rp-'), '--name', 'Layanan Dua Host', '--redirect-uri', cb,
    '--redirect-uri', 'https://lain.go.id/cb', '--first-party', '--subject-type', 'pairwise']);
  assert.equal(two.status, 1);
  assert.match(two.stderr, /needs a sector_identifier_uri/);
});

test('client apply fetches the documents of new and changed pairwise manifests, before its transaction', async () => {
  const dir = mkdtempSync('/tmp/idp-apply-sektor-');
  const cb = 'https://apply.sektor.go.id/cb';
  const path = `/${unique('apply-')}.json`;
  docs.routes.set(path, [cb]);
  const id = unique('rp-');
  const doc = { client_id: id, client_name: `Layanan ${id}`, first_party: true, redirect_uris: [cb],
    scope: 'openid', subject_type: 'pairwise', sector_identifier_uri: docs.base + path };
  writeFileSync(join(dir, `${id}.json`), JSON.stringify(doc));
  let hits = docs.hits;
  const first = await idpctlAsync(['--json', 'client', 'apply', dir]);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.json.clients[0].action, 'created');
  assert.equal(docs.hits, hits + 1);
  hits = docs.hits;
  const same = await idpctlAsync(['--json', 'client', 'apply', dir]);
  assert.equal(same.json.clients[0].action, 'unchanged');
  assert.equal(docs.hits, hits, 'an unchanged manifest is not fetched again');
  docs.routes.set(path, ['https://lain.sektor.go.id/cb']);
  writeFileSync(join(dir, `${id}.json`), JSON.stringify({ ...doc, client_name: `Layanan ${id} baru` }));
  const changed = await idpctlAsync(['client', 'apply', dir]);
  assert.equal(changed.status, 1);
  assert.match(changed.stderr, /does not list the redirect URI/);
  assert.equal(psql(`SELECT metadata->>'client_name' FROM clients WHERE client_id = '${id}'`), `Layanan ${id}`);
});
