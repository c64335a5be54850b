/**
 * DeviceResponse verification — ISO/IEC 18013-5:2021 §9.3.1 (mdoc reader), for every document:
 * issuer data authentication (see verify-issuer-signed.ts), then mdoc authentication (§9.1.3):
 *
 *   DeviceAuthenticationBytes = #6.24(bstr .cbor ["DeviceAuthentication", SessionTranscript, DocType,
 *                                                 DeviceNameSpacesBytes])
 *
 * - `deviceSignature`: a COSE_Sign1 under MSO deviceKeyInfo.deviceKey whose payload is detached
 *   (§9.1.3.6). Some wallets attach it; that is accepted only when the attached payload is byte-equal
 *   to the DeviceAuthenticationBytes the verifier computes.
 * - `deviceMac`: a COSE_Mac0 (HMAC 256/256) under EMacKey = HKDF-SHA-256(ECDH(reader ephemeral private
 *   key, device key), salt = SHA-256(SessionTranscriptBytes), info "EMacKey") (§9.1.3.5); it needs the
 *   reader's private key, without which the check is `undetermined`.
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
import { bytesEqual, type CborValue } from '@mynakit/cbor';
import {
  CoseAlgorithm,
  type CoseMessage,
  criticalHeaderProblem,
  deriveMdocKey,
  HeaderLabel,
  macAlgorithm,
  macStructure0Of,
  macVerifies,
  protectedAlgorithm,
  sigStructure1Of,
  UNDERSTOOD_HEADER_LABELS,
  verifySignature,
} from '@mynakit/cose';
import { type Check, type Verdict, verdictOf } from '@mynakit/report';
import { deviceAuthenticationBytes, deviceAuthenticationWriter } from './device-authentication.js';
import { isDeviceSignedElementAuthorized } from './device-key-info.js';
import {
  type ReceivedDeviceResponse,
  type ReceivedDocument,
  readDeviceResponse,
  type UnreadableDocument,
} from './device-response.js';
import { MdocError } from './errors.js';
import { memoised, remember } from './internal/check-memo.js';
import { type KeyInput, p256PrivateKeyFromD, publicKeyFromCoseKey, toPrivateKey } from './internal/keys.js';
import { getOwn } from './internal/own.js';
import { readCose } from './internal/shape.js';
import { mdocSignatureAlgorithm } from './internal/signing.js';
import { sessionTranscriptOf, toSessionTranscriptBytes } from './session-transcript.js';
import {
  assertVerifyOptions,
  checkIssuerPart,
  checkStatus,
  type ElementValues,
  type IssuerPartOutcome,
  setOwn,
  type VerifiedDocument,
  VerifiedDocumentView,
  type VerifyIssuerOptions,
} from './verify-issuer-signed.js';

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

function readerKeyOf(k: VerifyDeviceResponseOptions['readerPrivateKey']): KeyObject | undefined {
  if (k === undefined) return undefined;
  if (k instanceof Uint8Array) return p256PrivateKeyFromD(k);
  return toPrivateKey(k, 'readerPrivateKey');
}

interface DeviceOutcome {
  readonly check: Check;
  readonly deviceElements?: ElementValues;
}

function checkDevice(
  doc: ReceivedDocument,
  sessionTranscriptBytes: Uint8Array,
  /** The bare SessionTranscript inside sessionTranscriptBytes. */
  transcript: Uint8Array,
  readerKey: KeyObject | undefined,
  strict: boolean,
): DeviceOutcome {
  const device = doc.deviceSigned;
  const id = device.deviceAuth.kind === 'signature' ? 'device.signature' : 'device.mac';
  const mso = doc.issuerSigned.mso;
  let deviceKey: KeyObject;
  try {
    deviceKey = publicKeyFromCoseKey(mso.deviceKeyInfo.deviceKey);
  } catch (e) {
    return {
      check: { id, status: 'failed', detail: `the MSO device key is unusable: ${(e as Error).message}` },
    };
  }
  // Elements the device signs itself must be authorised by keyAuthorizations (§9.1.2.4).
  const unauthorised: string[] = [];
  let deviceElements: ElementValues | undefined;
  for (const [ns, items] of device.nameSpaces) {
    for (const [elementId, value] of items) {
      if (!isDeviceSignedElementAuthorized(mso.deviceKeyInfo.keyAuthorizations, ns, elementId)) {
        unauthorised.push(`${ns}/${elementId}`);
        continue;
      }
      deviceElements ??= {};
      let out = getOwn(deviceElements, ns);
      if (!out) {
        out = {};
        setOwn(deviceElements, ns, out);
      }
      setOwn(out, elementId, value);
    }
  }
  const dnsRaw = device.nameSpacesBytes.raw;
  const note = unauthorised.length
    ? `; device-signed elements not authorised by keyAuthorizations were ignored: ${unauthorised.join(', ')}`
    : '';
  const unauthorisedFails = strict && unauthorised.length > 0;

  let ok: boolean;
  let what: string;
  if (device.deviceAuth.kind === 'signature') {
    let sign1: CoseMessage;
    try {
      sign1 = device.deviceAuth.message ?? readCose(device.deviceAuth.value, 'Sign1', 'deviceSignature');
    } catch (e) {
      return { check: { id, status: 'failed', detail: (e as Error).message } };
    }
    const crit = criticalHeaderProblem(sign1.protectedHeaders, DEVICE_AUTH_LABELS, sign1.unprotectedHeaders);
    if (crit) return { check: { id, status: 'failed', detail: `deviceSignature is refused: ${crit}` } };
    // DeviceAuthenticationBytes themselves are only needed to compare an attached payload.
    if (
      sign1.payload !== null &&
      !bytesEqual(sign1.payload, deviceAuthenticationBytes(sessionTranscriptBytes, doc.docType, dnsRaw))
    ) {
      return {
        check: {
          id,
          status: 'failed',
          detail:
            'deviceSignature carries an attached payload that is not the DeviceAuthenticationBytes (detached payload required)',
        },
      };
    }
    const algId = protectedAlgorithm(sign1);
    const alg = mdocSignatureAlgorithm(algId);
    if (alg === undefined) {
      return {
        check: {
          id,
          status: 'failed',
          detail: `unsupported or missing algorithm in the protected header (${String(algId)})`,
        },
      };
    }
    const tbs = sigStructure1Of(
      sign1.protectedBytes,
      NO_AAD,
      deviceAuthenticationWriter(transcript, doc.docType, dnsRaw),
      TRANSIENT,
    );
    ok = verifySignature(alg, deviceKey, tbs, sign1.signatureOrTag);
    what = `${alg.name} device signature over DeviceAuthenticationBytes${sign1.payload !== null ? ' (attached, byte-equal)' : ''}`;
  } else {
    let mac0: CoseMessage;
    try {
      mac0 = device.deviceAuth.message ?? readCose(device.deviceAuth.value, 'Mac0', 'deviceMac');
    } catch (e) {
      return { check: { id, status: 'failed', detail: (e as Error).message } };
    }
    const crit = criticalHeaderProblem(mac0.protectedHeaders, DEVICE_AUTH_LABELS, mac0.unprotectedHeaders);
    if (crit) return { check: { id, status: 'failed', detail: `deviceMac is refused: ${crit}` } };
    if (protectedAlgorithm(mac0) !== CoseAlgorithm.HMAC_256_256) {
      return { check: { id, status: 'failed', detail: 'deviceMac algorithm must be HMAC 256/256 (5)' } };
    }
    if (
      mac0.payload !== null &&
      !bytesEqual(mac0.payload, deviceAuthenticationBytes(sessionTranscriptBytes, doc.docType, dnsRaw))
    ) {
      return {
        check: {
          id,
          status: 'failed',
          detail: 'deviceMac carries an attached payload that is not the DeviceAuthenticationBytes',
        },
      };
    }
    if (!readerKey) {
      return {
        check: {
          id,
          status: 'undetermined',
          detail: "deviceMac cannot be checked without the reader's ephemeral private key",
        },
      };
    }
    let eMacKey: Uint8Array;
    try {
      eMacKey = deriveMdocKey(readerKey, deviceKey, sessionTranscriptBytes, 'EMacKey');
    } catch (e) {
      return {
        check: { id, status: 'failed', detail: `EMacKey cannot be derived: ${(e as Error).message}` },
      };
    }
    const tbm = macStructure0Of(
      mac0.protectedBytes,
      NO_AAD,
      deviceAuthenticationWriter(transcript, doc.docType, dnsRaw),
      TRANSIENT,
    );
    ok = macVerifies(HMAC_256_256, eMacKey, tbm, mac0.signatureOrTag);
    what = 'HMAC 256/256 device MAC (EMacKey) over DeviceAuthenticationBytes';
  }
  if (!ok) return { check: { id, status: 'failed', detail: `${what} does not verify` } };
  if (unauthorisedFails) return { check: { id, status: 'failed', detail: `${what} verifies${note}` } };
  const check =
    note === ''
      ? (memoised(id, what) ?? remember(id, what, `${what} verifies`))
      : { id, status: 'passed' as const, detail: `${what} verifies${note}` };
  return deviceElements ? { check, deviceElements } : { check };
}

/**
 * Header labels device authentication processes, for the `crit` rule (RFC 9052 §3.1): those of
 * @mynakit/cose but x5chain — the key is the MSO's, so a certificate chain is not looked at.
 */
const DEVICE_AUTH_LABELS: ReadonlySet<CborValue> = new Set(
  [...UNDERSTOOD_HEADER_LABELS].filter((l) => l !== HeaderLabel.x5chain),
);
/** HMAC 256/256 (RFC 9053 §3.1), the only MAC ISO 18013-5 uses for deviceMac (§9.1.3.5). */
const HMAC_256_256 = macAlgorithm(CoseAlgorithm.HMAC_256_256);
const NO_AAD = new Uint8Array(0);
/** To-be-signed bytes are handed to node at once and dropped: written into cose's shared buffer. */
const TRANSIENT = { transient: true } as const;

function failedDecode(
  detail: string,
  extra: Partial<DeviceResponseVerification> = {},
): DeviceResponseVerification {
  const checks: Check[] = [{ id: 'decode', status: 'failed', detail }];
  return { verdict: 'invalid', checks, documents: [], ...extra };
}

const DEVICE_RESPONSE_REQUIRED_OPTIONS: readonly string[] = ['now', 'trustAnchors', 'sessionTranscriptBytes'];

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
  assertVerifyOptions(options, DEVICE_RESPONSE_REQUIRED_OPTIONS);
  if (options.sessionTranscriptBytes === undefined) {
    throw new MdocError(
      'MDOC_INVALID_ARGUMENT',
      'options.sessionTranscriptBytes is missing: give the SessionTranscriptBytes of the session (ISO/IEC 18013-5 §9.1.5.1), which device authentication signs',
    );
  }
  if (!(options.sessionTranscriptBytes instanceof Uint8Array)) {
    throw new MdocError('MDOC_INVALID_ARGUMENT', 'options.sessionTranscriptBytes must be bytes');
  }
  let readerKey: KeyObject | undefined;
  try {
    readerKey = readerKeyOf(options.readerPrivateKey);
  } catch (e) {
    throw new MdocError('MDOC_INVALID_ARGUMENT', `options.readerPrivateKey: ${(e as Error).message}`, {
      cause: e,
    });
  }
  let sessionTranscriptBytes: Uint8Array;
  let transcript: Uint8Array;
  try {
    sessionTranscriptBytes = toSessionTranscriptBytes(options.sessionTranscriptBytes);
    transcript = sessionTranscriptOf(sessionTranscriptBytes);
  } catch (e) {
    return failedDecode(`session transcript: ${(e as Error).message}`);
  }

  let response: ReceivedDeviceResponse;
  try {
    response = readDeviceResponse(bytes);
  } catch (e) {
    return failedDecode(`DeviceResponse cannot be read: ${(e as Error).message}`);
  }
  const documentErrors: Record<string, number> = {};
  for (const e of response.documentErrors) {
    for (const [k, v] of e) if (typeof k === 'string' && typeof v === 'number') setOwn(documentErrors, k, v);
  }
  const responseChecks: Check[] = [
    {
      id: 'decode',
      status: 'passed',
      detail: `DeviceResponse ${response.version}, ${response.documents.length} document(s)`,
    },
  ];
  if (response.status !== 0) {
    // §8.3.2.1.2.3: a non-zero status is an error the mdoc reports (10 general error, 11 CBOR
    // decoding error, 12 CBOR validation error); whatever documents come with it are not relied on.
    responseChecks.push({
      id: 'response.status',
      status: 'failed',
      detail: `the response reports status ${response.status} (not OK)`,
    });
  }
  if (response.documents.length === 0) {
    responseChecks.push({
      id: 'response.documents',
      status: 'failed',
      detail: `the response holds no document (status ${response.status})`,
    });
  }

  const strict = options.policy === 'strict';
  const documents: VerifiedDocument[] = [];
  for (let i = 0; i < response.documents.length; i++) {
    const doc = response.documents[i] as ReceivedDocument | UnreadableDocument;
    if (doc.failure !== undefined) {
      documents.push(unreadableDocument(doc, i));
      continue;
    }
    const verified = verifyDocument(doc, sessionTranscriptBytes, transcript, readerKey, strict, options);
    documents.push(verified instanceof Promise ? await verified : verified);
  }

  const checks: Check[] = [...responseChecks];
  for (const d of documents) for (const c of d.checks) checks.push(c);
  return {
    verdict: verdictOf(checks),
    checks,
    documents,
    status: response.status,
    version: response.version,
    ...(Object.keys(documentErrors).length ? { documentErrors } : {}),
  };
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
  sessionTranscriptBytes: Uint8Array,
  transcript: Uint8Array,
  readerKey: KeyObject | undefined,
  strict: boolean,
  options: VerifyDeviceResponseOptions,
): VerifiedDocument | Promise<VerifiedDocument> {
  const issuer = checkIssuerPart(doc.issuerSigned, doc.docType, options);
  const device = checkDevice(doc, sessionTranscriptBytes, transcript, readerKey, strict);
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
    memoised('decode', doc.docType) ?? remember('decode', doc.docType, `document ${doc.docType} decoded`),
  ];
  for (const c of issuer.checks) checks.push(c);
  checks.push(device.check, status);
  return new VerifiedDocumentView(
    {
      docType: doc.docType,
      checks,
      ...(device.deviceElements ? { deviceElements: device.deviceElements } : {}),
      ...(doc.errors ? { notReturned: doc.errors } : {}),
      mso: issuer.msoSummary,
      ...(issuer.issuer ? { issuer: issuer.issuer } : {}),
    },
    issuer.verified,
  );
}
