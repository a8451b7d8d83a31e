// Apache httpd with mod_auth_openidc (Debian libapache2-mod-auth-openidc)
// on loopback, as an off-the-shelf relying party: one protected location,
// /protected/, whose redirect URI also receives back-channel logout
// (?logout=backchannel); its page is /protected/index.html. Started and stopped by the test.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const MODULES = '/usr/lib/apache2/modules';
export const haveApache = () => spawnSync('/usr/sbin/apache2', ['-v']).status === 0 &&
  spawnSync('test', ['-f', `${MODULES}/mod_auth_openidc.so`]).status === 0;

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

export class Apache {
  constructor({ issuer, clientId, secret }) {
    Object.assign(this, { issuer, clientId, secret });
  }

  get base() { return `http://127.0.0.1:${this.port}`; }
  get page() { return `${this.base}/protected/index.html`; }
  get redirectUri() { return `${this.base}/protected/redirect_uri`; }
  get backchannelUri() { return `${this.redirectUri}?logout=backchannel`; }

  async prepare() {
    this.port = await freePort();
    this.dir = mkdtempSync('/tmp/idp-apache-');
    chmodSync(this.dir, 0o755);
    return this;
  }

  config() {
    const root = process.getuid?.() === 0;
    return `ServerRoot ${this.dir}
ServerName 127.0.0.1
Listen 127.0.0.1:${this.port}
PidFile ${this.dir}/httpd.pid
ErrorLog ${this.dir}/error.log
LogLevel warn auth_openidc:info
LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so
LoadModule authn_core_module ${MODULES}/mod_authn_core.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule authz_user_module ${MODULES}/mod_authz_user.so
LoadModule auth_openidc_module ${MODULES}/mod_auth_openidc.so
${root ? 'User www-data\nGroup www-data' : ''}
DocumentRoot ${this.dir}
OIDCProviderMetadataURL ${this.issuer}/.well-known/openid-configuration
OIDCClientID ${this.clientId}
OIDCClientSecret ${this.secret}
OIDCRedirectURI ${this.redirectUri}
OIDCCryptoPassphrase ${Math.random().toString(36).slice(2)}${Date.now()}
OIDCScope "openid"
OIDCPKCEMethod S256
OIDCSessionType server-cache
OIDCCacheType shm
<Location /protected/>
  AuthType openid-connect
  Require valid-user
</Location>
`;
  }

  async start() {
    writeFileSync(join(this.dir, 'httpd.conf'), this.config());
    mkdirSync(join(this.dir, 'protected'));
    writeFileSync(join(this.dir, 'protected', 'index.html'), 'ok\n');
    this.proc = spawn('/usr/sbin/apache2', ['-f', join(this.dir, 'httpd.conf'), '-DFOREGROUND'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    this.proc.stdout.on('data', (d) => { out += d; });
    this.proc.stderr.on('data', (d) => { out += d; });
    this.exited = new Promise((r) => this.proc.on('exit', r));
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`${this.base}/`, { redirect: 'manual' }).then(() => true, () => false);
      if (up) return this;
      if (this.proc.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`apache did not start: ${out}\n${this.log()}`);
  }

  log() {
    try { return readFileSync(join(this.dir, 'error.log'), 'utf8'); } catch { return ''; }
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      await this.exited;
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
