// Slow clients cannot starve the provider. Floods of connections from
// 127.0.0.2 (bench/slow_clients.c: the start of a head, then a byte every
// second, never finished) while relying parties on 127.0.0.1 keep being
// served. tests/fault/run.sh starts the stack with a 2 s head deadline, a
// 4 s body deadline and a cap of 512 connections. Asserts what happens,
// never how fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { env, ISSUER, sleep } from '../e2e/lib.mjs';
import { basic, exchange, makeClient, makeUser, newJar, signIn, userinfo } from '../e2e/flow.mjs';

const port = (url) => new URL(url).port;

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

// One request on a connection of its own (a newcomer every time).
function fresh(method, url, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const r = request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, text, json });
      });
    });
    r.on('error', reject);
    r.end(body);
  });
}

// What relying parties do meanwhile: discovery, client_credentials,
// userinfo, over and over for `seconds`, each on a new connection. Every
// answer must be the right one.
async function legitimate(base, { cc, token }, seconds) {
  const until = Date.now() + seconds * 1000;
  let n = 0;
  while (Date.now() < until) {
    const d = await fresh('GET', `${base}/.well-known/openid-configuration`);
    assert.equal(d.status, 200, 'discovery during the flood');
    const t = await fresh('POST', `${base}/token`, { body: 'grant_type=client_credentials',
      headers: { authorization: basic(cc), 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(t.status, 200, `client_credentials during the flood: ${t.text}`);
    assert.ok(t.json.access_token);
    const u = await fresh('GET', `${base}/userinfo`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(u.status, 200, `userinfo during the flood: ${u.text}`);
    n += 3;
    await sleep(50);
  }
  return n;
}

async function parties() {
  const cc = makeClient({ grants: ['client_credentials'], redirects: [], scope: 'satudata.read' });
  const rp = makeClient();
  const user = makeUser();
  const { params, verifier } = await signIn(newJar(), rp, user);
  const tok = await exchange(rp, params.code, verifier);
  assert.equal(tok.status, 200);
  assert.equal((await userinfo(tok.json.access_token)).status, 200);
  return { cc, token: tok.json.access_token };
}

const logText = () => readFileSync(`${env.STACK_DIR}/idp.log`, 'utf8');

test('below the cap: every slow connection is cut by the head deadline, others are served', async () => {
  const who = await parties();
  const before = (logText().match(/event=conn\.cut/g) ?? []).length;
  const [res, served] = await Promise.all([flood(ISSUER, 300, 8), (async () => {
    await sleep(500);
    return legitimate(ISSUER, who, 6);
  })()]);
  assert.ok(served > 0);
  // Each of the 300 slots was cut at least once (2 s deadline, 8 s run) and
  // none was refused or cut at once: the deadline did it, not the cap.
  assert.ok(res.cut >= 300, `only ${res.cut} slow connections were cut`);
  assert.equal(res.refused, 0, 'no slow connection is refused below the cap');
  const cuts = logText().split('\n').filter((l) => /event=conn\.cut/.test(l)).slice(before);
  assert.ok(cuts.some((l) => /head_deadline=[1-9]/.test(l)), 'the log counts head-deadline cuts');
  assert.ok(cuts.every((l) => /shed=0/.test(l)), 'nothing was shed below the cap');
});

test('over the cap: slow connections make room or are turned away, relying parties get in', async () => {
  const who = await parties();
  const before = logText().length;
  const [res, served] = await Promise.all([flood(ISSUER, 1000, 8), (async () => {
    await sleep(1000);
    return legitimate(ISSUER, who, 5);
  })()]);
  assert.ok(served > 0);
  assert.ok(res.max_held <= 1000);
  const cuts = logText().slice(before);
  // New relying-party connections pushed slow ones out; the flooding
  // address itself was turned away while others waited.
  assert.match(cuts, /event=conn\.cut [^\n]*shed=[1-9]/, 'connections were shed at the cap');
  assert.match(cuts, /event=conn\.cut [^\n]*refused=[1-9]/, 'the flooding address was turned away');
});

test('a body that trickles in is cut at the body deadline', async () => {
  // Complete head, then one body byte every 500 ms: never idle, never done.
  const { hostname } = new URL(ISSUER);
  const how = await new Promise((resolve) => {
    const s = connect({ host: hostname, port: Number(port(ISSUER)) });
    let timer;
    const end = (h) => { clearInterval(timer); s.destroy(); resolve(h); };
    s.on('connect', () => {
      s.write('POST /token HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        'Content-Length: 200\r\n\r\ngrant_type=');
      timer = setInterval(() => s.write('a'), 500);
    });
    s.on('data', (d) => end(`answered ${d.toString().slice(0, 40)}`));
    s.on('end', () => end('closed'));
    s.on('error', (e) => end(`closed (${e.code})`));
    // 100 s to send the body; the idle timeout (30 s) never fires.
    setTimeout(() => end('still open'), 20000);
  });
  assert.match(how, /^closed/);
});

test('max_connections_per_ip: one address gets that many, the others are untouched', async () => {
  const who = await parties();
  // A second idp on the same database, with a per-address limit of 50.
  const second = await startSecond({ IDP_MAX_CONNECTIONS_PER_IP: '50' });
  try {
    const [res, served] = await Promise.all([flood(second.url, 200, 6), (async () => {
      await sleep(1000);
      return legitimate(second.url, who, 4);
    })()]);
    assert.ok(served > 0);
    assert.ok(res.max_held <= 50, `${res.max_held} connections held from one address`);
    assert.ok(res.refused > 0, 'connections past the limit are refused');
  } finally {
    assert.equal(await second.stop(), 0, `second idp: ${second.log()}`);
    assert.doesNotMatch(second.log(), /Sanitizer|runtime error:/);
  }
});

async function startSecond(extra) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const portNo = spawnSync('bash', ['-c', '. "$ROOT/deploy/lib/pg.sh"; free_port'],
      { encoding: 'utf8' }).stdout.trim();
    const url = `http://127.0.0.1:${portNo}`;
    const p = spawn(env.IDP_BIN, [], {
      env: { ...process.env, IDP_LISTEN: `127.0.0.1:${portNo}`, IDP_ISSUER: url, ...extra },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    let exited = null;
    p.stderr.on('data', (d) => { log += d; });
    const exit = new Promise((r) => p.on('exit', (code) => { exited = code; r(code); }));
    for (let i = 0; i < 100 && exited === null; i++) {
      try {
        if ((await fetch(`${url}/healthz`)).status === 200) {
          return { url, log: () => log, stop: () => { p.kill('SIGTERM'); return exit; } };
        }
      } catch { /* not up yet */ }
      await sleep(100);
    }
    p.kill('SIGKILL');
    await exit;
  }
  throw new Error('the second idp did not start');
}
