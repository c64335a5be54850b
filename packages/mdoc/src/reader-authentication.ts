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
import { type CborValue, type EncodedCbor, encode, RawCbor } from '@mynakit/cbor';
import type { Certificate, ValidationPolicy } from '@mynakit/pki';
import { type Check, type Verdict, verdictOf } from '@mynakit/report';
import { checkReaderAuth } from './checks/reader-signature.js';
import { normaliseAnchors } from './checks/trust-anchors.js';
import { type DeviceRequest, decodeDeviceRequestBytes, type ItemsRequest } from './device-request.js';
import { sessionTranscriptOf, toSessionTranscriptBytes, wrapInTag24 } from './session-transcript.js';

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

/**
 * Verifies a DeviceRequest's reader authentication (§9.1.4): every `readerAuth` (per DocRequest) and
 * `readerAuthAll` (version 1.1) signature over its detached ReaderAuthentication(All)Bytes with the
 * reader certificate of its x5chain, whose path is validated to the given anchors at `now`
 * (checks/reader-signature.ts). A request without any reader authentication is `undetermined`
 * (nothing proves who asks).
 */
export function verifyReaderAuth(
  deviceRequest: Uint8Array | DeviceRequest,
  options: VerifyReaderAuthOptions,
): ReaderAuthenticationResult {
  let req: DeviceRequest;
  let st: Uint8Array;
  try {
    req = deviceRequest instanceof Uint8Array ? decodeDeviceRequestBytes(deviceRequest) : deviceRequest;
    st = toSessionTranscriptBytes(options.sessionTranscriptBytes);
  } catch (e) {
    const detail = `DeviceRequest cannot be read: ${(e as Error).message}`;
    return { verdict: 'invalid', checks: [{ id: 'decode', status: 'failed', detail }], docRequests: [] };
  }
  // A configured anchor that is not a certificate is the caller's error (MDOC_INVALID_TRUST_ANCHOR), not a
  // statement about the request: the same rule as for issuer authentication.
  const trust = {
    anchors: normaliseAnchors(options.trustAnchors),
    now: options.now,
    policy: options.policy ?? 'lenient',
  };
  const checks: Check[] = [];
  let readerCertificate: Certificate | undefined;
  const verifyOne = (value: CborValue, payloads: readonly Uint8Array[], what: string): boolean => {
    const outcome = checkReaderAuth(value, payloads, what, trust);
    for (const c of outcome.checks) checks.push(c);
    readerCertificate ??= outcome.readerCertificate;
    return outcome.ok;
  };
  const allOk = verifyReaderAuthAll(req, st, verifyOne);
  const docRequests = req.docRequests.map((d, i) => {
    const own =
      d.readerAuth !== undefined &&
      verifyOne(
        d.readerAuth,
        [readerAuthenticationBytes(st, d.itemsRequestBytes)],
        `docRequests[${i}].readerAuth`,
      );
    return {
      docType: d.itemsRequest.docType,
      nameSpaces: d.itemsRequest.nameSpaces,
      ...(d.itemsRequest.requestInfo ? { requestInfo: d.itemsRequest.requestInfo } : {}),
      authenticated: own || allOk,
    };
  });
  if (checks.length === 0) {
    checks.push(
      {
        id: 'reader.signature',
        status: 'undetermined',
        detail: 'the request carries no reader authentication',
      },
      { id: 'reader.path', status: 'skipped', detail: 'no reader certificate' },
    );
  }
  return {
    verdict: verdictOf(checks),
    checks,
    docRequests,
    ...(readerCertificate ? { readerCertificate } : {}),
  };
}

/**
 * Every readerAuthAll signature (version 1.1) over ReaderAuthenticationAllBytes — with the
 * DeviceRequestInfoBytes element, or without it as some early implementations sign. True when there
 * is at least one and all verify.
 */
function verifyReaderAuthAll(
  req: DeviceRequest,
  st: Uint8Array,
  verifyOne: (value: CborValue, payloads: readonly Uint8Array[], what: string) => boolean,
): boolean {
  if (!req.readerAuthAll || req.readerAuthAll.length === 0) return false;
  const items = req.docRequests.map((d) => d.itemsRequestBytes);
  const payloads = [
    readerAuthenticationAllBytes(st, items, req.deviceRequestInfoBytes, true),
    readerAuthenticationAllBytes(st, items, req.deviceRequestInfoBytes, false),
  ];
  let allOk = true;
  req.readerAuthAll.forEach((ra, i) => {
    if (!verifyOne(ra, payloads, `readerAuthAll[${i}]`)) allOk = false;
  });
  return allOk;
}
