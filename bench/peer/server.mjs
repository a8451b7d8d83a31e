// oidc-provider (panva/node-oidc-provider), set up like idp for the
// side-by-side part of bench/run.sh --peer:
//   * the same signing keys: idp's RS256 and ES256 PEM files (PEER_KEY_DIR),
//     published in /jwks with the same kids;
//   * two client_credentials clients with client_secret_basic:
//     PEER_OPAQUE_ID (opaque access tokens) and PEER_JWT_ID (RFC 9068 JWT
//     access tokens signed ES256), each with its resource server chosen by
//     features.resourceIndicators.defaultResource, so neither has to send
//     `resource`, as with idp;
//   * a relying party like idp's bench-rp-01 (PEER_RP_ID, PEER_RP_SECRET,
//     PEER_RP_REDIRECT): authorization code with PKCE and refresh tokens,
//     client_secret_basic, RS256 ID tokens carrying the profile claims (as
//     idp's do), opaque access tokens; a refresh token with every code
//     exchange and a new one on every refresh (idp rotates too);
//   * the people of the benchmark directory (PEER_USERS, users.csv of
//     bench/gen_directory.mjs) and their passwords (PEER_CREDS,
//     credentials.tsv), who sign in through oidc-provider's interaction API
//     with the small login form below; the first-party relying party gets
//     its consent without a page, as idp's first-party clients do. Signing
//     in is preparation (bench/prep.mjs peer-sessions), not measured: the password
//     is compared as it is, not hashed;
//   * no development interactions; run with NODE_ENV=production.
// Tokens, codes, sessions and grants live in oidc-provider's in-memory
// adapter (idp writes them to PostgreSQL and waits for each commit to be
// durable): that favours the peer, see docs/performance.md. Its default
// store keeps only the last 1,000 entries, so codes and refresh tokens
// minted for a run would be gone when used; this store keeps ten million.
//
//   PEER_PORT=... PEER_KEY_DIR=... PEER_OPAQUE_ID=... PEER_OPAQUE_SECRET=...
//   PEER_JWT_ID=... PEER_JWT_SECRET=... PEER_RP_ID=... PEER_RP_SECRET=...
//   PEER_RP_REDIRECT=... PEER_USERS=... PEER_CREDS=... node bench/peer/server.mjs
//
// PEER_PROCS=N (default 1) runs N processes with node:cluster sharing the
// port, one per core being the usual way to spread a Node.js server (each
// keeps its own in-memory tokens, which the client_credentials workloads
// never read back).
import cluster from 'node:cluster';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import Provider from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';
import LRU from 'oidc-provider/lib/helpers/lru.js';

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

// The people: username -> { password, claims }. users.csv fields are
// double-quoted with "" for a quote.
function csvRow(line) {
  const out = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') { field += '"'; i++; }
    else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) { out.push(field); field = ''; }
    else field += ch;
  }
  out.push(field);
  return out;
}
const people = new Map();
for (const line of readFileSync(env.PEER_USERS, 'utf8').split('\n')) {
  if (!line) continue;
  const [username, , name, email, phone, , job, org] = csvRow(line);
  people.set(username, { name, email, phone, job, org });
}
for (const line of readFileSync(env.PEER_CREDS, 'utf8').split('\n')) {
  const [username, password] = line.split('\t');
  if (people.has(username)) people.get(username).password = password;
}
function findAccount(ctx, id) {
  const p = people.get(id);
  if (!p) return undefined;
  return {
    accountId: id,
    async claims() {
      return { sub: id, name: p.name, preferred_username: id, email: p.email,
        email_verified: false, phone_number: p.phone || undefined, job_title: p.job,
        organisation: p.org };
    },
  };
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

const store = new LRU({ maxSize: 10_000_000 });
const provider = new Provider(issuer, {
  adapter: (model) => new MemoryAdapter(model, store),
  clients: [
    ccClient(env.PEER_OPAQUE_ID, env.PEER_OPAQUE_SECRET),
    ccClient(env.PEER_JWT_ID, env.PEER_JWT_SECRET),
    {
      client_id: env.PEER_RP_ID,
      client_secret: env.PEER_RP_SECRET,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [env.PEER_RP_REDIRECT],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
      scope: 'openid profile email organisation',
    },
  ],
  jwks: { keys },
  findAccount,
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  scopes: ['openid', 'api.read', 'api.write'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username', 'job_title'],
    email: ['email', 'email_verified'],
    phone: ['phone_number'],
    organisation: ['organisation'],
  },
  // Like idp: profile claims in the ID token, a refresh token for every
  // client allowed the grant (no offline_access), rotated on every use.
  conformIdTokenClaims: false,
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: () => true,
  ttl: { ClientCredentials: 900, AccessToken: 900, IdToken: 900, AuthorizationCode: 60,
    RefreshToken: 1209600, Grant: 1209600, Session: 36000, Interaction: 900 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: false },
    revocation: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (ctx, client) => ({
        [env.PEER_JWT_ID]: API_JWT, [env.PEER_OPAQUE_ID]: API_OPAQUE,
      })[client.clientId],
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

// The login interaction: GET /interaction/UID shows a form for the login
// prompt, POST /interaction/UID/login checks it; the consent prompt of the
// (first-party) relying party is answered at once with a grant of what it
// asked for.
const page = (uid, error) => `<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>Masuk</title></head><body><h1>Masuk</h1>${error ? `<p>${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<input name="username" autocomplete="username"><input name="password" type="password">
<button>Masuk</button></form></body></html>`;

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function consent(req, res, details) {
  const { prompt, params, session, grantId } = details;
  const grant = grantId ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } },
    { mergeWithLastSubmission: true });
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'consent') return consent(req, res, details);
  if (req.method === 'GET') {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    return res.end(page(details.uid));
  }
  const form = await readForm(req);
  const p = people.get(form.get('username'));
  if (!p || p.password !== form.get('password')) {
    res.statusCode = 400;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    return res.end(page(details.uid, 'Nama pengguna atau sandi salah.'));
  }
  return provider.interactionFinished(req, res,
    { login: { accountId: form.get('username') } }, { mergeWithLastSubmission: false });
}

const app = provider.callback();
createServer((req, res) => {
  if (!req.url.startsWith('/interaction/')) return app(req, res);
  return interaction(req, res).catch((err) => {
    console.error(err);
    res.statusCode = 400;
    res.end(String(err.message));
  });
}).listen(port, '127.0.0.1');
console.log(`oidc-provider listening on ${issuer}`);
