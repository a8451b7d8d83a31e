// A service's back-channel logout endpoint on loopback, for the logout
// suites: it records every logout_token POSTed to it and answers with
// the status the test sets (200 by default), after beforeAnswer (an async
// function the test may set) has run. stop() takes it off the
// network (a service that is down); start() brings it back on the same
// port.
import { createServer } from 'node:http';
import { sleep } from './lib.mjs';

export class LogoutReceiver {
  constructor() {
    this.status = 200;
    this.delayMs = 0;
    this.beforeAnswer = null;
    this.tokens = [];	// { token, at, contentType }
    this.hits = 0;
    this.port = 0;
  }

  get url() { return `http://127.0.0.1:${this.port}/backchannel`; }

  async start() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', async () => {
        this.hits += 1;
        if (this.delayMs) await sleep(this.delayMs);
        const token = new URLSearchParams(body).get('logout_token');
        if (req.method === 'POST' && token) {
          this.tokens.push({ token, at: Date.now(), contentType: req.headers['content-type'],
            cacheControl: req.headers['cache-control'] });
        }
        if (this.beforeAnswer) await this.beforeAnswer();
        res.writeHead(this.status, { 'cache-control': 'no-store' });
        res.end();
      });
    });
    await new Promise((r) => this.server.listen(this.port, '127.0.0.1', r));
    this.port = this.server.address().port;
    return this;
  }

  async stop() {
    if (!this.server) return;
    this.server.closeAllConnections?.();
    await new Promise((r) => this.server.close(r));
    this.server = undefined;
  }

  async waitFor(n, ms = 20000) {
    const end = Date.now() + ms;
    while (this.tokens.length < n && Date.now() < end) await sleep(50);
    return this.tokens;
  }
}
