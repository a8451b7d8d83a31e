// Services the province can govern: API scopes owned by their resource
// servers (the measured escalations refused), scope requests decided by
// the owning organisation, self-registered clients pending until an
// operator approves them, confusable names, descriptive URIs off-site,
// introspection by audience, offline_access (OIDC Core §11), unknown
// scope values ignored, and the audit rows naming who did it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { env, formInputs, http, idpctl, psql, unique } from './lib.mjs';
import { TEST_ORG, addManifest, iat, json, makeApi, reg, sharedApi, testOrg } from './rp.mjs';
import { authorizeUrl, basic, callback, exchange, makeClient, makeUser, newJar, refresh,
  signIn, submitLogin, userinfo } from './flow.mjs';

// The real pusdalops-api manifest (BPBD offers bencana.read and
// bencana.write); removed afterwards so the services suite creates it.
idpctl(['org', 'import', join(env.ROOT, 'deploy/demo/organisations.csv')]);
const pusdalops = idpctl(['--json', 'client', 'add', '--manifest',
  join(env.ROOT, 'clients/pusdalops-api.json')]);
assert.equal(pusdalops.status, 0, pusdalops.stderr);
const PUSDALOPS = { id: 'pusdalops-api', secret: pusdalops.json.client_secret,
  resource: 'https://pusdalops.bpbd.baliprov.go.id/api/' };
const API = sharedApi();
after(() => { idpctl(['client', 'remove', 'pusdalops-api']); });

const CB = 'https://layanan.badungkab.go.id/oidc/callback';

function cc(client, scope, extra = {}) {
  const form = { grant_type: 'client_credentials', ...extra };
  if (scope !== undefined) form.scope = scope;
  return http('POST', '/token', { form, headers: { authorization: basic(client) } });
}

function introspectPost(client, token) {
  return http('POST', '/introspect', { form: { token, client_id: client.id, client_secret: client.secret } });
}

function lastAudit(event) {
  const row = psql(`SELECT coalesce(actor, ''), coalesce(actor_user_id::text, ''), coalesce(client_id, ''),
    details::text FROM audit_log WHERE event = '${event}' ORDER BY id DESC LIMIT 1`);
  const [actor, actorUserId, clientId, details] = row.split('|');
  return { actor, actorUserId, clientId, details: details ? JSON.parse(details) : undefined };
}

function userId(username) {
  return psql(`SELECT id FROM users WHERE username = '${username}'`);
}

function developer(org) {
  const u = makeUser();
  const r = idpctl(['member', 'add', u.username, org, 'developer']);
  assert.equal(r.status, 0, r.stderr);
  return u;
}

test('the measured escalation is refused at registration: another service\'s scope, one that exists nowhere', async () => {
  const t = iat('0');
  for (const [body, named] of [
    [{ client_name: 'Layanan Eskalasi', redirect_uris: [CB], scope: 'bencana.read idp:admin' }, /bencana\.read/],
    [{ client_name: 'Layanan Eskalasi', redirect_uris: [CB], scope: 'openid idp:admin' }, /idp:admin does not exist/],
    [{ client_name: 'Layanan Eskalasi', grant_types: ['client_credentials'], scope: 'bencana.read idp:admin' },
      /bencana\.read is not allowed/],
    [{ client_name: 'Layanan Eskalasi', redirect_uris: [CB], scope: 'openid offline_access' },
      /offline_access needs the refresh_token grant/],
  ]) {
    const r = await reg(body, t);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.error, 'invalid_client_metadata');
    assert.match(r.json.error_description, named);
  }
  // An allowed API scope registers; a later update cannot add another's.
  const ok = await reg({ client_name: 'Layanan Sah', grant_types: ['client_credentials'], scope: 'uji.read' }, t);
  assert.equal(ok.status, 201, ok.text);
  const put = await http('PUT', `/register/${ok.json.client_id}`, json({ client_id: ok.json.client_id,
    client_secret: ok.json.client_secret, grant_types: ['client_credentials'], scope: 'uji.read bencana.read' },
  ok.json.registration_access_token));
  assert.equal(put.status, 400);
  assert.equal(put.json.error, 'invalid_client_metadata');
  assert.match(put.json.error_description, /bencana\.read/);
  // Manifests too: a service of another organisation may not list it.
  const m = addManifest({ client_id: unique('manifest-'), client_name: 'Layanan Manifest', owner_organisation: TEST_ORG,
    grant_types: ['client_credentials'], scope: 'uji.read bencana.read' });
  assert.equal(m.status, 1);
  assert.match(m.stderr, /scope bencana\.read is not allowed/);
  const m2 = addManifest({ client_id: unique('manifest-'), client_name: 'Layanan Manifest', owner_organisation: TEST_ORG,
    grant_types: ['client_credentials'], scope: 'idp:admin' });
  assert.equal(m2.status, 1);
  assert.match(m2.stderr, /scope idp:admin does not exist/);
});

test('client_credentials with scope=bencana.read idp:admin: narrowed, or invalid_scope when nothing is left', async () => {
  const svc = makeClient({ grants: ['client_credentials'], redirects: [], scope: 'uji.read', org: TEST_ORG });
  const bad = await cc(svc, 'bencana.read idp:admin');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error, 'invalid_scope');
  const narrowed = await cc(svc, 'uji.read bencana.read idp:admin');
  assert.equal(narrowed.status, 200, narrowed.text);
  assert.equal(narrowed.json.scope, 'uji.read', 'RFC 6749 §3.3: the granted scope is returned');
  // A registration stored before these rules still gets nothing.
  psql(`UPDATE clients SET metadata = jsonb_set(metadata, '{scope}', '"uji.read bencana.read idp:admin"')
    WHERE client_id = '${svc.id}'`);
  assert.equal((await cc(svc, 'bencana.read idp:admin')).json.error, 'invalid_scope');
  assert.equal((await cc(svc)).json.scope, 'uji.read', 'the default is what is allowed');
  // resource (RFC 8707): a resource server the client may call, or invalid_target.
  assert.equal((await cc(svc, 'uji.read', { resource: PUSDALOPS.resource })).json.error, 'invalid_target',
    'a resource server this client may not call');
  assert.equal((await cc(svc, undefined, { resource: 'https://elsewhere.example/api' })).json.error, 'invalid_target');
  assert.equal((await cc(svc, undefined, { resource: 'not a uri' })).json.error, 'invalid_target');
  assert.equal((await cc(svc, undefined, { resource: API.resource })).json.scope, 'uji.read');
});

test('a scope request is decided by the owning organisation: approved, used, introspected, withdrawn', async () => {
  const svc = makeClient({ grants: ['client_credentials'], redirects: [], scope: 'uji.read', org: TEST_ORG,
    atFormat: 'jwt' });
  const req = idpctl(['--json', 'scope', 'request', svc.id, 'bencana.read', '--reason', 'Dasbor kebencanaan']);
  assert.equal(req.status, 0, req.stderr);
  const id = String(req.json.id);
  assert.equal(lastAudit('scope.requested').clientId, svc.id);
  assert.equal((await cc(svc, 'bencana.read')).json.error, 'invalid_scope', 'pending is not allowed');
  const pending = idpctl(['--json', 'scope', 'requests', '--state', 'pending']).json.requests;
  assert.ok(pending.some((q) => String(q.id) === id && q.server === 'pusdalops-api'
    && q.server_organisation === 'baliprov.bpbd'));
  // A developer of another organisation may not decide for BPBD.
  const other = developer(TEST_ORG);
  const refused = idpctl(['scope', 'approve', id, '--as', other.username]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /not allowed/);
  const bpbd = developer('baliprov.bpbd');
  const ok = idpctl(['scope', 'approve', id, '--as', bpbd.username, '--reason', 'Disetujui BPBD']);
  assert.equal(ok.status, 0, ok.stderr);
  const audit = lastAudit('scope.approved');
  assert.equal(audit.actor, bpbd.username);
  assert.equal(audit.actorUserId, userId(bpbd.username));
  assert.match(audit.details.via, /^idpctl:/);
  assert.equal(idpctl(['scope', 'approve', id]).status, 1, 'decided already');
  const t = await cc(svc, 'bencana.read');
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.scope, 'bencana.read');
  const payload = JSON.parse(Buffer.from(t.json.access_token.split('.')[1], 'base64url'));
  assert.equal(payload.aud, PUSDALOPS.resource, 'the audience is the resource server');
  const seen = await introspectPost(PUSDALOPS, t.json.access_token);
  assert.equal(seen.json.active, true);
  assert.equal(seen.json.scope, 'bencana.read');
  assert.equal(seen.json.aud, PUSDALOPS.resource);
  // Another resource server cannot introspect a token meant for BPBD.
  const rs2 = makeApi({ id: unique('rs-other-'), scopes: [`${unique('lain')}.read`], orgs: [TEST_ORG] });
  assert.deepEqual((await http('POST', '/introspect', { form: { token: t.json.access_token },
    headers: { authorization: basic(rs2) } })).json, { active: false });
  // Withdrawn: the next token request is refused.
  assert.equal(idpctl(['scope', 'reject', id]).status, 2, '--reason is required');
  const w = idpctl(['scope', 'reject', id, '--reason', 'Tidak dipakai lagi']);
  assert.equal(w.status, 0, w.stderr);
  assert.equal((await cc(svc, 'bencana.read')).json.error, 'invalid_scope');
  assert.match(lastAudit('scope.rejected').actor, /^idpctl:/);
});

test('a pending client cannot authorize or get tokens; approve, then it works', async () => {
  const t = iat('0', { autoApprove: false });
  const r = await reg({ client_name: `Layanan Menunggu ${process.pid}`, redirect_uris: [CB],
    grant_types: ['authorization_code', 'client_credentials'], scope: 'openid profile uji.read' }, t);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.approval, 'pending');
  const client = { id: r.json.client_id, secret: r.json.client_secret, redirect: CB };
  const page = await http('GET', authorizeUrl(client, { scope: 'openid' }), { jar: newJar() });
  assert.equal(page.status, 400);
  assert.equal(page.location, null, 'never a redirect to an unreviewed URI');
  assert.match(page.headers.get('content-type'), /text\/html/);
  assert.match(page.text, /belum disetujui/);
  assert.match(page.text, /unauthorized_client/, 'the code for the helpdesk');
  const tok = await cc(client, 'uji.read');
  assert.equal(tok.status, 400);
  assert.equal(tok.json.error, 'unauthorized_client');
  const intro = await http('POST', '/introspect', { form: { token: 'x' }, headers: { authorization: basic(client) } });
  assert.equal(intro.json.error, 'unauthorized_client');
  const listed = idpctl(['--json', 'client', 'list']).json.clients.find((c) => c.client_id === client.id);
  assert.equal(listed.approval, 'pending');
  assert.match(idpctl(['client', 'list']).stdout, new RegExp(`${client.id.replace('.', '\\.')}\\s+\\S+\\s+pending`));
  // A helpdesk operator may not approve; an operator at the shell may.
  const helpdesk = makeUser();
  assert.equal(idpctl(['member', 'add', helpdesk.username, 'baliprov.diskominfos', 'helpdesk']).status, 0);
  const no = idpctl(['client', 'approve', client.id, '--as', helpdesk.username]);
  assert.equal(no.status, 1);
  assert.match(no.stderr, /not allowed/);
  const yes = idpctl(['client', 'approve', client.id, '--reason', 'Ditinjau'], { env: { SUDO_USER: 'wayan.operator' } });
  assert.equal(yes.status, 0, yes.stderr);
  const audit = lastAudit('client.approved');
  assert.equal(audit.actor, 'idpctl:wayan.operator');
  assert.equal(audit.clientId, client.id);
  assert.equal(audit.details.before, 'pending');
  assert.equal(idpctl(['client', 'approve', client.id]).status, 1, 'approved already');
  assert.equal((await cc(client, 'uji.read')).status, 200);
  const user = makeUser();
  const jar = newJar();
  const login = await http('GET', authorizeUrl(client, { scope: 'openid' }), { jar });
  assert.equal(login.status, 200);
  const consent = await submitLogin(jar, login, user.username, user.password);
  const done = await http('POST', '/consent', { jar, form: { ...formInputs(consent.text), decision: 'allow' } });
  assert.ok(callback(done.location).code, 'approved: the sign-in works');
  // Rejected: unusable, and says so.
  const r2 = await reg({ client_name: `Layanan Ditolak ${process.pid}`, redirect_uris: [CB] }, t);
  assert.equal(idpctl(['client', 'reject', r2.json.client_id]).status, 2, '--reason is required');
  assert.equal(idpctl(['client', 'reject', r2.json.client_id, '--reason', 'Nama menyesatkan']).status, 0);
  const rejected = await http('GET', authorizeUrl({ id: r2.json.client_id, redirect: CB }), { jar: newJar() });
  assert.equal(rejected.status, 400);
  assert.match(rejected.text, /ditolak/);
  assert.equal(lastAudit('client.rejected').details.reason, 'Nama menyesatkan');
  assert.equal(idpctl(['client', 'approve', 'no-such-client']).status, 1);
  assert.equal(idpctl(['client', 'approve']).status, 2);
});

test('an --auto-approve initial access token registers usable clients; registrations are audited with their token', async () => {
  const t = iat('1');
  const r = await reg({ client_name: `Layanan Langsung ${process.pid}`, redirect_uris: [CB] }, t);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.approval, 'approved');
  const tokens = idpctl(['--json', 'iat', 'list']).json.initial_access_tokens;
  const mine = tokens.at(-1);
  assert.equal(mine.auto_approve, true);
  const audit = lastAudit('client.registered');
  assert.equal(audit.clientId, r.json.client_id);
  assert.equal(audit.actor, `iat:${mine.id}`);
  assert.equal(audit.details.approval, 'approved');
  assert.equal(audit.details.owner, TEST_ORG);
  assert.match(lastAudit('iat.created').actor, /^idpctl:/);
  const page = await http('GET', authorizeUrl({ id: r.json.client_id, redirect: CB }, { scope: 'openid' }),
    { jar: newJar() });
  assert.equal(page.status, 200, 'the login page at once');
  const upd = await http('PUT', `/register/${r.json.client_id}`, json({ client_id: r.json.client_id,
    client_secret: r.json.client_secret, redirect_uris: [CB] }, r.json.registration_access_token));
  assert.equal(upd.status, 200, upd.text);
  assert.equal(lastAudit('client.updated').actor, `rat:${r.json.client_id}`);
});

test('a name equal or confusingly close to another organisation\'s service is refused', async () => {
  const org = testOrg('e2e.bkpsdm', 'Badan Kepegawaian Uji');
  const base = `SIMPEG Uji ${process.pid}`;
  makeClient({ name: base, org });
  const t = iat('0');
  const variants = [base, base.toLowerCase(), base.replace(/ /g, '-'), ` ${base}!`,
    base.replace('I', 'l'), base.replace('M', 'rn'), base.replace('S', '\u0405').replace('P', '\u0420'),
    base.replace('Uji', 'Ují')];
  for (const name of variants) {
    const r = await reg({ client_name: name, redirect_uris: [CB] }, t);
    assert.equal(r.status, 400, name);
    assert.equal(r.json.error, 'invalid_client_metadata', name);
    assert.match(r.json.error_description, /too close/, name);
  }
  assert.equal((await reg({ client_name: '!!! ...', redirect_uris: [CB] }, t)).json.error, 'invalid_client_metadata');
  assert.equal((await reg({ client_name: `${base} Mitra`, redirect_uris: [CB] }, t)).status, 201,
    'a different name is fine');
  const same = await reg({ client_name: base, redirect_uris: [CB] }, iat('1', { org }));
  assert.equal(same.status, 201, 'the same organisation may reuse its name');
  const mine = await reg({ client_name: `Layanan Lain ${process.pid}`, redirect_uris: [CB] }, t);
  const put = await http('PUT', `/register/${mine.json.client_id}`, json({ client_id: mine.json.client_id,
    client_secret: mine.json.client_secret, client_name: base.toUpperCase(), redirect_uris: [CB] },
  mine.json.registration_access_token));
  assert.equal(put.status, 400, 'nor may an update take the name');
  assert.match(put.json.error_description, /too close/);
});

test('logo, home, policy and terms URIs are shown only on the site of a redirect URI', async () => {
  const r = await reg({ client_name: `Layanan Situs ${process.pid}`, redirect_uris: [CB],
    logo_uri: 'https://cdn.badungkab.go.id/logo.png', client_uri: 'https://evil.go.id/',
    policy_uri: 'https://badungkab.go.id/privasi', tos_uri: 'https://evil.example/tos' }, iat('1'));
  assert.equal(r.status, 201, r.text);
  const jar = newJar();
  const page = await http('GET', authorizeUrl({ id: r.json.client_id, redirect: CB }, { scope: 'openid' }), { jar });
  assert.match(page.text, /cdn\.badungkab\.go\.id\/logo\.png/);
  const consent = await submitLogin(jar, page, ...(() => { const u = makeUser(); return [u.username, u.password]; })());
  assert.equal(consent.status, 200);
  assert.match(consent.text, /badungkab\.go\.id\/privasi/);
  assert.doesNotMatch(consent.text, /evil\.example/);
  assert.doesNotMatch(consent.text, /evil\.go\.id/);
});

test('authlib\'s request: unknown values ignored, offline_access only with consent to it (third-party)', async () => {
  const t = iat('1');
  const r = await reg({ client_name: `Aplikasi Mitra ${process.pid}`, redirect_uris: [CB],
    grant_types: ['authorization_code', 'refresh_token'] }, t);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.scope, 'openid profile email phone organisation offline_access',
    'without scope: every standard scope discovery lists');
  const disco = (await http('GET', '/.well-known/openid-configuration')).json;
  assert.deepEqual([...disco.scopes_supported].sort(), r.json.scope.split(' ').sort());
  const client = { id: r.json.client_id, secret: r.json.client_secret, redirect: CB };
  const user = makeUser();
  const jar = newJar();
  const ask = { scope: 'openid email profile offline_access phone foo.bar' };
  const page = await http('GET', authorizeUrl(client, ask), { jar });
  const consent = await submitLogin(jar, page, user.username, user.password);
  assert.equal(consent.status, 200, 'third-party: a consent page');
  assert.doesNotMatch(consent.text, /offline_access|foo\.bar/, 'neither is asked: not granted');
  const done = await http('POST', '/consent', { jar, form: { ...formInputs(consent.text), decision: 'allow' } });
  const t1 = (await exchange(client, callback(done.location).code)).json;
  assert.equal(t1.scope, 'openid email profile phone');
  assert.equal(t1.refresh_token, undefined, 'no offline_access, no refresh token');
  assert.equal((await userinfo(t1.access_token)).json.email, `${user.username}@baliprov.go.id`);
  // prompt=consent (§11): asked, granted, a refresh token.
  const again = await http('GET', authorizeUrl(client, { ...ask, prompt: 'consent' }), { jar });
  assert.equal(again.status, 200);
  assert.match(again.text, /offline_access/);
  const done2 = await http('POST', '/consent', { jar, form: { ...formInputs(again.text), decision: 'allow' } });
  const t2 = (await exchange(client, callback(done2.location).code)).json;
  assert.equal(t2.scope, 'openid email profile offline_access phone');
  assert.ok(t2.refresh_token);
  // The consent on record now covers offline access: no page, still a refresh token.
  const s3 = await signIn(jar, client, user, ask);
  const t3 = (await exchange(client, s3.params.code, s3.verifier)).json;
  assert.ok(t3.refresh_token);
  const wider = await refresh(client, t3.refresh_token, { scope: 'openid email profile offline_access phone organisation' });
  assert.equal(wider.status, 400);
  assert.equal(wider.json.error, 'invalid_scope', 'RFC 6749 §6: wider than granted');
  const narrow = await refresh(client, t2.refresh_token, { scope: 'openid idp:admin' });
  assert.equal(narrow.status, 200, 'a value the client may never have is left out, as at /authorize');
  assert.equal(narrow.json.scope, 'openid');
  assert.equal(narrow.json.refresh_token, undefined, 'a refresh without offline_access ends the family');
});

test('first-party clients: refresh tokens with the refresh grant, offline_access or not; resource narrows to its server', async () => {
  const user = makeUser();
  const client = makeClient({ scope: 'openid profile email offline_access uji.read', org: TEST_ORG, atFormat: 'jwt' });
  const s = await signIn(newJar(), client, user, { scope: 'openid email profile offline_access foo.bar' });
  const t = (await exchange(client, s.params.code, s.verifier)).json;
  assert.equal(t.scope, 'openid email profile offline_access');
  assert.ok(t.refresh_token);
  const s2 = await signIn(newJar(), client, user, { scope: 'openid profile' });
  const t2 = (await exchange(client, s2.params.code, s2.verifier)).json;
  assert.ok(t2.refresh_token, 'first-party: a refresh token as before');
  const s3 = await signIn(newJar(), client, user, { scope: 'openid uji.read', resource: API.resource });
  const t3 = (await exchange(client, s3.params.code, s3.verifier)).json;
  assert.equal(t3.scope, 'openid uji.read');
  const aud = JSON.parse(Buffer.from(t3.access_token.split('.')[1], 'base64url')).aud;
  assert.equal(aud, API.resource);
  assert.equal((await refresh(client, t3.refresh_token, { resource: PUSDALOPS.resource })).json.error,
    'invalid_target');
  const bad = await http('GET', authorizeUrl(client, { resource: PUSDALOPS.resource }), { jar: newJar() });
  assert.equal(callback(bad.location).error, 'invalid_target');
  const bad2 = await http('GET', authorizeUrl(client, { resource: 'https://a.example/#x' }), { jar: newJar() });
  assert.equal(callback(bad2.location).error, 'invalid_target');
});

test('idpctl member: roles checked, refused with a reason, audited', () => {
  const u = makeUser();
  const add = idpctl(['--json', 'member', 'add', u.username, TEST_ORG, 'developer'], { env: { SUDO_USER: 'made.admin' } });
  assert.equal(add.status, 0, add.stderr);
  const audit = lastAudit('member.added');
  assert.equal(audit.actor, 'idpctl:made.admin');
  assert.equal(audit.details.role, 'developer');
  assert.equal(idpctl(['member', 'add', u.username, TEST_ORG, 'developer']).status, 1, 'exists');
  const list = idpctl(['--json', 'member', 'list', '--org', TEST_ORG]).json.members;
  assert.ok(list.some((m) => m.username === u.username && m.role === 'developer'));
  assert.equal(idpctl(['--json', 'member', 'list', '--user', u.username]).json.members.length, 1);
  for (const [args, msg] of [
    [[u.username, TEST_ORG, 'owner'], /developer, admin, helpdesk or auditor/],
    [[u.username, TEST_ORG, 'admin'], /operators' organisation/],
    [[u.username, 'baliprov.bpbd', 'auditor'], /operators' organisation/],
    [[u.username, TEST_ORG], /USERNAME, ORG and ROLE/],
  ]) {
    const r = idpctl(['member', 'add', ...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, msg);
  }
  assert.equal(idpctl(['member', 'add', 'no.such.person', TEST_ORG, 'developer']).status, 1);
  assert.equal(idpctl(['member', 'add', u.username, 'no.such.org', 'developer']).status, 1);
  assert.equal(idpctl(['member', 'add', u.username, 'baliprov.diskominfos', 'auditor']).status, 0);
  assert.equal(idpctl(['member', 'remove', u.username, TEST_ORG, 'developer']).status, 0);
  assert.equal(lastAudit('member.removed').details.organisation, TEST_ORG);
  assert.equal(idpctl(['member', 'remove', u.username, TEST_ORG, 'developer']).status, 1, 'gone already');
  assert.equal(psql(`SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE u.username = '${u.username}'`), '1');
});

test('idpctl scope: list, and bad requests refused before anything changes', () => {
  const list = idpctl(['--json', 'scope', 'list']).json.scopes;
  const b = list.find((s) => s.scope === 'bencana.read');
  assert.equal(b.server, 'pusdalops-api');
  assert.equal(b.organisation, 'baliprov.bpbd');
  assert.match(b.allowed, /client:bali-smart-island/);
  const svc = makeClient({ grants: ['client_credentials'], redirects: [], scope: 'uji.read', org: TEST_ORG });
  const before = psql('SELECT count(*) FROM scope_requests');
  for (const [args, code, msg] of [
    [['request', svc.id, 'idp:admin'], 1, /does not exist/],
    [['request', svc.id, 'uji.read'], 1, /already/],
    [['request', 'no-such-client', 'bencana.read'], 1, /no client/],
    [['request', svc.id, 'a"b'], 2, /not a scope/],
    [['request', svc.id], 2, /CLIENT_ID and SCOPE/],
    [['approve', 'seven'], 2, /request number/],
    [['approve', '999999'], 1, /no scope request/],
    [['reject', '1'], 2, /--reason is required/],
    [['requests', '--state', 'open'], 2, /pending, approved or rejected/],
    [['request', svc.id, 'bencana.read', '--reason', 'x'.repeat(501)], 2, /500/],
  ]) {
    const r = idpctl(['scope', ...args]);
    assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg, args.join(' '));
  }
  assert.equal(psql('SELECT count(*) FROM scope_requests'), before);
  assert.equal(idpctl(['scope', 'request', svc.id, 'bencana.read']).status, 0);
  const dup = idpctl(['scope', 'request', svc.id, 'bencana.read']);
  assert.equal(dup.status, 1);
  assert.match(dup.stderr, /open request/);
});
