/**
 * Unpredictable values the OpenID4VCI endpoints hand out — access tokens (RFC 6749 §10.10: "the probability
 * of an attacker guessing generated tokens … MUST be less than or equal to 2^(-128)") and c_nonces (§7.2:
 * "MUST be unpredictable") — as 256 random bits, base64url.
 */
import type { IssuerDeps } from '../context.js';

/** 32 random bytes from the deps' source (default crypto.getRandomValues), base64url without padding. */
export function randomToken(deps: Pick<IssuerDeps, 'random'>): string {
  const bytes = new Uint8Array(32);
  const filled = deps.random ? deps.random(bytes) : globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(filled.buffer, filled.byteOffset, filled.byteLength).toString('base64url');
}
