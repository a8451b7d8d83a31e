// The workloads of bench/logout.sh. 1: one person signed in to 57
// services signs out; the time from the sign-out's answer until every one
// of 57 loopback receivers holds a verified logout token (signature
// checked against the JWKS), over several rounds: p50, p99. 2: sign-outs
// at a steady rate (1,000 a minute by default) of people signed in to 5
// services each, 10% of the receivers down for the first half and brought
// back: nothing lost, and the time until the outbox is drained after
// their return; its browsers and services are bench/logout_load.c, and
// the tokens they received are verified here afterwards. Meanwhile wrk
// drives client_credentials at /token, and the same for as long before
// the sign-outs and again after the outbox is drained: the throughput
// with them against the mean of the two without (target: within 10%), so
// that a slow minute on either side (a checkpoint after the preparation,
// autovacuum) does not decide it.
import { spawn } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { CookieJar, formInputs, http, idpctl, psql, sleep, unique } from '../tests/e2e/lib.mjs';
import { TEST_ORG, sharedApi } from '../tests/e2e/rp.mjs';

const smoke = process.env.BENCH_SMOKE === '1';
const rounds = Number(process.env.BENCH_ROUNDS);
const duration = Number(process.env.BENCH_DURATION) * 1000;
const rate = Number(process.env.BENCH_RATE);	// sign-outs a minute
const ISSUER = process.env.IDP_URL;
const say = (s) => process.stderr.write(`[bench logout] ${s}\n`);
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const PASSWORD = 'Kebun kopi di Kintamani';
const keys = new Map((await (await fetch(`${ISSUER}/jwks`)).json()).keys
  .map((k) => [k.kid, createPublicKey({ key: k, format: 'jwk' })]));

// The claims of a logout token whose typ is logout+jwt and whose
// signature verifies against the JWKS; null otherwise.
function signedClaims(token) {
  const [h, p, s] = token.split('.');
  try {
    const head = JSON.parse(Buffer.from(h, 'base64url'));
    if (head.typ !== 'logout+jwt' || !keys.has(head.kid)
      || !verify('sha256', Buffer.from(`${h}.${p}`), keys.get(head.kid), Buffer.from(s, 'base64url'))) return null;
    return JSON.parse(Buffer.from(p, 'base64url'));
  } catch {
    return null;
  }
}

// A receiver that verifies each token as it arrives and notes when.
async function receiver() {
  const r = { got: [] };
  r.server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const claims = signedClaims(new URLSearchParams(body).get('logout_token') ?? '');
      if (claims) r.got.push({ at: performance.now(), claims });
      res.writeHead(claims ? 200 : 400);
      res.end();
    });
  });
  await new Promise((ok) => r.server.listen(0, '127.0.0.1', ok));
  r.url = `http://127.0.0.1:${r.server.address().port}/bcl`;
  return r;
}

// bench/logout_load.c with RECEIVERS services: its ports, pid, and
// ask(command), which resolves to the fields of its answer line.
let loadChild = null;
function loadProcess(receivers) {
  const u = new URL(ISSUER);
  const p = spawn(process.env.LOGOUT_LOAD, [u.hostname, u.port, String(receivers)],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  loadChild = p;
  const lines = [];
  const waiting = [];
  let buf = '';
  p.stdout.setEncoding('utf8');
  p.stdout.on('data', (d) => {
    buf += d;
    for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) {
      const line = buf.slice(0, i);
      if (waiting.length) waiting.shift()(line);
      else lines.push(line);
    }
  });
  p.on('exit', (code) => { while (waiting.length) waiting.shift()(`EXITED code=${code}`); });
  const next = () => (lines.length ? Promise.resolve(lines.shift())
    : new Promise((ok) => { waiting.push(ok); }));
  const fields = (line) => ({ line, ...Object.fromEntries(line.split(' ').slice(1)
    .map((kv) => kv.split('='))) });
  return next().then((first) => {
    if (!first.startsWith('PORTS ')) throw new Error(`logout_load: ${first}`);
    return { pid: p.pid, ports: first.split(' ').slice(1).map(Number),
      ask: (cmd, answered = true) => {
        p.stdin.write(`${cmd}\n`);
        return answered ? next().then(fields) : Promise.resolve(null);
      } };
  });
}

// The tokens of a logout_load dump, each checked as a service would
// (§2.6: signature against the JWKS, typ, iss, aud, iat, the event, no
// nonce): how many verified, their distinct jti, how many did not.
function verifyDump(file, ids) {
  let verified = 0;
  let bad = 0;
  const jtis = new Set();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const [rx, , t] = line.split(' ');
    const c = signedClaims(t ?? '');
    const ok = c !== null && c.iss === ISSUER && c.aud === ids[Number(rx)]
      && typeof c.iat === 'number' && typeof c.jti === 'string' && c.nonce === undefined
      && typeof c.events?.['http://schemas.openid.net/event/backchannel-logout'] === 'object';
    if (ok) {
      verified++;
      jtis.add(c.jti);
    } else {
      bad++;
    }
  }
  return { verified, bad, jtis: jtis.size };
}

function client(url) {
  const id = unique('bench-bcl-');
  const r = idpctl(['--json', 'client', 'add', id, '--name', `Layanan ${id}`, '--redirect-uri',
    'https://rp.example.go.id/cb', '--grant', 'authorization_code', '--scope', 'openid',
    '--first-party', '--backchannel-logout-uri', url]);
  if (r.status !== 0) throw new Error(r.stderr);
  return id;
}

function person() {
  const username = unique('bl');
  const r = idpctl(['user', 'add', username, '--name', 'Pengguna Uji', '--password-stdin'],
    { input: `${PASSWORD}\n` });
  if (r.status !== 0) throw new Error(r.stderr);
  return username;
}

// Sign in once, then reach each client through the SSO session.
async function signedIn(username, clients) {
  const jar = new CookieJar();
  const page = await http('GET', '/login?next=%2Faccount', { jar });
  const r = await http('POST', '/login', { jar, form: { ...formInputs(page.text), username,
    password: PASSWORD } });
  if (r.status !== 303) throw new Error(`sign-in: ${r.status}`);
  for (const id of clients) {
    const q = new URLSearchParams({ response_type: 'code', client_id: id,
      redirect_uri: 'https://rp.example.go.id/cb', scope: 'openid', state: 's', nonce: 'n',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
    const a = await http('GET', `/authorize?${q}`, { jar });
    if (a.status !== 302) throw new Error(`authorize: ${a.status} ${a.text.slice(0, 200)}`);
  }
  return jar;
}

// A service calling /token with client_credentials: its Basic header.
function ccService() {
  sharedApi();
  const id = unique('bench-cc-');
  const r = idpctl(['--json', 'client', 'add', id, '--name', `Layanan ${id}`, '--grant',
    'client_credentials', '--scope', 'uji.read', '--first-party', '--org', TEST_ORG]);
  if (r.status !== 0) throw new Error(r.stderr);
  return `Basic ${Buffer.from(`${id}:${r.json.client_secret}`).toString('base64')}`;
}

// wrk at /token for seconds (bench/wrk/static.lua, 2 threads, 8
// connections, every answer but 200 counted): requests a second.
function ccLoad(seconds, auth) {
  const env = { ...process.env, BENCH_LUA: `${process.env.ROOT}/bench/wrk`, BENCH_NTHREADS: '2',
    BENCH_METHOD: 'POST', BENCH_BODY: 'grant_type=client_credentials&scope=uji.read',
    BENCH_AUTH: auth, BENCH_STRICT: '1' };
  return new Promise((resolve, reject) => {
    const w = spawn('wrk', ['-t2', '-c8', `-d${seconds}s`, '--timeout', '10s', '-s',
      `${process.env.ROOT}/bench/wrk/static.lua`, `${ISSUER}/token`], { env });
    let text = '';
    w.stdout.on('data', (d) => { text += d; });
    w.stderr.on('data', (d) => { text += d; });
    w.on('error', reject);
    w.on('close', (code) => {
      const m = /BENCHRESULT (.*)/.exec(text);
      if (code !== 0 || !m) return reject(new Error(`wrk: ${text}`));
      const f = Object.fromEntries(m[1].trim().split(/\s+/).map((kv) => kv.split('=')));
      resolve({ rps: Number(f.rps), requests: Number(f.requests), non2xx: Number(f.non2xx) });
    });
  });
}

// CPU seconds (user + system) a process has used so far.
function cpuOf(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function signOut(jar) {
  const page = await http('GET', '/logout', { jar });
  const f = formInputs(page.text);
  const r = await http('POST', '/logout', { jar, form: f });
  if (r.status !== 200) throw new Error(`sign-out: ${r.status}`);
}

const out = {};
let failed = false;
const all = [];
try {
  // 1. 57 services, one person, several rounds.
  const rx = await Promise.all(Array.from({ length: 57 }, receiver));
  all.push(...rx);
  const ids = rx.map((r) => client(r.url));
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const jar = await signedIn(person(), ids);
    const before = rx.map((r) => r.got.length);
    await signOut(jar);
    const t0 = performance.now();
    const end = Date.now() + 30000;
    while (rx.some((r, k) => r.got.length <= before[k]) && Date.now() < end) await sleep(2);
    if (rx.some((r, k) => r.got.length <= before[k])) throw new Error('a token did not arrive');
    times.push(Math.max(...rx.map((r) => r.got[r.got.length - 1].at)) - t0);
  }
  times.sort((a, b) => a - b);
  out.all57 = { rounds, p50_ms: pct(times, 50), p99_ms: pct(times, 99), max_ms: times.at(-1) };
  say(`57 services: p50 ${out.all57.p50_ms.toFixed(0)} ms, p99 ${out.all57.p99_ms.toFixed(0)} ms `
    + `over ${rounds} sign-outs${smoke ? '' : out.all57.p99_ms < 1000 ? ' (target < 1 s: met)' : ' (target < 1 s: missed)'}`);

  // 2. Steady sign-outs, 5 services each, 10% of the receivers down for
  // the first half. The browsers and the services are bench/logout_load.c:
  // in Node.js they cost about as much CPU as the sign-outs themselves, on
  // the cores client_credentials is measured on. Its tokens are verified
  // here after the phase, from its dump.
  const load = await loadProcess(50);
  const svcIds = load.ports.map((p) => client(`http://127.0.0.1:${p}/bcl`));
  const n = Math.max(10, Math.round((rate * duration) / 60000));
  say(`preparing ${n} people signed in to 5 services each`);
  const people = [];
  for (let i = 0; i < n; i++) {
    const mine = Array.from({ length: 5 }, (_, k) => svcIds[(i * 7 + k * 11) % svcIds.length]);
    people.push((await signedIn(person(), [...new Set(mine)])).header());
  }
  const jars = `${process.env.BENCH_WORK}/people.txt`;
  writeFileSync(jars, people.map((c) => `${c}\n`).join(''));
  const expected = Number(psql(`SELECT count(*) FROM session_clients sc JOIN sessions s
    ON s.id = sc.session_id WHERE s.ended_at IS NULL AND sc.client_id LIKE 'bench-bcl-%'`));
  // client_credentials alone, as long as the sign-outs will take. The
  // preparation wrote a lot: the vacuum and the checkpoint that follow it
  // go first, not into the phase alone.
  const auth = ccService();
  psql('VACUUM (ANALYZE)');
  psql('CHECKPOINT');
  const idpPid = Number(process.env.IDP_PID);
  const harness = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6 + cpuOf(load.pid); };
  let cpu0 = cpuOf(idpPid);
  let harness0 = harness();
  const ccAlone = await ccLoad(duration / 1000, auth);
  const cpuAlone = cpuOf(idpPid) - cpu0;
  const harnessAlone = harness() - harness0;
  cpu0 = cpuOf(idpPid);
  harness0 = harness();
  const ccBusy = ccLoad(duration / 1000, auth);
  const ran = await load.ask(`run ${jars} ${duration} 5`);
  const ccWith = await ccBusy;
  const cpuWith = cpuOf(idpPid) - cpu0;
  const harnessWith = harness() - harness0;
  if (ran.errors !== '0' || ran.signouts !== String(n)) throw new Error(`sign-outs: RAN ${ran.line}`);
  const waited = await load.ask(`wait ${expected} 600000`);
  const ccAfter = await ccLoad(duration / 1000, auth);
  const dumpFile = `${process.env.BENCH_WORK}/tokens.txt`;
  await load.ask(`dump ${dumpFile}`);
  await load.ask('quit', false);
  const got = verifyDump(dumpFile, svcIds);
  const lost = expected - got.verified;
  const dup = got.verified - got.jtis;
  out.steady = { signouts: n, per_minute: Math.round(n / (duration / 60000)), tokens: expected,
    lost, duplicates: dup, unverified: got.bad,
    drained_after_return_s: (Number(waited.at_ms) - Number(ran.back_ms)) / 1000 };
  say(`${n} sign-outs in ${duration / 1000} s (${out.steady.per_minute}/min), ${expected} tokens, `
    + `${lost} lost, ${dup} twice, ${got.bad} not verified; drained `
    + `${out.steady.drained_after_return_s.toFixed(1)} s after the down receivers came back`);
  if (lost !== 0 || dup !== 0 || got.bad !== 0) failed = true;
  const alone = (ccAlone.rps + ccAfter.rps) / 2;
  const ratio = ccWith.rps / alone;
  const non200 = ccAlone.non2xx + ccWith.non2xx + ccAfter.non2xx;
  out.client_credentials = { alone_before_rps: ccAlone.rps, alone_after_rps: ccAfter.rps,
    with_signouts_rps: ccWith.rps, ratio, non200, idp_cpu_s_alone: cpuAlone,
    idp_cpu_s_with: cpuWith, harness_cpu_s_alone: harnessAlone, harness_cpu_s_with: harnessWith };
  say(`client_credentials: ${ccAlone.rps.toFixed(0)}/s alone before, ${ccAfter.rps.toFixed(0)}/s `
    + `after, ${ccWith.rps.toFixed(0)}/s during the sign-outs (${(ratio * 100).toFixed(1)}% of the `
    + `mean alone${smoke ? '' : ratio >= 0.9 ? ', target within 10%: met' : ', target within 10%: missed'}`
    + `); CPU seconds alone/with: idp ${cpuAlone.toFixed(1)}/${cpuWith.toFixed(1)}, the benchmark's `
    + `browsers and services ${harnessAlone.toFixed(1)}/${harnessWith.toFixed(1)}`);
  if (non200 !== 0) {
    say(`client_credentials: ${non200} answers other than 200`);
    failed = true;
  }
  console.log(JSON.stringify(out, null, 2));
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(out, null, 2));
} catch (e) {
  say(`failed: ${e.stack} ${e.cause ?? ""}`);
  failed = true;
} finally {
  for (const r of all) r.server.closeAllConnections();
  loadChild?.kill();
}
process.exit(failed ? 1 : 0);
