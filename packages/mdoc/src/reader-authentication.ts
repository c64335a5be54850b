/**
 * ReaderAuthentication — ISO/IEC 18013-5:2021 §9.1.4:
 *
 *   ReaderAuthentication = [
 *     "ReaderAuthentication",
 *     SessionTranscript,
 *     ItemsRequestBytes
 *   ]
 *   ReaderAuthenticationBytes = #6.24(bstr .cbor ReaderAuthentication)
 *
 * and, for DeviceRequest version "1.1" (second edition; ISO/IEC 18013-7 Annex C requests):
 *
 *   ReaderAuthenticationAll = [
 *     "ReaderAuthenticationAll",
 *     SessionTranscript,
 *     [+ ItemsRequestBytes],
 *     DeviceRequestInfoBytes / null
 *   ]
 *   ReaderAuthenticationAllBytes = #6.24(bstr .cbor ReaderAuthenticationAll)
 *
 * readerAuth is a COSE_Sign1 whose detached payload is these bytes; the reader certificate chain is
 * in its x5chain header. SessionTranscript and ItemsRequestBytes are embedded byte-exact.
 */
import { bytesEqual, type CborValue, type EncodedCbor, encode, RawCbor } from '@mynakit/cbor';
import {
  type CoseMessage,
  criticalHeaderProblem,
  protectedAlgorithm,
  sigStructure1,
  UNDERSTOOD_HEADER_LABELS,
  verifySignature,
} from '@mynakit/cose';
import {
  type Certificate,
  parseCertificate,
  type ValidationPolicy,
  validateCertificatePath,
} from '@mynakit/pki';
import { type Check, type Verdict, verdictOf } from '@mynakit/report';
import { type DeviceRequest, decodeDeviceRequestBytes, type ItemsRequest } from './device-request.js';
import { readCose, x5chainOf } from './internal/shape.js';
import { mdocSignatureAlgorithm } from './internal/signing.js';
import { sessionTranscriptOf, toSessionTranscriptBytes, wrapInTag24 } from './session-transcript.js';
import { normaliseAnchors } from './verify-issuer-signed.js';

export function readerAuthenticationBytes(
  sessionTranscriptBytes: Uint8Array,
  itemsRequestBytes: EncodedCbor,
): Uint8Array {
  return wrapInTag24(
    encode([
      'ReaderAuthentication',
      new RawCbor(sessionTranscriptOf(sessionTranscriptBytes)),
      new RawCbor(itemsRequestBytes.raw),
    ]),
  );
}

/**
 * ReaderAuthenticationAllBytes. `withDeviceRequestInfo: false` gives the three-element form some
 * early implementations sign (without the fourth element); verifiers try both.
 */
export function readerAuthenticationAllBytes(
  sessionTranscriptBytes: Uint8Array,
  itemsRequestBytes: readonly EncodedCbor[],
  deviceRequestInfoBytes: EncodedCbor | undefined,
  withDeviceRequestInfo = true,
): Uint8Array {
  const parts: CborValue[] = [
    'ReaderAuthenticationAll',
    new RawCbor(sessionTranscriptOf(sessionTranscriptBytes)),
    itemsRequestBytes.map((b) => new RawCbor(b.raw)),
  ];
  if (withDeviceRequestInfo)
    parts.push(deviceRequestInfoBytes ? new RawCbor(deviceRequestInfoBytes.raw) : null);
  return wrapInTag24(encode(parts));
}

export interface VerifyReaderAuthOptions {
  /** SessionTranscriptBytes (tag 24) or a bare SessionTranscript, used byte-exact. */
  readonly sessionTranscriptBytes: Uint8Array;
  /** Trusted reader roots (or reader certificates trusted directly). */
  readonly trustAnchors: readonly (Certificate | Uint8Array | string)[];
  readonly now: Date;
  readonly policy?: ValidationPolicy;
}

export interface ReaderAuthenticationResult {
  readonly verdict: Verdict;
  /** reader.signature and reader.path per signature found (readerAuthAll first, then per DocRequest). */
  readonly checks: readonly Check[];
  readonly docRequests: readonly {
    readonly docType: string;
    readonly nameSpaces: ItemsRequest['nameSpaces'];
    readonly requestInfo?: ItemsRequest['requestInfo'];
    /** Whether a verified reader signature covers this DocRequest. */
    readonly authenticated: boolean;
  }[];
  /** The authenticated reader certificate (leaf), when one verified. */
  readonly readerCertificate?: Certificate;
}

/** ISO/IEC 18013-5 Annex B.1.7: reader authentication certificate EKU (id-mdl-kp-mdlReaderAuth). */
export const MDOC_READER_AUTH_EKU = '1.0.18013.5.1.6';

/**
 * Verifies a DeviceRequest's reader authentication (§9.1.4): every `readerAuth` (per DocRequest) and
 * `readerAuthAll` (version 1.1) signature over its detached ReaderAuthentication(All)Bytes with the
 * reader certificate of its x5chain, whose path is validated to the given anchors at `now`. A request
 * without any reader authentication is `undetermined` (nothing proves who asks).
 */
export function verifyReaderAuth(
  deviceRequest: Uint8Array | DeviceRequest,
  options: VerifyReaderAuthOptions,
): ReaderAuthenticationResult {
  const checks: Check[] = [];
  let req: DeviceRequest;
  let st: Uint8Array;
  try {
    req = deviceRequest instanceof Uint8Array ? decodeDeviceRequestBytes(deviceRequest) : deviceRequest;
    st = toSessionTranscriptBytes(options.sessionTranscriptBytes);
  } catch (e) {
    checks.push({
      id: 'decode',
      status: 'failed',
      detail: `DeviceRequest cannot be read: ${(e as Error).message}`,
    });
    return { verdict: 'invalid', checks, docRequests: [] };
  }
  // A configured anchor that is not a certificate is the caller's error (MDOC_INVALID_TRUST_ANCHOR), not a
  // statement about the request: the same rule as for issuer authentication.
  const anchors = normaliseAnchors(options.trustAnchors);
  let readerCertificate: Certificate | undefined;
  const verifyOne = (value: CborValue, payloads: readonly Uint8Array[], what: string): boolean => {
    try {
      return verifyOneUnguarded(value, payloads, what);
    } catch (e) {
      // A certificate that a parser rejects late (e.g. a damaged extension) is a failed path.
      checks.push({
        id: 'reader.path',
        status: 'failed',
        detail: `${what}: reader certificate unusable: ${(e as Error).message}`,
      });
      return false;
    }
  };
  const verifyOneUnguarded = (value: CborValue, payloads: readonly Uint8Array[], what: string): boolean => {
    let msg: CoseMessage;
    try {
      msg = readCose(value, 'Sign1', what);
    } catch (e) {
      checks.push({ id: 'reader.signature', status: 'failed', detail: (e as Error).message });
      return false;
    }
    // RFC 9052 §3.1 crit, and x5chain from the protected header first (§3): the message is refused.
    const crit = criticalHeaderProblem(
      msg.protectedHeaders,
      UNDERSTOOD_HEADER_LABELS,
      msg.unprotectedHeaders,
    );
    let chain: readonly Uint8Array[] = [];
    let chainProblem: string | undefined;
    try {
      chain = x5chainOf(msg);
    } catch (e) {
      chainProblem = (e as Error).message;
    }
    if (crit !== undefined || chainProblem !== undefined) {
      checks.push({
        id: 'reader.path',
        status: chainProblem ? 'failed' : 'skipped',
        detail: `${what}: ${chainProblem ? `x5chain: ${chainProblem}` : 'the message is refused'}`,
      });
      checks.push({
        id: 'reader.signature',
        status: 'failed',
        detail: `${what}: readerAuth is refused: ${crit ?? chainProblem}`,
      });
      return false;
    }
    let leaf: Certificate | undefined;
    try {
      leaf = chain[0] ? parseCertificate(chain[0]) : undefined;
    } catch {
      leaf = undefined;
    }
    if (!leaf) {
      checks.push({
        id: 'reader.path',
        status: 'failed',
        detail: `${what}: no readable reader certificate in x5chain`,
      });
      checks.push({
        id: 'reader.signature',
        status: 'failed',
        detail: `${what}: no reader key to verify with`,
      });
      return false;
    }
    const intermediates: Certificate[] = [];
    for (const c of chain.slice(1)) {
      try {
        intermediates.push(parseCertificate(c));
      } catch {
        // not a path candidate
      }
    }
    const path = validateCertificatePath({
      leaf,
      intermediates,
      trustAnchors: anchors,
      now: options.now,
      requiredEku: MDOC_READER_AUTH_EKU,
      policy: options.policy ?? 'lenient',
    });
    checks.push(
      path.ok
        ? {
            id: 'reader.path',
            status: 'passed',
            detail: `${what}: reader ${leaf.subject} chains to ${path.anchor?.subject ?? 'a trust anchor'}`,
          }
        : {
            id: 'reader.path',
            status: 'failed',
            detail: `${what}: reader ${leaf.subject}: ${path.failure?.code ?? 'PATH'}: ${path.failure?.detail ?? 'no valid path'}`,
          },
    );
    const alg = mdocSignatureAlgorithm(protectedAlgorithm(msg));
    const signedOver = (p: Uint8Array) =>
      verifySignature(
        alg as NonNullable<typeof alg>,
        leaf.publicKey,
        sigStructure1(msg.protectedBytes, NO_AAD, p),
        msg.signatureOrTag,
      );
    let ok = false;
    if (alg !== undefined) {
      // A detached payload is one of the candidates; an attached one must be one of them.
      const attached = msg.payload;
      ok =
        attached !== null
          ? payloads.some((p) => bytesEqual(p, attached)) && signedOver(attached)
          : payloads.some(signedOver);
    }
    checks.push(
      ok
        ? {
            id: 'reader.signature',
            status: 'passed',
            detail: `${what}: ${alg?.name} reader signature verifies`,
          }
        : {
            id: 'reader.signature',
            status: 'failed',
            detail: `${what}: the reader signature does not verify`,
          },
    );
    if (ok && path.ok) readerCertificate ??= leaf;
    return ok && path.ok;
  };

  let allOk = false;
  if (req.readerAuthAll) {
    const items = req.docRequests.map((d) => d.itemsRequestBytes);
    const payloads = [
      readerAuthenticationAllBytes(st, items, req.deviceRequestInfoBytes, true),
      readerAuthenticationAllBytes(st, items, req.deviceRequestInfoBytes, false),
    ];
    allOk = req.readerAuthAll.length > 0;
    req.readerAuthAll.forEach((ra, i) => {
      if (!verifyOne(ra, payloads, `readerAuthAll[${i}]`)) allOk = false;
    });
  }
  const docRequests = req.docRequests.map((d, i) => {
    let authenticated = allOk;
    if (d.readerAuth !== undefined) {
      authenticated =
        verifyOne(
          d.readerAuth,
          [readerAuthenticationBytes(st, d.itemsRequestBytes)],
          `docRequests[${i}].readerAuth`,
        ) || allOk;
    }
    return {
      docType: d.itemsRequest.docType,
      nameSpaces: d.itemsRequest.nameSpaces,
      ...(d.itemsRequest.requestInfo ? { requestInfo: d.itemsRequest.requestInfo } : {}),
      authenticated,
    };
  });
  if (checks.length === 0) {
    checks.push({
      id: 'reader.signature',
      status: 'undetermined',
      detail: 'the request carries no reader authentication',
    });
    checks.push({ id: 'reader.path', status: 'skipped', detail: 'no reader certificate' });
  }
  return {
    verdict: verdictOf(checks),
    checks,
    docRequests,
    ...(readerCertificate ? { readerCertificate } : {}),
  };
}

const NO_AAD = new Uint8Array(0);
