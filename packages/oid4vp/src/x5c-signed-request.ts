/**
 * A request object signed by the relying party with its certificate chain in the JOSE header — the
 * OpenID4VP request object (RFC 9101 JAR, `x509_san_dns` / `x509_hash` client ids, OpenID4VP 1.0 §5.9.3) and
 * the JPKI request object (jpki-request/) share this check, so that "which algorithm, which key, which
 * chain" is decided in one place:
 *
 * - a compact JWS of bounded length whose protected header has the expected `typ`, an asymmetric `alg` of
 *   the allowed list (never `none`, never a MAC) and `x5c` — 1 to `maxChain` certificates, standard base64
 *   DER per RFC 7515 §4.1.6 (base64url accepted too), leaf first;
 * - the signature verified with the leaf's key, then the path from the leaf through the other certificates
 *   to one of the caller's trust anchors at `now` (RFC 5280; a root the message carries is never trusted);
 * - the payload a JSON object (RFC 9101 §4: a JWT Claims Set), UTF-8 read strictly.
 *
 * Throws Oid4vpError: DECODE (not a bounded compact JWS, a certificate that does not parse, a payload that is
 * no JSON object), REQUEST_SIGNATURE_INVALID (typ, algorithm, no or too long x5c, signature),
 * REQUEST_CERTIFICATE_UNTRUSTED (no path to a trust anchor).
 */

import { base64urlToBytes } from '@mynakit/cbor';
import { type Certificate, parseCertificate, validateCertificatePath } from '@mynakit/pki';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { Oid4vpError } from './errors.js';

type TrustAnchors = Parameters<typeof validateCertificatePath>[0]['trustAnchors'];

/** The JWS algorithms a signed request may use (RFC 7518 / RFC 8037): asymmetric only. */
export const SIGNED_REQUEST_ALGORITHMS: readonly string[] = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'PS256',
  'RS256',
];

/** What verifySignedRequest checks against. */
export interface SignedRequestExpectations {
  /** The `typ` the header must carry. */
  readonly typ: string;
  /** The trust anchors the chain must reach (as @mynakit/pki validateCertificatePath takes them). */
  readonly trustAnchors: Readonly<TrustAnchors>;
  /** The instant the path is validated at. */
  readonly now: Date;
  /** Longest compact JWS accepted, characters. */
  readonly maxChars: number;
  /** Most certificates in `x5c`. */
  readonly maxChain: number;
}

/** A verified signed request: its header, its claims and its certificate chain (leaf first). */
export interface VerifiedSignedRequest {
  readonly header: ReturnType<typeof decodeProtectedHeader>;
  readonly claims: Record<string, unknown>;
  readonly chain: readonly Certificate[];
  readonly leaf: Certificate;
}

/** Verifies `jws` (see the file comment). */
export async function verifySignedRequest(
  jws: string,
  expected: SignedRequestExpectations,
): Promise<VerifiedSignedRequest> {
  if (typeof jws !== 'string' || jws.length > expected.maxChars)
    throw new Oid4vpError('DECODE', 'the request object is not a compact JWS of bounded size');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch (e) {
    throw new Oid4vpError('DECODE', 'the request object is not a compact JWS', { cause: e });
  }
  if (header.typ !== expected.typ)
    throw new Oid4vpError('REQUEST_SIGNATURE_INVALID', `the request object typ must be ${expected.typ}`);
  if (typeof header.alg !== 'string' || !SIGNED_REQUEST_ALGORITHMS.includes(header.alg))
    throw new Oid4vpError('REQUEST_SIGNATURE_INVALID', 'the request object uses an unsupported algorithm');
  if (!Array.isArray(header.x5c) || header.x5c.length === 0 || header.x5c.length > expected.maxChain)
    throw new Oid4vpError(
      'REQUEST_SIGNATURE_INVALID',
      `the request object has no x5c chain of 1 to ${expected.maxChain} certificates`,
    );
  let chain: Certificate[];
  try {
    // RFC 7515 §4.1.6: standard base64 DER; the reader takes base64url as well.
    chain = header.x5c.map((c) => parseCertificate(base64urlToBytes(String(c))));
  } catch (e) {
    throw new Oid4vpError('DECODE', 'x5c holds a certificate that does not parse', { cause: e });
  }
  const leaf = chain[0] as Certificate;
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, leaf.publicKey, { algorithms: [header.alg] }));
  } catch (e) {
    throw new Oid4vpError('REQUEST_SIGNATURE_INVALID', 'the request object signature does not verify', {
      cause: e,
    });
  }
  const path = validateCertificatePath({
    leaf,
    intermediates: chain.slice(1),
    trustAnchors: [...expected.trustAnchors],
    now: expected.now,
  });
  if (!path.ok)
    throw new Oid4vpError(
      'REQUEST_CERTIFICATE_UNTRUSTED',
      `the request certificate does not chain to a trusted anchor (${path.failure?.code ?? 'no path'})`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch (e) {
    throw new Oid4vpError('DECODE', 'the request object payload is not JSON', { cause: e });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Oid4vpError('DECODE', 'the request object payload is not a JSON object');
  return { header, claims: parsed as Record<string, unknown>, chain, leaf };
}
