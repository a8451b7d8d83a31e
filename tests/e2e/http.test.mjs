// The HTTP layer under raw bytes: request targets with NUL, control bytes
// and bad escapes; repeated credentials; malformed heads and framing that
// must be answered at once; oversized bodies answered with a readable 413
// (no reset). Sockets from node:net, so nothing is cleaned up on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { ISSUER } from './lib.mjs';
import { basic, makeClient } from './flow.mjs';
import { TEST_ORG, sharedApi } from './rp.mjs';

const { hostname, port } = new URL(ISSUER);
// The stack runs with the default head deadline (10 s) and idle timeout
// (30 s): an answer that comes before this wait came from the request
// itself, not from a timer closing the connection.
const BEFORE_DEADLINE_MS = 5000;

// Send bytes (a Buffer or string, or a list written one after the other),
// read until the server closes. Resolves with the raw answer, its status,
// and how the connection ended: 'end' (FIN), 'reset', or 'timeout'.
function raw(chunks, { wait = BEFORE_DEADLINE_MS, keepOpen = false } = {}) {
  return new Promise((resolve) => {
    const s = connect({ host: hostname, port: Number(port) });
    const got = [];
    let done = false;
    const finish = (how) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      const text = Buffer.concat(got).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ how, text, status: m ? Number(m[1]) : 0,
        body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    };
    const timer = setTimeout(() => finish('timeout'), wait);
    s.on('data', (d) => {
      got.push(d);
      // A kept-alive answer is complete once its body is in.
      if (keepOpen) {
        const t = Buffer.concat(got).toString('latin1');
        const len = /content-length: (\d+)/i.exec(t);
        const head = t.indexOf('\r\n\r\n');
        if (len && head >= 0 && t.length >= head + 4 + Number(len[1])) finish('answered');
      }
    });
    s.on('end', () => finish('end'));
    s.on('error', (e) => finish(e.code === 'ECONNRESET' ? 'reset' : `error ${e.code}`));
    s.on('connect', async () => {
      for (const c of Array.isArray(chunks) ? chunks : [chunks]) {
        if (done) return;
        await new Promise((r) => s.write(c, r));
      }
    });
  });
}

const get = (target, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n${extra}\r\n`;

function assertAnswered(r, status, what) {
  assert.notEqual(r.how, 'timeout', `${what}: no answer before the deadline`);
  assert.notEqual(r.how, 'reset', `${what}: reset instead of an answer`);
  assert.equal(r.status, status, `${what}: ${r.text.slice(0, 200)}`);
}

test('a NUL, control byte or bad escape in the path is 400, never a route', async () => {
  sharedApi();
  const svc = makeClient({ grants: ['client_credentials'], redirects: [], scope: 'uji.read',
    org: TEST_ORG });
  const form = 'grant_type=client_credentials';
  const token = (path) => `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n` +
    `Authorization: ${basic(svc)}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
    `Content-Length: ${form.length}\r\n\r\n${form}`;
  // The same request on the real path works: the refusals below are the path's.
  const ok = await raw(token('/token'));
  assertAnswered(ok, 200, 'POST /token');
  for (const path of ['/token%00x', '/token%00', '/tok%zzen', '/token%0a', '/token%']) {
    const r = await raw(token(path));
    assertAnswered(r, 400, `POST ${path}`);
    assert.equal(JSON.parse(r.body).error, 'invalid_request');
    assert.doesNotMatch(r.body, /access_token/);
  }
  for (const path of ['/jwks%00.json', '/static/idp.css%00.png', '/jwks%01', '/jwks%7f',
    '/jwks%c3%28', '/healthz%zz']) {
    assertAnswered(await raw(get(path)), 400, `GET ${path}`);
  }
  // Raw bytes the URI grammar does not allow, and a raw NUL in the target.
  for (const path of ['/jwks\x01', '/jwks\x7f', '/jwks\0.json']) {
    assertAnswered(await raw(get(path)), 400, `GET ${JSON.stringify(path)}`);
  }
  assertAnswered(await raw(get('/jwks')), 200, 'GET /jwks');
  assertAnswered(await raw(get('/tok%65n')), 405, 'GET /tok%65n (decoded to /token)');
});

test('every bad %-escape in a query string is 400', async () => {
  assertAnswered(await raw(get('/logout')), 200, 'GET /logout');
  for (const q of ['a=%zz', 'a=%', 'a=%4', '%zz=1', 'a=%00', 'a=b%c3%28', 'a=1&b=%g0']) {
    const r = await raw(get(`/logout?${q}`));
    assertAnswered(r, 400, `GET /logout?${q}`);
    assert.match(r.body, /invalid_request/, 'the error page names the code for the helpdesk');
  }
  assertAnswered(await raw(get('/healthz?a=%zz')), 400, 'GET /healthz?a=%zz');
});

test('two Authorization headers are refused, whatever their order', async () => {
  sharedApi();
  const svc = makeClient({ grants: ['client_credentials'], redirects: [], scope: 'uji.read',
    org: TEST_ORG });
  const form = 'grant_type=client_credentials';
  const twice = (a, b) => `POST /token HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n` +
    `Authorization: ${a}\r\nAuthorization: ${b}\r\n` +
    `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`;
  for (const [a, b] of [[basic(svc), 'Basic eDp5'], ['Basic eDp5', basic(svc)], [basic(svc), basic(svc)]]) {
    const r = await raw(twice(a, b));
    assertAnswered(r, 400, 'two Authorization headers');
    assert.equal(JSON.parse(r.body).error, 'invalid_request');
    assert.match(JSON.parse(r.body).error_description, /Authorization/);
  }
  const r = await raw(get('/userinfo', 'Authorization: Bearer a\r\nauthorization: Bearer b\r\n'));
  assertAnswered(r, 400, 'GET /userinfo with two Authorization headers');
  // Repeated framing headers are as ambiguous.
  const cl = await raw(`POST /token HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx`);
  assertAnswered(cl, 400, 'two Content-Length headers');
});

test('heads that cannot be HTTP are answered 400 at once and closed', async () => {
  const cases = {
    '100 NUL bytes': Buffer.alloc(100),
    'NUL bytes, then CRLF': Buffer.concat([Buffer.alloc(100), Buffer.from('\r\n\r\n')]),
    'bare CR line ends': 'GET / HTTP/1.1\rHost: a\r\r',
    'request line ending in a bare CR': 'GET /healthz HTTP/1.1\r\rHost: a\r\n\r\n',
    'CR inside the request line': 'GET /healthz\rHTTP/1.1\r\n\r\n',
    'control byte in a field': 'GET /healthz HTTP/1.1\r\nHost: a\x01b\r\n\r\n',
    'NUL in a field': 'GET /healthz HTTP/1.1\r\nHost: a\0b\r\n\r\n',
    'TLS hello on the plain port': Buffer.from('160301020001', 'hex'),
    'no HTTP version': 'GET /healthz\r\n\r\n',
    'two spaces': 'GET  /healthz HTTP/1.1\r\n\r\n',
  };
  for (const [name, bytes] of Object.entries(cases)) {
    const r = await raw(bytes);
    assertAnswered(r, 400, name);
    assert.equal(r.how, 'end', `${name}: closed with ${r.how}`);
  }
});

test('a transfer coding other than chunked is 501 at once; a length beside a coding is 400', async () => {
  for (const te of ['gzip, bogus', 'gzip, chunked', 'bogus', 'chunked, gzip']) {
    const r = await raw(`POST /token HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ${te}\r\n\r\n5\r\nhello\r\n`);
    assertAnswered(r, 501, `Transfer-Encoding: ${te}`);
    assert.equal(r.how, 'end');
  }
  const both = await raw('POST /token HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n' +
    'Content-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
  assertAnswered(both, 400, 'Transfer-Encoding with Content-Length');
  // Chunked itself still works.
  const ok = await raw('POST /token HTTP/1.1\r\nHost: a\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n' +
    'Content-Type: application/x-www-form-urlencoded\r\n\r\n' +
    '1d\r\ngrant_type=client_credentials\r\n0\r\n\r\n');
  assertAnswered(ok, 401, 'chunked token request without credentials');
});

test('an oversized body gets a 413 the client can read, not a reset', async () => {
  const big = Buffer.alloc(1024 * 1024, 'a');	// max_body_bytes is 64 KiB
  // The client sends everything, then reads.
  const r = await raw([`POST /token HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
    `Content-Length: ${big.length}\r\n\r\n`, big]);
  assertAnswered(r, 413, 'Content-Length over the limit');
  assert.equal(r.how, 'end');
  assert.equal(typeof JSON.parse(r.body).error, 'string');
  // 96 KiB in chunks: the limit is passed in the middle of the body.
  const chunk = `1000\r\n${'a'.repeat(4096)}\r\n`;
  const chunked = [`POST /token HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n` +
    'Content-Type: application/x-www-form-urlencoded\r\n\r\n', chunk.repeat(24), '0\r\n\r\n'];
  const c = await raw(chunked, { keepOpen: true });
  assert.equal(c.how, 'answered', `chunked: ${c.how}`);
  assert.equal(c.status, 413);
  // A huge declared length is answered before the body is sent at all.
  const early = await raw(`POST /token HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999\r\n\r\n`);
  assertAnswered(early, 413, 'huge Content-Length');
});

test('keep-alive still serves several requests on one connection', async () => {
  const twoGets = 'GET /healthz HTTP/1.1\r\nHost: a\r\n\r\nGET /jwks HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n';
  const r = await raw(twoGets);
  assert.equal(r.how, 'end');
  assert.equal((r.text.match(/HTTP\/1\.1 200 /g) ?? []).length, 2, r.text.slice(0, 300));
});
