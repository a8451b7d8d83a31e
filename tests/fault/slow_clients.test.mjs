// Slow clients cannot starve the provider. Floods of connections from
// 127.0.0.2 (bench/slow_clients.c, path in SLOW_CLIENTS: the start of a
// head, then a byte every second, never finished) against an idp of the
// test's own with a 2 s head deadline, a 4 s body deadline and a cap of
// 512 connections, while relying parties on 127.0.0.1 keep being served.
// Asserts what happens, never how fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { env } from '../e2e/lib.mjs';
import { TEST_ORG, sharedApi } from '../e2e/rp.mjs';
import { basic, exchange, makeClient, makeUser, newJar, signIn, userinfo } from '../e2e/flow.mjs';
import { Idp, request, sleep } from './lib.mjs';

const SETTINGS = { IDP_REQUEST_HEAD_TIMEOUT: '2', IDP_REQUEST_BODY_TIMEOUT: '4',
  IDP_MAX_CONNECTIONS: '512', IDP_MAX_CONNECTIONS_PER_IP: '0', IDP_WORKER_THREADS: '4' };
const port = (url) => new URL(url).port;
// meson builds bench/slow_clients.c and passes its path.
const skip = env.SLOW_CLIENTS ? false : 'SLOW_CLIENTS (the path of bench/slow_clients) is not set';

// Run the flood; resolves with its SLOWRESULT fields.
function flood(url, conns, seconds) {
  return new Promise((resolve, reject) => {
    const p = spawn(env.SLOW_CLIENTS, ['127.0.0.1', port(url), '127.0.0.2', String(conns), '1',
      String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('exit', (code) => {
      const m = /SLOWRESULT (.*)/.exec(out);
      if (code !== 0 || !m) return reject(new Error(`slow_clients: exit ${code}: ${out}`));
      resolve(Object.fromEntries(m[1].split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])));
    });
  });
}

// What relying parties do meanwhile: discovery, client_credentials,
// userinfo, over and over for `seconds`, each on a new connection. Every
// answer must be the right one.
async function legitimate(base, { cc, token }, seconds) {
  const until = Date.now() + seconds * 1000;
  let n = 0;
  while (Date.now() < until) {
    const d = await request('GET', `${base}/.well-known/openid-configuration`);
    assert.equal(d.status, 200, `discovery during the flood: ${d.error ?? d.text}`);
    const t = await request('POST', `${base}/token`, { form: { grant_type: 'client_credentials' },
      headers: { authorization: basic(cc) } });
    assert.equal(t.status, 200, `client_credentials during the flood: ${t.error ?? t.text}`);
    assert.ok(t.json.access_token);
    const u = await request('GET', `${base}/userinfo`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(u.status, 200, `userinfo during the flood: ${u.error ?? u.text}`);
    n += 3;
    await sleep(50);
  }
  return n;
}

async function parties() {
  sharedApi();
  const cc = makeClient({ grants: ['client_credentials'], redirects: [], scope: 'uji.read',
    org: TEST_ORG });
  const rp = makeClient();
  const user = makeUser();
  const { params, verifier } = await signIn(newJar(), rp, user);
  const tok = await exchange(rp, params.code, verifier);
  assert.equal(tok.status, 200);
  assert.equal((await userinfo(tok.json.access_token)).status, 200);
  return { cc, token: tok.json.access_token };
}

// Each test: an idp of its own with SETTINGS (plus extra), stopped with
// the checks of lib.mjs (exit 0 on SIGTERM, sanitizers quiet).
async function withIdp(t, extra, body) {
  const idp = await new Idp({ ...SETTINGS, ...extra }).start();
  t.after(() => idp.stop());
  return body(idp);
}

test('below the cap: every slow connection is cut by the head deadline, others are served', { skip }, (t) =>
  withIdp(t, {}, async (idp) => {
    const who = await parties();
    const [res, served] = await Promise.all([flood(idp.url, 300, 8), (async () => {
      await sleep(500);
      return legitimate(idp.url, who, 6);
    })()]);
    assert.ok(served > 0);
    // Each of the 300 slots was cut at least once (2 s deadline, 8 s run)
    // and none was refused or cut at once: the deadline did it, not the cap.
    assert.ok(res.cut >= 300, `only ${res.cut} slow connections were cut`);
    assert.equal(res.refused, 0, 'no slow connection is refused below the cap');
    const cuts = idp.logText().split('\n').filter((l) => /event=conn\.cut/.test(l));
    assert.ok(cuts.some((l) => /head_deadline=[1-9]/.test(l)), 'the log counts head-deadline cuts');
    assert.ok(cuts.every((l) => /shed=0 refused=0/.test(l)), 'nothing was shed or refused below the cap');
  }));

test('over the cap: slow connections make room or are turned away, relying parties get in', { skip }, (t) =>
  withIdp(t, {}, async (idp) => {
    const who = await parties();
    const [res, served] = await Promise.all([flood(idp.url, 1000, 8), (async () => {
      await sleep(1000);
      return legitimate(idp.url, who, 5);
    })()]);
    assert.ok(served > 0);
    assert.ok(res.max_held <= 1000);
    // New relying-party connections pushed slow ones out; the flooding
    // address itself was turned away while others waited.
    const log = idp.logText();
    assert.match(log, /event=conn\.cut [^\n]*shed=[1-9]/, 'connections were shed at the cap');
    assert.match(log, /event=conn\.cut [^\n]*refused=[1-9]/, 'the flooding address was turned away');
  }));

test('a body that trickles in is cut at the body deadline', (t) =>
  withIdp(t, {}, async (idp) => {
    // Complete head, then one body byte every 500 ms: never idle, never done.
    const how = await new Promise((resolve) => {
      const s = connect({ host: '127.0.0.1', port: Number(port(idp.url)) });
      let timer;
      const end = (h) => { clearInterval(timer); clearTimeout(giveUp); s.destroy(); resolve(h); };
      s.on('connect', () => {
        s.write('POST /token HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
          'Content-Length: 200\r\n\r\ngrant_type=');
        timer = setInterval(() => s.write('a'), 500);
      });
      s.on('data', (d) => end(`answered ${d.toString().slice(0, 40)}`));
      s.on('end', () => end('closed'));
      s.on('error', (e) => end(`closed (${e.code})`));
      // 100 s to send the body; the idle timeout (30 s) never fires.
      const giveUp = setTimeout(() => end('still open'), 20000);
    });
    assert.match(how, /^closed/);
    // The guard counts its cuts in one log line a second.
    const counted = /event=conn\.cut [^\n]*body_deadline=[1-9]/;
    for (let i = 0; i < 30 && !counted.test(idp.logText()); i++) await sleep(100);
    assert.match(idp.logText(), counted);
  }));

test('max_connections_per_ip: one address gets that many, the others are untouched', { skip }, (t) =>
  withIdp(t, { IDP_MAX_CONNECTIONS_PER_IP: '50' }, async (idp) => {
    const who = await parties();
    const [res, served] = await Promise.all([flood(idp.url, 200, 6), (async () => {
      await sleep(1000);
      return legitimate(idp.url, who, 4);
    })()]);
    assert.ok(served > 0);
    assert.ok(res.max_held <= 50, `${res.max_held} connections held from one address`);
    assert.ok(res.refused > 0, 'connections past the limit are refused');
  }));
