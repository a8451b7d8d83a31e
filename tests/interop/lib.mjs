// What the interoperability suites share: idpctl to set up people and
// clients, and a person with a browser (cookies, the login form,
// redirects). The relying parties themselves are the libraries under test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as client from 'openid-client';

export const ISSUER = process.env.IDP_URL;
export const REDIRECT = 'http://127.0.0.1:8081/callback';

export function idpctl(args, input) {
  const r = spawnSync(process.env.IDP_CTL, args, { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return args.includes('--json') ? JSON.parse(r.stdout) : {};
}

// A person with a browser: cookies, the login form, redirects.
export class Browser {
  constructor() { this.cookies = new Map(); }
  async get(url, init = {}) {
    const headers = { ...(init.headers ?? {}) };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  }
  // Follow the provider until it sends the browser to the relying party.
  async signIn(url, username, password) {
    let res = await this.get(url);
    if (res.status === 200) {
      const html = await res.text();
      const field = (n) => new RegExp(`name="${n}" value="([^"]*)"`).exec(html)[1];
      res = await this.get(new URL('/login', ISSUER), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login: field('login'), csrf_token: field('csrf_token'),
          username, password }),
      });
    }
    assert.equal(res.status, 302);
    return new URL(res.headers.get('location'));
  }
}

// openid-client's configuration of a client, with ID token signatures
// checked against the JWKS (openid-client leaves that out by default).
export async function discover(id, secret, alg) {
  const config = await client.discovery(new URL(ISSUER), id,
    { id_token_signed_response_alg: alg ?? 'RS256' }, client.ClientSecretBasic(secret),
    { execute: [client.allowInsecureRequests] });
  client.enableNonRepudiationChecks(config);
  return config;
}
