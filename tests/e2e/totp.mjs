// An authenticator app's side of RFC 6238, written here with node's HMAC
// (independent of the provider's code): the key as the set-up page shows
// it (base32, RFC 4648, in groups) and the 6-digit codes of a time step.
import { createHmac } from 'node:crypto';

export function base32(s) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, v = 0;
  const out = [];
  for (const ch of s.replace(/\s+/g, '')) {
    v = (v << 5) | abc.indexOf(ch);
    bits += 5;
    if (bits >= 8) { out.push((v >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

// The code of time step step (SHA-1, 6 digits).
export function totpAt(key, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(msg).digest();
  const o = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// The code of now's step plus offset (30-second steps).
export function totp(key, offset = 0) {
  return totpAt(key, Math.floor(Date.now() / 1000 / 30) + offset);
}
