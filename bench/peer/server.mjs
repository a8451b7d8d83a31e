// oidc-provider (panva/node-oidc-provider), set up like idp for the
// side-by-side part of bench/run.sh --peer:
//   * the same signing keys: idp's RS256 and ES256 PEM files (PEER_KEY_DIR),
//     published in /jwks with the same kids;
//   * two client_credentials clients with client_secret_basic:
//     PEER_OPAQUE_ID (opaque access tokens) and PEER_JWT_ID (RFC 9068 JWT
//     access tokens signed ES256), each with its resource server chosen by
//     features.resourceIndicators.defaultResource, so neither has to send
//     `resource`, as with idp;
//   * no development interactions; run with NODE_ENV=production.
// Opaque tokens live in oidc-provider's default in-memory adapter (idp
// writes them to PostgreSQL): that favours the peer, see docs/performance.md.
//
//   PEER_PORT=... PEER_KEY_DIR=... PEER_OPAQUE_ID=... PEER_OPAQUE_SECRET=...
//   PEER_JWT_ID=... PEER_JWT_SECRET=... node bench/peer/server.mjs
//
// PEER_PROCS=N (default 1) runs N processes with node:cluster sharing the
// port, one per core being the usual way to spread a Node.js server (each
// keeps its own in-memory tokens, which the client_credentials workloads
// never read back).
import cluster from 'node:cluster';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Provider from 'oidc-provider';

const env = process.env;
const port = Number(env.PEER_PORT);
const procs = Number(env.PEER_PROCS ?? 1);
if (procs > 1 && cluster.isPrimary) {
  for (let i = 0; i < procs; i++) cluster.fork();
  cluster.on('exit', (w, code) => {
    console.error(`oidc-provider worker ${w.process.pid} exited (${code})`);
    process.exit(1);
  });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers)) w.process.kill('SIGTERM');
    process.exit(0);
  });
  await new Promise(() => {});
}
const issuer = `http://127.0.0.1:${port}`;

const keys = [];
for (const f of readdirSync(env.PEER_KEY_DIR).filter((n) => n.endsWith('.pem')).sort()) {
  const key = createPrivateKey(readFileSync(join(env.PEER_KEY_DIR, f)));
  const jwk = key.export({ format: 'jwk' });
  jwk.kid = f.replace(/\.pem$/, '');
  jwk.use = 'sig';
  jwk.alg = jwk.kty === 'EC' ? 'ES256' : 'RS256';
  keys.push(jwk);
}
if (!keys.some((k) => k.alg === 'ES256') || !keys.some((k) => k.alg === 'RS256')) {
  throw new Error(`${env.PEER_KEY_DIR}: need an RS256 and an ES256 key`);
}

const API_OPAQUE = 'https://api-opaque.bench.baliprov.go.id';
const API_JWT = 'https://api-jwt.bench.baliprov.go.id';
const ccClient = (id, secret) => ({
  client_id: id,
  client_secret: secret,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: 'api.read api.write',
});

const provider = new Provider(issuer, {
  clients: [
    ccClient(env.PEER_OPAQUE_ID, env.PEER_OPAQUE_SECRET),
    ccClient(env.PEER_JWT_ID, env.PEER_JWT_SECRET),
  ],
  jwks: { keys },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  scopes: ['openid', 'api.read', 'api.write'],
  ttl: { ClientCredentials: 900, AccessToken: 900 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: false },
    revocation: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (ctx, client) => (client.clientId === env.PEER_JWT_ID
        ? API_JWT : API_OPAQUE),
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, resource) => {
        if (resource === API_JWT) {
          return { scope: 'api.read api.write', audience: API_JWT, accessTokenTTL: 900,
            accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
        }
        if (resource === API_OPAQUE) {
          return { scope: 'api.read api.write', audience: API_OPAQUE, accessTokenTTL: 900,
            accessTokenFormat: 'opaque' };
        }
        throw new Provider.errors.InvalidTarget();
      },
    },
  },
});

provider.listen(port, '127.0.0.1');
console.log(`oidc-provider listening on ${issuer}`);
