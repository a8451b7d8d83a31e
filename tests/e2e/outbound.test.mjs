// Calls the provider makes itself (core/fetch.c): a client's jwks_uri for
// private_key_jwt. Registration and every fetch refuse URIs, and addresses
// names resolve to, inside the network. The stack's idp runs with the
// development setting outbound_allow_loopback (this suite's key servers
// listen on loopback); the suite starts idp again without it to show the
// refusals, and once more with tight limits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { psql, sleep, startIdp } from './lib.mjs';
import { assertion, iat, keyPair, pkjwt, reg, sharedApi } from './rp.mjs';

let strict;	// outbound_allow_loopback off
let tight;	// one call at a time, a 2 s deadline

before(async () => {
  sharedApi();
  strict = await startIdp({ IDP_OUTBOUND_ALLOW_LOOPBACK: 'false' });
  tight = await startIdp({ IDP_OUTBOUND_TIMEOUT: '2', IDP_OUTBOUND_MAX_IN_FLIGHT: '1' });
});

after(async () => {
  await strict?.stop();
  await tight?.stop();
});

const pkClient = (jwksUri) => ({ client_name: 'Layanan Kunci Jarak Jauh', grant_types: ['client_credentials'],
  token_endpoint_auth_method: 'private_key_jwt', jwks_uri: jwksUri, scope: 'uji.read' });

async function register(jwksUri, base) {
  const r = await reg(pkClient(jwksUri), iat('1'), base);
  assert.equal(r.status, 201, r.text);
  return r.json.client_id;
}

// An HTTP server on loopback; hits counts the requests it saw.
async function serve(handler) {
  const s = createServer((req, res) => { s.hits += 1; handler(req, res); });
  s.hits = 0;
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  s.port = s.address().port;
  return s;
}

const keySet = (kp) => (req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ keys: [kp.jwk] }));
};

// Token request of client id, signed with kp, at the idp base.
const authenticate = (base, id, kp) => pkjwt(id, assertion(kp, id, {}, base), '/token', undefined, base);

function refusals(id) {
  return psql(`SELECT details->>'purpose', details->>'host', coalesce(details->>'class', '-'),
    coalesce(details->>'address', '-'), details->>'reason', request_id IS NOT NULL, host(ip)
    FROM audit_log WHERE event = 'outbound.refused' AND client_id = '${id}' ORDER BY id`)
    .split('\n').filter(Boolean).map((l) => l.split('|'));
}

test('without the development setting, registration refuses jwks_uri values that are not https or name an internal address', async () => {
  const t = iat('0');
  const refused = [
    'http://127.0.0.1:8080/internal/admin?x=1', 'http://localhost:8080/jwks', 'http://[::1]:8080/jwks',
    'http://keys.example.go.id/jwks', 'https://127.0.0.1/jwks', 'https://127.1/jwks',
    'https://2130706433/jwks', 'https://0x7f000001/jwks', 'https://0177.0.0.1/jwks', 'https://[::1]/jwks',
    'https://[::ffff:127.0.0.1]/jwks', 'https://0.0.0.0/jwks', 'https://[::]/jwks', 'https://10.0.0.5/jwks',
    'https://172.16.0.1/jwks', 'https://192.168.1.1/jwks', 'https://100.64.0.1/jwks',
    'https://169.254.169.254/latest/meta-data/', 'https://[fd00:ec2::254]/jwks',
    'https://[fe80::1%25eth0]/jwks', 'https://[fd12:3456::1]/jwks', 'https://224.0.0.1/jwks',
    'https://user@keys.example.go.id/jwks', 'https://keys.example.go.id:0/jwks', 'ftp://keys.example.go.id/jwks',
    'file:///etc/passwd',
  ];
  for (const uri of refused) {
    const r = await reg(pkClient(uri), t, strict.url);
    assert.equal(r.status, 400, uri);
    assert.equal(r.json.error, 'invalid_client_metadata', uri);
    assert.match(r.json.error_description, /^jwks_uri/, uri);
  }
  const bcl = await reg({ redirect_uris: ['https://rp.example.go.id/cb'],
    backchannel_logout_uri: 'http://127.0.0.1:8080/logout' }, t, strict.url);
  assert.equal(bcl.json.error, 'invalid_client_metadata', 'backchannel_logout_uri follows the same rule');
  assert.equal((await reg(pkClient('https://keys.example.go.id/jwks'), t, strict.url)).status, 201);
  // The development setting opens loopback, and nothing else.
  assert.equal((await reg(pkClient('http://127.0.0.1:8080/jwks'), t)).status, 201);
  for (const uri of ['http://keys.example.go.id/jwks', 'https://10.0.0.5/jwks',
    'https://169.254.169.254/latest/meta-data/', 'https://[fd00:ec2::254]/jwks']) {
    assert.equal((await reg(pkClient(uri), t)).json.error, 'invalid_client_metadata', uri);
  }
});

test('a name that resolves to loopback is refused at fetch time: invalid_client, no connection, an audit row', async () => {
  let connections = 0;
  const tcp = createTcpServer((c) => { connections += 1; c.destroy(); });
  await new Promise((r) => tcp.listen(0, '127.0.0.1', r));
  try {
    const kp = keyPair();
    const id = await register(`https://localhost:${tcp.address().port}/jwks`, strict.url);
    const r = await authenticate(strict.url, id, kp);
    assert.equal(r.status, 401);
    assert.equal(r.json.error, 'invalid_client');
    assert.equal(connections, 0, 'nothing connected to the refused address');
    const rows = refusals(id);
    assert.equal(rows.length, 1);
    const [purpose, host, cls, addr, reason, hasReq, ip] = rows[0];
    assert.deepEqual([purpose, host, cls, reason, hasReq, ip],
      ['jwks_uri', 'localhost', 'loopback', 'the address is not allowed', 't', '127.0.0.1']);
    assert.match(addr, /^(127\.0\.0\.1|::1)$/);
    assert.match(strict.log(), /outbound\.refused .*purpose=jwks_uri host=localhost .*class=loopback/);
  } finally {
    tcp.close();
  }
});

test('a host name from the resolver (this machine\'s) is vetted by the address it resolves to', async (t) => {
  const name = hostname();
  const { address } = await lookup(name, { family: 4 }).catch(() => ({}));
  if (!address || !/^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.)/.test(address)) {
    t.skip(`${name} resolves to ${address ?? 'nothing'}, not to a refused range`);
    return;
  }
  const kp = keyPair();
  const id = await register(`https://${name}:9/jwks`, strict.url);
  assert.equal((await authenticate(strict.url, id, kp)).json.error, 'invalid_client');
  const rows = refusals(id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0][1], name);
  assert.match(rows[0][2], /^(loopback|private|link_local)$/);
});

test('URIs registered under the development setting, or stored before these rules, are refused when fetched', async () => {
  const kp = keyPair();
  const keys = await serve(keySet(kp));
  try {
    const id = await register(`http://127.0.0.1:${keys.port}/jwks`);
    assert.equal((await authenticate(undefined, id, kp)).status, 200, 'the development setting fetches it');
    assert.equal(keys.hits, 1);
    const r = await authenticate(strict.url, id, kp);
    assert.equal(r.json.error, 'invalid_client');
    assert.equal(keys.hits, 1, 'without the setting it is not fetched');
    assert.deepEqual(refusals(id).map((row) => [row[1], row[2], row[4]]),
      [['127.0.0.1', 'loopback', 'the URI must use https']]);
    const stored = ['https://169.254.169.254/latest/meta-data/', 'https://[fd00:ec2::254]/',
      'https://10.0.0.1/jwks', `https://127.1:${keys.port}/jwks`];
    for (const uri of stored) {
      psql(`UPDATE clients SET metadata = jsonb_set(metadata, '{jwks_uri}', to_jsonb('${uri}'::text))
        WHERE client_id = '${id}'`);
      assert.equal((await authenticate(strict.url, id, kp)).json.error, 'invalid_client', uri);
    }
    // The development setting opens loopback only: metadata addresses stay shut.
    psql(`UPDATE clients SET metadata = jsonb_set(metadata, '{jwks_uri}',
      '"https://169.254.169.254/latest/meta-data/"') WHERE client_id = '${id}'`);
    assert.equal((await authenticate(undefined, id, kp)).json.error, 'invalid_client');
    assert.equal(keys.hits, 1);
    assert.deepEqual(refusals(id).map((row) => [row[1], row[2], row[3]]), [
      ['127.0.0.1', 'loopback', '127.0.0.1'], ['169.254.169.254', 'metadata', '169.254.169.254'],
      ['[fd00:ec2::254]', 'metadata', 'fd00:ec2::254'], ['10.0.0.1', 'private', '10.0.0.1'],
      ['127.1', 'loopback', '127.0.0.1'], ['169.254.169.254', 'metadata', '169.254.169.254']]);
  } finally {
    keys.close();
  }
});

test('a jwks_uri fetch follows no redirect and keeps at most 64 KiB', async () => {
  const kp = keyPair();
  const target = await serve(keySet(kp));
  const redirect = await serve((req, res) => {
    res.writeHead(302, { location: `http://127.0.0.1:${target.port}/jwks` });
    res.end();
  });
  const big = await serve((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [kp.jwk], padding: 'x'.repeat(70 * 1024) }));
  });
  const chunked = await serve((req, res) => {	// no Content-Length
    res.setHeader('content-type', 'application/json');
    res.write(`{"keys":[${JSON.stringify(kp.jwk)}],"padding":"`);
    for (let i = 0; i < 70; i++) res.write('x'.repeat(1024));
    res.end('"}');
  });
  try {
    for (const s of [redirect, big, chunked]) {
      const id = await register(`http://127.0.0.1:${s.port}/jwks`);
      const r = await authenticate(undefined, id, kp);
      assert.equal(r.status, 401);
      assert.equal(r.json.error, 'invalid_client');
      assert.equal(s.hits, 1);
    }
    assert.equal(target.hits, 0, 'the redirect was not followed');
    const id = await register(`http://127.0.0.1:${target.port}/jwks`);
    assert.equal((await authenticate(undefined, id, kp)).status, 200);
  } finally {
    for (const s of [target, redirect, big, chunked]) s.close();
  }
});

test('a jwks_uri that never answers holds its call slot until the deadline; calls past the cap get 503 at once', async () => {
  const kpSlow = keyPair();
  const kpFast = keyPair();
  const held = [];
  const slow = await serve((req, res) => held.push(res));
  const fast = await serve(keySet(kpFast));
  try {
    const slowId = await register(`http://127.0.0.1:${slow.port}/jwks`);
    const fastId = await register(`http://127.0.0.1:${fast.port}/jwks`);
    let slowDone = false;
    const pending = authenticate(tight.url, slowId, kpSlow).then((r) => { slowDone = true; return r; });
    for (let i = 0; i < 100 && held.length === 0; i++) await sleep(50);
    assert.equal(held.length, 1, 'the slow key server was asked');
    const busy = await authenticate(tight.url, fastId, kpFast);
    assert.equal(busy.status, 503, 'our own limit, not the client\'s fault');
    assert.equal(busy.json.error, 'temporarily_unavailable');
    assert.ok(busy.headers.get('retry-after'));
    assert.equal(slowDone, false, 'refused at once, without waiting for the slot');
    assert.equal(fast.hits, 0);
    const late = await pending;
    assert.equal(late.json.error, 'invalid_client', 'the deadline ended the slow call');
    assert.match(tight.log(), /outbound\.busy .*purpose=jwks_uri/);
    assert.match(tight.log(), /outbound\.failed .*purpose=jwks_uri .*msg="?Timeout/);
    // A full fetcher is our limit, not the client's failure: asked again at once.
    assert.equal((await authenticate(tight.url, fastId, kpFast)).status, 200);
    assert.equal(fast.hits, 1);
  } finally {
    for (const res of held) res.destroy();
    slow.close();
    fast.close();
  }
});
