import { createHmac, timingSafeEqual } from 'node:crypto';
import { verifyPin } from '@mynakit/jpki';

/**
 * The stored verifier of an offer's Transaction Code (OpenID4VCI 1.0 §4.1.1 `tx_code`: a short code sent to
 * the holder on another channel and typed into the wallet, "to prevent replay of this code by an attacker
 * that, for example, scanned the QR code").
 *
 *   verifier = "hmac-sha256$v1$" ‖ base64url( HMAC-SHA-256(key = LABEL ‖ pre-authorized code, tx_code) )
 *
 * Why a keyed hash and not a password KDF (scrypt, as the cards' PINs): the tx_code never stands alone.
 * It is only ever checked together with its offer's pre-authorized code — 256 random bits, stored only as
 * SHA-256 (offer-repository.ts) — and the attempt limit (DEFAULT_TX_CODE_ATTEMPT_LIMIT, reserved atomically
 * before every check) is what protects a 6-digit code against guessing online. Offline, a leaked row holds
 * SHA-256(code) and this verifier: trying the 10^6 tx_codes needs the HMAC key, i.e. the code itself, which
 * a preimage of SHA-256 would be needed to learn. So the verifier is as strong as the code; a memory-hard
 * KDF would add nothing but ~100 ms of CPU per offer and per token request — and that CPU is itself a
 * denial-of-service lever on a public endpoint.
 *
 * Why the label in the key: HMAC replaces a key longer than the 64-byte block by its SHA-256 (RFC 2104 §2),
 * and codes of up to 512 characters are accepted; keyed by the bare code, such a key would be the very hash
 * the row stores. With the label the key is never SHA-256(code), and a verifier is bound to its offer (it
 * cannot be moved to another row). The code is unique per offer, so no salt is needed.
 *
 * Comparison is constant-time (timingSafeEqual on the 32-byte MACs). Verifiers of the earlier format —
 * `scrypt$N$r$p$salt$hash` (RFC 7914, @mynakit/jpki's PIN verifier form) — are still checked, so offers
 * made before an upgrade stay redeemable for the rest of their life (OFFER_TTL_SECONDS).
 */

/** The scheme prefix of a tx_code verifier (scheme and version travel with it, so it can change later). */
export const TX_CODE_VERIFIER_PREFIX = 'hmac-sha256$v1$';

/** Domain separation of the HMAC key (see the file comment: never the stored SHA-256 of the code). */
const KEY_LABEL = 'mynakit/oid4vci/tx_code/v1:';
const MAC_BYTES = 32;
const VERIFIER = /^hmac-sha256\$v1\$([A-Za-z0-9_-]{43})$/;

function macOf(txCode: string, preAuthorizedCode: string): Buffer {
  return createHmac('sha256', Buffer.from(KEY_LABEL + preAuthorizedCode, 'utf8'))
    .update(txCode, 'utf8')
    .digest();
}

/** Makes the stored verifier of `txCode` for the offer of `preAuthorizedCode`. */
export function createTxCodeVerifier(txCode: string, preAuthorizedCode: string): string {
  return TX_CODE_VERIFIER_PREFIX + macOf(txCode, preAuthorizedCode).toString('base64url');
}

/**
 * Whether `txCode` matches the verifier stored for the offer of `preAuthorizedCode` (constant-time).
 * False for a verifier of no known form.
 */
export async function verifyTxCode(
  txCode: string,
  preAuthorizedCode: string,
  verifier: string,
): Promise<boolean> {
  const m = VERIFIER.exec(verifier);
  if (m !== null) {
    const stored = Buffer.from(m[1] as string, 'base64url');
    return stored.length === MAC_BYTES && timingSafeEqual(stored, macOf(txCode, preAuthorizedCode));
  }
  if (verifier.startsWith('scrypt$')) {
    try {
      return await verifyPin(txCode, verifier);
    } catch {
      return false;
    }
  }
  return false;
}
