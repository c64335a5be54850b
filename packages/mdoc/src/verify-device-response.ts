/**
 * DeviceResponse verification — ISO/IEC 18013-5:2021 §9.3.1 (mdoc reader), for every document:
 * the response read in one pass (`readDeviceResponse`), then issuer data authentication
 * (checks/issuer-data-authentication.ts), mdoc authentication (checks/device-authentication.ts,
 * §9.1.3) and the status (checks/status.ts).
 *
 * The SessionTranscript is the caller's, used byte-exact: SessionTranscriptBytes (tag 24) as given,
 * or a bare SessionTranscript wrapped in tag 24 without decoding or re-encoding it. The handover form
 * is never validated — older drafts' transcripts must keep verifying. DeviceNameSpacesBytes are used
 * exactly as received.
 *
 * Check ids (stable): decode, response.status, response.documents, issuer.certificate_path, issuer.certificate_profile,
 * issuer.signature, mso.doctype, mso.digest_algorithm, mso.validity,
 * mso.signed_in_certificate_validity, item.digest, device.signature or device.mac, status.revocation.
 * The response verdict follows @mynakit/report over the response checks and every document's checks.
 */
import type { KeyObject } from 'node:crypto';
import { type Check, type Verdict, verdictOf } from '@mynakit/report';
import {
  checkDeviceAuthentication,
  type DeviceOutcome,
  type DeviceSession,
} from './checks/device-authentication.js';
import { checkIssuerPart, type IssuerPartOutcome } from './checks/issuer-data-authentication.js';
import { checkStatus } from './checks/status.js';
import {
  type ReceivedDeviceResponse,
  type ReceivedDocument,
  readDeviceResponse,
  type UnreadableDocument,
} from './device-response.js';
import { MdocError } from './errors.js';
import { CheckMemo } from './internal/check-memo.js';

const RESPONSE_DECODED = new CheckMemo('decode');
const DOCUMENT_DECODED = new CheckMemo('decode');

import { type KeyInput, p256PrivateKeyFromD, toPrivateKey } from './internal/keys.js';
import { setOwn } from './internal/own.js';
import { sessionTranscriptOf, startsWithTag24, toSessionTranscriptBytes } from './session-transcript.js';
import { type VerifiedDocument, VerifiedDocumentView } from './verified-document.js';
import { requireOptions, type VerifyIssuerOptions } from './verify-options.js';

export interface VerifyDeviceResponseOptions extends VerifyIssuerOptions {
  /** SessionTranscriptBytes (tag 24) or a bare SessionTranscript — used byte-exact. */
  readonly sessionTranscriptBytes: Uint8Array;
  /** The reader's ephemeral private key (KeyObject, JWK, or a raw P-256 scalar), needed for deviceMac. */
  readonly readerPrivateKey?: KeyInput | Uint8Array;
}

export interface DeviceResponseVerification {
  readonly verdict: Verdict;
  /** Response-level checks followed by every document's checks (ids stay the same). */
  readonly checks: readonly Check[];
  readonly documents: readonly VerifiedDocument[];
  /** The DeviceResponse status code (0 = OK), when it could be read. */
  readonly status?: number;
  readonly version?: string;
  /** documentErrors of the response: docType → error code. */
  readonly documentErrors?: Record<string, number>;
}

function failedDecode(detail: string): DeviceResponseVerification {
  const checks: Check[] = [{ id: 'decode', status: 'failed', detail }];
  return { verdict: 'invalid', checks, documents: [] };
}

const DEVICE_RESPONSE_REQUIRED_OPTIONS: readonly string[] = ['now', 'trustAnchors', 'sessionTranscriptBytes'];

/** The options beyond issuer verification's: the transcript must be bytes, a reader key usable. */
function readerKeyOf(options: VerifyDeviceResponseOptions): KeyObject | undefined {
  requireOptions(options, DEVICE_RESPONSE_REQUIRED_OPTIONS);
  if (options.sessionTranscriptBytes === undefined) {
    throw new MdocError(
      'MDOC_INVALID_ARGUMENT',
      'options.sessionTranscriptBytes is missing: give the SessionTranscriptBytes of the session (ISO/IEC 18013-5 §9.1.5.1), which device authentication signs',
    );
  }
  if (!(options.sessionTranscriptBytes instanceof Uint8Array)) {
    throw new MdocError('MDOC_INVALID_ARGUMENT', 'options.sessionTranscriptBytes must be bytes');
  }
  const k = options.readerPrivateKey;
  try {
    if (k === undefined) return undefined;
    return k instanceof Uint8Array ? p256PrivateKeyFromD(k) : toPrivateKey(k, 'readerPrivateKey');
  } catch (e) {
    throw new MdocError('MDOC_INVALID_ARGUMENT', `options.readerPrivateKey: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/**
 * Verifies a DeviceResponse. Never throws for bad input (a failed `decode` check instead); throws
 * `MdocError('MDOC_INVALID_ARGUMENT')` only for missing or unusable options (no `now`, no
 * `sessionTranscriptBytes`, bad reader key) and `MdocError('MDOC_INVALID_TRUST_ANCHOR')` for a trust
 * anchor that is not a certificate — the relying party's configuration, not the credential.
 */
export async function verifyDeviceResponse(
  bytes: Uint8Array,
  options: VerifyDeviceResponseOptions,
): Promise<DeviceResponseVerification> {
  const readerKey = readerKeyOf(options);
  let session: DeviceSession;
  try {
    session = new TranscriptSession(options.sessionTranscriptBytes, readerKey, options.policy === 'strict');
  } catch (e) {
    return failedDecode(`session transcript: ${(e as Error).message}`);
  }
  let response: ReceivedDeviceResponse;
  try {
    response = readDeviceResponse(bytes);
  } catch (e) {
    return failedDecode(`DeviceResponse cannot be read: ${(e as Error).message}`);
  }
  const documents: VerifiedDocument[] = [];
  for (let i = 0; i < response.documents.length; i++) {
    const doc = response.documents[i] as ReceivedDocument | UnreadableDocument;
    if (doc.failure !== undefined) {
      documents.push(unreadableDocument(doc, i));
      continue;
    }
    const verified = verifyDocument(doc, session, options);
    documents.push(verified instanceof Promise ? await verified : verified);
  }
  const checks = responseChecks(response);
  for (const d of documents) for (const c of d.checks) checks.push(c);
  const result: { -readonly [K in keyof DeviceResponseVerification]: DeviceResponseVerification[K] } = {
    verdict: verdictOf(checks),
    checks,
    documents,
    status: response.status,
    version: response.version,
  };
  // Most responses carry no documentErrors: no iteration and no property then.
  if (response.documentErrors.length > 0) {
    const documentErrors = documentErrorsOf(response);
    if (documentErrors) result.documentErrors = documentErrors;
  }
  return result;
}

/**
 * The caller's transcript, used byte-exact: SessionTranscriptBytes (tag 24) as given, or a bare
 * SessionTranscript, wrapped in tag 24 only when the tagged form is needed (deviceMac's salt, an
 * attached payload) — never decoded or re-encoded.
 */
class TranscriptSession implements DeviceSession {
  readonly transcript: Uint8Array;
  #tagged: Uint8Array | undefined;

  constructor(
    given: Uint8Array,
    readonly readerKey: KeyObject | undefined,
    readonly strict: boolean,
  ) {
    if (startsWithTag24(given)) {
      this.#tagged = given;
      this.transcript = sessionTranscriptOf(given);
    } else {
      if (given.length === 0) throw new MdocError('MDOC_DECODE', 'SessionTranscript is empty');
      this.transcript = given;
    }
  }

  get sessionTranscriptBytes(): Uint8Array {
    this.#tagged ??= toSessionTranscriptBytes(this.transcript);
    return this.#tagged;
  }
}

/** `decode`, and `response.status` / `response.documents` when the response says it failed. */
function responseChecks(response: ReceivedDeviceResponse): Check[] {
  const n = response.documents.length;
  const checks: Check[] = [
    RESPONSE_DECODED.get(n) ??
      RESPONSE_DECODED.remember(n, `DeviceResponse ${response.version}, ${n} document(s)`),
  ];
  if (response.status !== 0) {
    // §8.3.2.1.2.3: a non-zero status is an error the mdoc reports (10 general error, 11 CBOR
    // decoding error, 12 CBOR validation error); whatever documents come with it are not relied on.
    checks.push({
      id: 'response.status',
      status: 'failed',
      detail: `the response reports status ${response.status} (not OK)`,
    });
  }
  if (response.documents.length === 0) {
    checks.push({
      id: 'response.documents',
      status: 'failed',
      detail: `the response holds no document (status ${response.status})`,
    });
  }
  return checks;
}

/** documentErrors as docType → error code (own properties: docTypes are received text). */
function documentErrorsOf(response: ReceivedDeviceResponse): Record<string, number> | undefined {
  let out: Record<string, number> | undefined;
  for (const e of response.documentErrors) {
    for (const [k, v] of e) {
      if (typeof k !== 'string' || typeof v !== 'number') continue;
      out ??= {};
      setOwn(out, k, v);
    }
  }
  return out;
}

/** A document whose contents cannot be read: one failed `decode` check, nothing reported present. */
function unreadableDocument(doc: UnreadableDocument, index: number): VerifiedDocument {
  const checks: Check[] = [
    {
      id: 'decode',
      status: 'failed',
      detail: `document ${index} (${doc.docType}) cannot be read: ${doc.failure}`,
    },
  ];
  return { docType: doc.docType, verdict: 'invalid', checks, elements: {} };
}

/** Synchronous unless a status checker has to be consulted. */
function verifyDocument(
  doc: ReceivedDocument,
  session: DeviceSession,
  options: VerifyDeviceResponseOptions,
): VerifiedDocument | Promise<VerifiedDocument> {
  const issuer = checkIssuerPart(doc.issuerSigned, doc.docType, options);
  const device = checkDeviceAuthentication(doc, session);
  const status = checkStatus(issuer, doc.docType, options);
  return status instanceof Promise
    ? status.then((s) => assemble(doc, issuer, device, s))
    : assemble(doc, issuer, device, status);
}

function assemble(
  doc: ReceivedDocument,
  issuer: IssuerPartOutcome,
  device: DeviceOutcome,
  status: Check,
): VerifiedDocument {
  const checks: Check[] = [
    DOCUMENT_DECODED.get(doc.docType) ??
      DOCUMENT_DECODED.remember(doc.docType, `document ${doc.docType} decoded`),
  ];
  for (const c of issuer.checks) checks.push(c);
  checks.push(device.check, status);
  return new VerifiedDocumentView(doc.docType, checks, issuer.verified, {
    deviceElements: device.deviceElements,
    notReturned: doc.errors,
    mso: issuer.msoSummary,
    issuer: issuer.issuer,
  });
}
