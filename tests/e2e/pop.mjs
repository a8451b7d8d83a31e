// A client's side of DPoP (RFC 9449) and of request objects (RFC 9101),
// written with node:crypto only, so the suites can get every byte wrong on
// purpose: DPoP keys and proofs, JWK thumbprints, signed JWTs.
import { createHash, createHmac, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { ISSUER, b64url, http } from './lib.mjs';

// A key pair: ES256 (P-256) or PS256/RS256 (RSA 2048).
export function dpopKey(alg = 'ES256') {
  const { privateKey, publicKey } = alg === 'ES256'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const full = publicKey.export({ format: 'jwk' });
  const jwk = alg === 'ES256' ? { kty: 'EC', crv: full.crv, x: full.x, y: full.y }
    : { kty: 'RSA', e: full.e, n: full.n };
  return { alg, privateKey, jwk };
}

// RFC 7638: SHA-256 over the required members in lexical order.
export function jkt(key) {
  const j = key.jwk;
  const canon = j.kty === 'EC'
    ? JSON.stringify({ crv: j.crv, kty: j.kty, x: j.x, y: j.y })
    : JSON.stringify({ e: j.e, kty: j.kty, n: j.n });
  return b64url(createHash('sha256').update(canon).digest());
}

function signWith(alg, key, input) {
  if (alg === 'ES256') return sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
  if (alg === 'PS256') return sign('sha256', input, { key, padding: 6, saltLength: 32 });
  if (alg === 'RS256') return sign('sha256', input, key);
  if (alg === 'HS256') return createHmac('sha256', 'a shared secret').update(input).digest();
  return Buffer.alloc(0);
}

// A compact JWS of header and payload, signed with key (alg from the
// header unless sigAlg says otherwise).
export function jws(header, payload, privateKey, sigAlg = header.alg) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${b64url(signWith(sigAlg, privateKey, Buffer.from(input)))}`;
}

export const ath = (token) => b64url(createHash('sha256').update(token).digest());

// A proof for htm htu. opts: nonce, accessToken (ath), and overrides of
// the header (header) and claims (claims; a value of undefined removes
// the claim), and signer (another key than the one in jwk).
export function proof(key, htm, htu, opts = {}) {
  const header = { typ: 'dpop+jwt', alg: key.alg, jwk: key.jwk, ...(opts.header ?? {}) };
  const claims = { jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000),
    ...(opts.nonce ? { nonce: opts.nonce } : {}),
    ...(opts.accessToken ? { ath: ath(opts.accessToken) } : {}), ...(opts.claims ?? {}) };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  for (const [k, v] of Object.entries(header)) if (v === undefined) delete header[k];
  const signer = opts.signer ?? key;
  return jws(header, claims, signer.privateKey, opts.sigAlg ?? signer.alg);
}

// One request with a DPoP proof: the first answer is use_dpop_nonce (the
// provider wants nonces), so the request is sent again with the nonce it
// handed out, as clients do (§8). Returns the final answer and the nonce.
// build(nonce) returns { method, url, headers, form } for http().
export async function withNonce(key, build, nonce) {
  let r;
  for (let i = 0; i < 2; i++) {
    const { method, url, opts, htu } = build(nonce);
    const full = url.startsWith('http') ? url : ISSUER + url;
    const headers = { ...(opts.headers ?? {}), dpop: proof(key, method, htu ?? full.split('?')[0],
      { nonce, accessToken: opts.accessToken }) };
    r = await http(method, full, { ...opts, headers });
    const fresh = r.headers.get('dpop-nonce');
    const wanted = r.json?.error === 'use_dpop_nonce' ||
      /error="use_dpop_nonce"/.test(r.headers.get('www-authenticate') ?? '');
    if (fresh) nonce = fresh;
    if (!wanted) break;
  }
  return { r, nonce };
}

// The nonce the provider hands out now: ask with a proof without one.
export async function currentNonce(base = ISSUER) {
  const r = await http('POST', `${base}/token`, { form: { grant_type: 'client_credentials' },
    headers: { dpop: proof(dpopKey(), 'POST', `${base}/token`) } });
  return r.headers.get('dpop-nonce');
}

// A request object (RFC 9101) of client id signed with kp (rp.mjs
// keyPair: ES256 with a kid); claims override the defaults.
export function requestObject(kp, id, claims = {}, opts = {}) {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'ES256', typ: 'oauth-authz-req+jwt', kid: kp.jwk.kid, ...(opts.header ?? {}) };
  const body = { iss: id, aud: ISSUER, client_id: id, iat: now, nbf: now, exp: now + 120,
    jti: randomUUID(), ...claims };
  for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
  return jws(header, body, kp.privateKey, opts.sigAlg ?? header.alg);
}

export const randomState = () => b64url(randomBytes(8));
