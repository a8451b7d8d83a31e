// /metrics: the Prometheus text exposition behind a bearer token, read by
// a real Prometheus (Debian's prometheus, started here on loopback with a
// scrape config of its own), and log_format = json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, sleep, startIdp } from './lib.mjs';
import { makeClient, makeUser } from './flow.mjs';
import { TEST_ORG, sharedApi } from './rp.mjs';

sharedApi();
const ccClient = () => makeClient({ grants: ['client_credentials'], redirects: [], scope: 'uji.read',
  org: TEST_ORG });

const TOKEN = 'metrics-token-for-the-test-0123456789';
const havePrometheus = spawnSync('prometheus', ['--version']).status === 0;

async function scrape(idp, token = TOKEN) {
  const res = await fetch(`${idp.url}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

// The value of one sample line, or undefined.
function sample(text, name, labels = '') {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function clientCredentials(idp, client) {
  const auth = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  const res = await fetch(`${idp.url}/token`, {
    method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }),
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(res.status, 200, await res.text());
}

test('/metrics is off without metrics_token, and refuses a wrong token', async () => {
  const off = await startIdp({});
  try {
    assert.equal((await scrape(off)).status, 404);
  } finally { await off.stop(); }
  const on = await startIdp({ IDP_METRICS_TOKEN: TOKEN });
  try {
    const none = await scrape(on, null);
    assert.equal(none.status, 401);
    assert.equal((await scrape(on, `${TOKEN}x`)).status, 401);
    assert.equal((await scrape(on, TOKEN.slice(0, -1))).status, 401);
    const ok = await scrape(on);
    assert.equal(ok.status, 200);
    assert.match(ok.type, /^text\/plain; version=0\.0\.4/);
    assert.match(ok.text, /^idp_build_info\{version="[^"]+"\} 1$/m);
    assert.match(ok.text, /^idp_db_pool_connections\{state="idle"\} \d+$/m);
    assert.match(ok.text, /^idp_outbox_up 1$/m);
    assert.match(ok.text, /^idp_hash_queue_depth 0$/m);
    // Every sample line is NAME{labels} VALUE, every family typed.
    for (const l of ok.text.trim().split('\n')) {
      assert.match(l, /^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? [-+0-9.e]+|\w+(\{[^}]*\})? \+Inf)$/, l);
    }
  } finally { await on.stop(); }
});

test('metrics_enabled = false counts nothing: /metrics is 404 with the token; a bad value stops the start', async () => {
  const idp = await startIdp({ IDP_METRICS_TOKEN: TOKEN, IDP_METRICS_ENABLED: 'false' });
  try {
    const client = ccClient();
    await clientCredentials(idp, client);
    assert.equal((await scrape(idp)).status, 404);
  } finally { await idp.stop(); }
  for (const bad of ['maybe', 'TRUE1']) {
    await assert.rejects(startIdp({ IDP_METRICS_ENABLED: bad }), /metrics_enabled/, bad);
  }
});

test('requests, latency, tokens and sign-ins are counted', async () => {
  const idp = await startIdp({ IDP_METRICS_TOKEN: TOKEN });
  try {
    const client = ccClient();
    const before = (await scrape(idp)).text;
    const cc = '{grant_type="client_credentials"}';
    const n0 = sample(before, 'idp_tokens_issued_total', cc) ?? 0;
    for (let i = 0; i < 3; i++) await clientCredentials(idp, client);
    await fetch(`${idp.url}/nowhere`);
    const after = (await scrape(idp)).text;
    assert.equal(sample(after, 'idp_tokens_issued_total', cc), n0 + 3);
    assert.equal(sample(after, 'idp_http_requests_total', '{route="/token",status="200"}'), 3);
    assert.equal(sample(after, 'idp_http_requests_total', '{route="other",status="404"}'), 1);
    assert.equal(sample(after, 'idp_http_request_duration_seconds_count', '{route="/token"}'), 3);
    assert.equal(sample(after, 'idp_http_request_duration_seconds_bucket', '{route="/token",le="+Inf"}'), 3);
    assert.ok(sample(after, 'idp_http_request_duration_seconds_sum', '{route="/token"}') > 0);
  } finally { await idp.stop(); }
});

test('a real Prometheus scrapes /metrics and answers a query for a counter', { skip: havePrometheus ? false : 'Debian prometheus is not installed (deploy/lib/deps.sh installs it)' }, async () => {
  const idp = await startIdp({ IDP_METRICS_TOKEN: TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'idp-prom-'));
  const port = await freePort();
  const target = new URL(idp.url).host;
  writeFileSync(join(dir, 'token'), TOKEN);
  writeFileSync(join(dir, 'prometheus.yml'), [
    'global:', '  scrape_interval: 1s', 'scrape_configs:', '  - job_name: idp',
    '    metrics_path: /metrics', '    authorization:', '      type: Bearer',
    `      credentials_file: ${join(dir, 'token')}`, '    static_configs:',
    `      - targets: ['${target}']`, ''].join('\n'));
  const prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  prom.stderr.on('data', (d) => { log += d; });
  const api = `http://127.0.0.1:${port}/api/v1`;
  try {
    const cc = ccClient();
    for (let i = 0; i < 4; i++) await clientCredentials(idp, cc);
    let value;
    for (let i = 0; i < 60 && value === undefined; i++) {
      await sleep(500);
      const q = encodeURIComponent('idp_tokens_issued_total{grant_type="client_credentials",job="idp"}');
      const r = await fetch(`${api}/query?query=${q}`).then((x) => x.json(), () => null);
      const v = r?.data?.result?.[0]?.value?.[1];
      if (v !== undefined && Number(v) >= 4) value = Number(v);
    }
    assert.equal(value, 4, `Prometheus read the counter back (log: ${log.slice(-2000)})`);
    // The dashboard's every query is one Prometheus accepts, and names
    // families this provider exports.
    const dash = JSON.parse(readFileSync(join(process.env.ROOT, 'deploy/grafana/idp-dashboard.json'), 'utf8'));
    const exported = new Set((await scrape(idp)).text.split('\n')
      .filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]));
    for (const panel of dash.panels) {
      for (const t of panel.targets) {
        const expr = t.expr.replaceAll('$__rate_interval', '1m').replaceAll('$job', 'idp');
        for (const m of expr.matchAll(/\b(idp_[a-z_]+?)(_bucket|_sum|_count)?\b/g)) {
          assert.ok(exported.has(m[1]), `${panel.title}: ${m[1]} is exported`);
        }
        const r = await fetch(`${api}/query?query=${encodeURIComponent(expr)}`).then((x) => x.json());
        assert.equal(r.status, 'success', `${panel.title}: ${expr}: ${r.error}`);
      }
    }
    const up = await fetch(`${api}/query?query=up%7Bjob%3D%22idp%22%7D`).then((x) => x.json());
    assert.equal(up.data.result[0].value[1], '1');
    const targets = await fetch(`${api}/targets`).then((x) => x.json());
    assert.equal(targets.data.activeTargets[0].health, 'up');
  } finally {
    prom.kill('SIGTERM');
    await new Promise((r) => prom.on('exit', r));
    rmSync(dir, { recursive: true, force: true });
    await idp.stop();
  }
});

test('log_format = json writes one JSON object per line, username beside the subject', async () => {
  const idp = await startIdp({ IDP_LOG_FORMAT: 'json' });
  try {
    const user = makeUser({ name: 'Ni Kadek Log' });
    await fetch(`${idp.url}/healthz`);
    const res = await fetch(`${idp.url}/login?next=/account`, { redirect: 'manual' });
    const html = await res.text();
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    const inputs = Object.fromEntries([...html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)]
      .map((m) => [m[1], m[2].replace(/&amp;/g, '&')]));
    const post = await fetch(`${idp.url}/login`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ ...inputs, username: user.username, password: user.password }),
    });
    assert.equal(post.status, 303, await post.text());
    await sleep(200);
    const lines = idp.log().trim().split('\n').filter((l) => l.startsWith('{'));
    assert.ok(lines.length > 2);
    const objs = lines.map((l) => JSON.parse(l));
    for (const o of objs) assert.ok(o.ts && o.level && o.event, JSON.stringify(o));
    const ok = objs.find((o) => o.event === 'login.success');
    assert.ok(ok, 'a login.success line');
    assert.equal(ok.username, user.username);
    assert.equal(ok.user, user.sub);
    assert.ok(objs.some((o) => o.event === 'http' && o.path === '/healthz' && o.status === '200'));
  } finally { await idp.stop(); }
});
