// openid-client (v6, npm) as a device nobody here wrote: RFC 8628 through
// initiateDeviceAuthorization and pollDeviceAuthorizationGrant (its polling
// loop: interval, authorization_pending, slow_down), a person approving at
// /device meanwhile; and RFC 8693 through genericGrantRequest, a service
// exchanging a person's token for one for another service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as client from 'openid-client';

const ISSUER = process.env.IDP_URL;
const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';
const TE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const AT = 'urn:ietf:params:oauth:token-type:access_token';
const stamp = `${process.pid}`;

function idpctl(args, input) {
  const r = spawnSync(process.env.IDP_CTL, args, { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return args.includes('--json') ? JSON.parse(r.stdout) : {};
}

// A person on a phone: cookies, signing in, the /device form.
class Phone {
  constructor() { this.cookies = new Map(); }
  async req(path, form) {
    const headers = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(new URL(path, ISSUER), { method: form ? 'POST' : 'GET', headers,
      body: form ? new URLSearchParams(form) : undefined, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }
  static fields(html) {
    return Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)]
      .map((m) => [m[1], m[2].replace(/&amp;/g, '&')]));
  }
  // Follow verification_uri_complete: sign in, see the question, decide.
  async approve(uri, user, decision = 'approve') {
    const u = new URL(uri);
    let r = await this.req(`${u.pathname}${u.search}`);
    if (r.status === 303) {
      r = await this.req(r.location);
      r = await this.req('/login', { ...Phone.fields(r.text), username: user.username,
        password: user.password });
      assert.equal(r.status, 303);
      r = await this.req(r.location);
    }
    assert.equal(r.status, 200);
    assert.match(r.text, /ingin masuk dengan akun Anda/);
    r = await this.req('/device', { ...Phone.fields(r.text), decision });
    assert.equal(r.status, 303);
  }
}

const user = { username: `devinterop${stamp}`, password: 'Kios-Tanah-Lot-7319' };
user.sub = idpctl(['--json', 'user', 'add', user.username, '--name', 'Ni Wayan Perangkat',
  '--email', `devinterop${stamp}@baliprov.go.id`, '--password-stdin'], `${user.password}\n`).sub;

async function publicDevice(id) {
  idpctl(['--json', 'client', 'add', id, '--name', 'Kios Interop', '--grant', DEVICE,
    '--grant', 'refresh_token', '--auth-method', 'none', '--first-party',
    '--scope', 'openid profile email']);
  const config = await client.discovery(new URL(ISSUER), id, undefined, client.None(),
    { execute: [client.allowInsecureRequests] });
  client.enableNonRepudiationChecks(config);
  return config;
}

test('openid-client: device authorization, polling until the person approves, ID token, refresh', async () => {
  const id = `interop-device-${stamp}`;
  const config = await publicDevice(id);
  assert.equal(config.serverMetadata().device_authorization_endpoint, `${ISSUER}/device_authorization`);
  const d = await client.initiateDeviceAuthorization(config, { scope: 'openid profile' });
  assert.match(d.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  assert.equal(d.interval, 5);
  const tokens = client.pollDeviceAuthorizationGrant(config, d);
  await new Phone().approve(d.verification_uri_complete, user);
  const t = await tokens;
  const claims = t.claims();
  assert.equal(claims.sub, user.sub);
  assert.equal(claims.aud, id);
  assert.equal(claims.name, 'Ni Wayan Perangkat');
  assert.ok(t.refresh_token);
  const info = await client.fetchUserInfo(config, t.access_token, claims.sub);
  assert.equal(info.sub, user.sub);
  const refreshed = await client.refreshTokenGrant(config, t.refresh_token);
  assert.equal(refreshed.claims().sub, user.sub);
});

test('openid-client: a poll sooner than the interval is told slow_down and the library waits 5 s longer', async () => {
  const id = `interop-slow-${stamp}`;
  const config = await publicDevice(id);
  const d = await client.initiateDeviceAuthorization(config, { scope: 'openid' });
  const tokens = client.pollDeviceAuthorizationGrant(config, d);
  // Another poll of the same code shortly before the library's first
  // one: the library's comes too soon and gets slow_down.
  await new Promise((r) => setTimeout(r, 2500));
  const early = await fetch(`${ISSUER}/token`, { method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: DEVICE, device_code: d.device_code, client_id: id }) });
  assert.equal((await early.json()).error, 'authorization_pending');
  // The person approves after the library's first poll (at 5 s), so that
  // poll is answered slow_down rather than with the tokens.
  await new Promise((r) => setTimeout(r, 4000));
  await new Phone().approve(d.verification_uri_complete, user);
  const t = await tokens;
  assert.equal(t.claims().sub, user.sub);
  // The provider recorded the slow_down: the interval grew once, to 10 s.
  const q = spawnSync('psql', ['-X', '-qAt', '-h', `${process.env.PG_DIR}/run`, '-p',
    process.env.PG_PORT, '-U', 'idp', '-d', 'idp', '-c',
    `SELECT interval_s FROM device_authorizations WHERE client_id = '${id}'`], { encoding: 'utf8' });
  assert.equal(q.stdout.trim(), '10');
});

test('openid-client: a denied request ends the polling with access_denied', async () => {
  const config = await publicDevice(`interop-deny-${stamp}`);
  const d = await client.initiateDeviceAuthorization(config, { scope: 'openid' });
  const tokens = client.pollDeviceAuthorizationGrant(config, d);
  await new Phone().approve(d.verification_uri_complete, user, 'deny');
  await assert.rejects(tokens, (e) => e.error === 'access_denied');
});

// A client from a manifest document (idpctl client add --manifest).
function manifest(doc) {
  const dir = mkdtempSync('/tmp/idp-manifest-');
  const file = join(dir, `${doc.client_id}.json`);
  writeFileSync(file, JSON.stringify({ first_party: true, enabled: true,
    token_endpoint_auth_method: 'client_secret_basic', ...doc }));
  const r = idpctl(['--json', 'client', 'add', '--manifest', file]);
  rmSync(dir, { recursive: true });
  return r;
}

test('openid-client: token exchange with genericGrantRequest', async () => {
  // ebudget.read is the API scope of a budgeting API, offered to the services of
  // one organisation; the device and the connector belong to it.
  const org = `interop.sipd${stamp}`;
  idpctl(['org', 'add', org, '--name', 'Dinas Uji SIPD', '--kind', 'provincial_agency']);
  manifest({ client_id: `interop-sipd-api-${stamp}`, client_name: 'API SIPD Interop',
    owner_organisation: org, grant_types: ['client_credentials'], scope: 'ebudget.read',
    api: { resource: ['https://sipd.example.go.id/api/'],
      scopes: { 'ebudget.read': { description: 'Membaca anggaran', organisations: [org] } } } });
  const webId = `interop-web-${stamp}`;
  const web = idpctl(['--json', 'client', 'add', webId, '--name', 'Kios Sumber', '--grant', DEVICE,
    '--first-party', '--scope', 'openid ebudget.read', '--org', org]);
  const connectorId = `interop-connector-${stamp}`;
  const { client_secret: secret } = manifest({ client_id: connectorId,
    client_name: 'Konektor Interop', owner_organisation: org, grant_types: [TE],
    scope: 'ebudget.read',
    token_exchange: [{ audience: 'https://sipd.example.go.id/api/', scopes: ['ebudget.read'],
      subject_clients: [webId] }] });
  const source = await client.discovery(new URL(ISSUER), webId, undefined,
    client.ClientSecretBasic(web.client_secret), { execute: [client.allowInsecureRequests] });
  const d = await client.initiateDeviceAuthorization(source, { scope: 'openid ebudget.read' });
  const tokens = client.pollDeviceAuthorizationGrant(source, d);
  await new Phone().approve(d.verification_uri_complete, user);
  const subject = await tokens;

  const config = await client.discovery(new URL(ISSUER), connectorId, undefined,
    client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });
  const r = await client.genericGrantRequest(config, TE, { subject_token: subject.access_token,
    subject_token_type: AT, resource: 'https://sipd.example.go.id/api/' });
  assert.equal(r.issued_token_type, AT);
  assert.equal(r.token_type.toLowerCase(), 'bearer');
  assert.equal(r.scope, 'ebudget.read');
  const i = await client.tokenIntrospection(config, r.access_token);
  assert.equal(i.active, true);
  assert.equal(i.sub, user.sub);
  assert.equal(i.client_id, connectorId);
  await assert.rejects(client.genericGrantRequest(config, TE, { subject_token: subject.access_token,
    subject_token_type: AT, resource: 'https://elsewhere.example.go.id/' }),
  (e) => e.error === 'invalid_target');
});
