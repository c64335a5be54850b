/**
 * The proof a phone gives to subscribe to its installation's notices: a signature by a key that only that
 * phone holds, over a challenge the issuer handed out.
 *
 * Signed bytes (domain-separated, so a signature made here serves nowhere else, and one made elsewhere —
 * an mdoc DeviceAuthentication, a JPKI login at a clinic — never passes here):
 *
 *   M = UTF-8( "mynakit-notices-v1" "|" origin "|" installationId "|" challenge )
 *
 * where `origin` is the issuer's origin exactly as configured (IssuerConfig.origin, e.g.
 * `https://issuer.example`), `installationId` the installation's id and `challenge` the base64url text
 * answered by POST /notices/challenges, all as sent, with no padding, spaces or newline; none of the three
 * contains `|`. Two algorithms, one per key the phone may hold:
 *
 * - `ES256` — the card-substitute record's device key (ISO/IEC 18013-5 §9.1.2.4 MSO
 *   `deviceKeyInfo.deviceKey`, P-256): ECDSA with SHA-256 over M (FIPS 186-5), the signature as the
 *   64-byte `r ‖ s` of JWS ES256 (RFC 7518 §3.4), base64url. The key is read from the installation's stored
 *   IssuerSigned, never from the request.
 * - `RS256` — the smartphone JPKI user-authentication key, for an installation without a record (the
 *   Android family gets its certificates first, DOMAIN.md §1): RSASSA-PKCS1-v1_5 with SHA-256 over M
 *   (RFC 8017 §8.2), base64url. A JPKI key signs a DigestInfo it is given (DOMAIN.md §3 "Signatures"), so
 *   the phone hands it DigestInfo(SHA-256, SHA-256(M)) — exactly this signature. The key is read from the
 *   installation's stored certificate.
 *
 * Keys of revoked credentials count: a superseded or revoked phone must still be able to hear that it lost
 * its record (design: the old phone learns it was superseded).
 */
import { type KeyObject, verify, X509Certificate } from 'node:crypto';
import { decodeIssuerSignedBytes, publicKeyFromCoseKey } from '@mynakit/mdoc';
import type { Credential } from '../store/credential-repository.js';

/** The domain-separation label of the signed bytes (its version changes if the format ever does). */
export const NOTICES_PROOF_LABEL = 'mynakit-notices-v1';

/** The proof algorithms: the record's device key, or the JPKI user-authentication key. */
export type NoticeProofAlgorithm = 'ES256' | 'RS256';

/** A subscription proof as received. */
export interface NoticeProof {
  readonly alg: NoticeProofAlgorithm;
  /** base64url of the signature (ES256: r ‖ s, 64 bytes; RS256: the modulus length). */
  readonly signature: string;
}

/** At most this many of the installation's credentials are tried (an installation holds three). */
export const MAX_PROOF_KEYS = 8;

/** The bytes a subscription proof signs (see the module comment). */
export function noticeProofMessage(origin: string, installationId: string, challenge: string): Uint8Array {
  return new TextEncoder().encode(`${NOTICES_PROOF_LABEL}|${origin}|${installationId}|${challenge}`);
}

/** The record's device key from a stored IssuerSigned, or undefined when it cannot be read. */
function deviceKeyOf(issuerSigned: Uint8Array): KeyObject | undefined {
  try {
    const deviceKey = decodeIssuerSignedBytes(issuerSigned).mso?.deviceKeyInfo.deviceKey;
    return deviceKey === undefined ? undefined : publicKeyFromCoseKey(deviceKey);
  } catch {
    return undefined;
  }
}

/** The certified key of a stored DER certificate, or undefined. */
function certificateKeyOf(der: Uint8Array): KeyObject | undefined {
  try {
    return new X509Certificate(Buffer.from(der)).publicKey;
  } catch {
    return undefined;
  }
}

/** The keys of the installation's credentials that can make a proof with `alg`, at most MAX_PROOF_KEYS. */
export function proofKeysOf(credentials: readonly Credential[], alg: NoticeProofAlgorithm): KeyObject[] {
  const keys: KeyObject[] = [];
  for (const c of credentials.slice(0, MAX_PROOF_KEYS)) {
    const key =
      alg === 'ES256' && c.kind === 'mdoc'
        ? deviceKeyOf(c.bytes)
        : alg === 'RS256' && c.kind === 'jpki-auth'
          ? certificateKeyOf(c.bytes)
          : undefined;
    if (key === undefined) continue;
    if (
      alg === 'ES256' &&
      (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    )
      continue;
    if (alg === 'RS256' && key.asymmetricKeyType !== 'rsa') continue;
    keys.push(key);
  }
  return keys;
}

/** Whether `signature` (base64url) by one of `keys` verifies over `message` with `alg`. Never throws. */
export function verifyNoticeProof(
  keys: readonly KeyObject[],
  alg: NoticeProofAlgorithm,
  signature: string,
  message: Uint8Array,
): boolean {
  if (!/^[A-Za-z0-9_-]{1,1400}$/.test(signature)) return false;
  const bytes = Buffer.from(signature, 'base64url');
  if (alg === 'ES256' && bytes.length !== 64) return false;
  for (const key of keys) {
    try {
      const ok =
        alg === 'ES256'
          ? verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, bytes)
          : verify('sha256', message, key, bytes);
      if (ok) return true;
    } catch {
      // A key that cannot verify this signature is simply not the signer.
    }
  }
  return false;
}
