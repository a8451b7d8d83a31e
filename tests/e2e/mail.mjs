// A real SMTP server for the mail tests: Debian's python3-aiosmtpd on a
// loopback port, writing every message it accepts into a Maildir the
// tests read. Messages are parsed by Python's email package (an
// independent MIME parser), so what the tests see is what a mail client
// would show: decoded subject and names, the text and HTML parts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, sleep } from './lib.mjs';

// Debian's python3, where python3-aiosmtpd is installed (not another one
// on the PATH).
const PY = '/usr/bin/python3';

function listening(port) {
  return new Promise((ok) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); ok(true); });
    s.once('error', () => ok(false));
  });
}

export class SmtpServer {
  constructor(port) {
    this.port = port;
    this.dir = mkdtempSync(join(tmpdir(), 'idp-mail-'));
    mkdirSync(join(this.dir, 'new'), { recursive: true });
    mkdirSync(join(this.dir, 'cur'), { recursive: true });
    mkdirSync(join(this.dir, 'tmp'), { recursive: true });
  }

  static async create() { return new SmtpServer(await freePort()); }

  async start() {
    this.proc = spawn(PY, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${this.port}`,
      '-c', 'aiosmtpd.handlers.Mailbox', this.dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.err = '';
    this.proc.stderr.on('data', (d) => { this.err += d; });
    this.exited = new Promise((ok) => this.proc.on('exit', ok));
    for (let i = 0; i < 100; i++) {
      if (await listening(this.port)) return this;
      if (this.proc.exitCode !== null) break;
      await sleep(100);
    }
    throw new Error(`aiosmtpd did not start: ${this.err}`);
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    this.proc.kill('SIGTERM');
    await this.exited;
  }

  url() { return `smtp://127.0.0.1:${this.port}`; }

  // How many messages arrived so far.
  count() { return readdirSync(join(this.dir, 'new')).length; }

  // Every message received so far, parsed.
  messages() {
    const files = readdirSync(join(this.dir, 'new')).map((f) => join(this.dir, 'new', f));
    if (files.length === 0) return [];
    const r = spawnSync(PY, ['-c', PARSE, ...files], { encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`parsing mail: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }

  // Wait for a message to rcpt (matching pred); fails after ms.
  async waitFor(rcpt, pred = () => true, ms = 20000) {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const m = this.messages().find((x) => x.to.includes(rcpt) && pred(x));
      if (m) return m;
      await sleep(100);
    }
    throw new Error(`no mail to ${rcpt} within ${ms} ms`);
  }

  cleanup() { rmSync(this.dir, { recursive: true, force: true }); }
}

const PARSE = `
import json, sys, email
from email import policy
out = []
for path in sys.argv[1:]:
    raw = open(path, 'rb').read()
    m = email.message_from_bytes(raw, policy=policy.default)
    parts = {}
    for p in m.walk():
        if p.get_content_maintype() == 'text':
            parts[p.get_content_type()] = p.get_content()
    out.append({
        'file': path, 'subject': str(m['subject']), 'from': str(m['from']),
        'to': str(m['to']), 'date': str(m['date']),
        'date_parsed': m['date'].datetime.isoformat() if m['date'] and m['date'].datetime else None,
        'message_id': str(m['message-id']), 'content_type': m.get_content_type(),
        'language': str(m['content-language']), 'auto_submitted': str(m['auto-submitted']),
        'raw_subject': raw.split(b'\\nSubject: ', 1)[1].split(b'\\nMessage-ID', 1)[0].decode('ascii', 'replace'),
        'text': parts.get('text/plain'), 'html': parts.get('text/html'),
        'defects': [str(d) for d in m.defects] + [str(d) for p in m.walk() for d in p.defects],
        'ascii_only': all(b < 128 for b in raw),
    })
print(json.dumps(out))
`;
