/**
 * DeviceResponse — ISO/IEC 18013-5:2021 §8.3.2.1.2.2:
 *
 *   DeviceResponse = {
 *     "version" : tstr,                  ; Version of the DeviceResponse structure ("1.0")
 *     ? "documents" : [+Document],       ; Returned documents
 *     ? "documentErrors": [+DocumentError],
 *     "status" : uint                    ; Status code
 *   }
 *   Document = {
 *     "docType" : DocType,
 *     "issuerSigned" : IssuerSigned,
 *     "deviceSigned" : DeviceSigned,
 *     ? "errors" : Errors
 *   }
 *   Errors = { + NameSpace => ErrorItems }
 *   ErrorItems = { + DataElementIdentifier => ErrorCode }
 *   DocumentError = { DocType => ErrorCode }
 *   ErrorCode = int
 *
 * Status codes (§8.3.2.1.2.3): 0 OK, 10 general error, 11 CBOR decoding error, 12 CBOR validation error.
 */
import { CborError, type CborMap, type CborValue, LeanReader } from '@mynakit/cbor';
import { type DeviceSigned, readDeviceSigned } from './device-signed.js';
import { MdocError } from './errors.js';
import {
  boundedArrayHead,
  encodedForm,
  envelopeKey,
  keySet,
  mapHeadOf,
  more,
  textOf,
  valueAt,
  within,
} from './internal/lean-map.js';
import { setOwn } from './internal/own.js';
import { asArray, asMap, fail } from './internal/shape.js';
import { type ReceivedIssuerSigned, readIssuerSigned } from './issuer-signed.js';
import { checkLimit } from './limits.js';

export const DEVICE_RESPONSE_STATUS = {
  OK: 0,
  GENERAL_ERROR: 10,
  CBOR_DECODING_ERROR: 11,
  CBOR_VALIDATION_ERROR: 12,
} as const;

/** The only DeviceResponse version of ISO/IEC 18013-5:2021. */
export const DEVICE_RESPONSE_VERSION = '1.0';
export const RESPONSE_KEYS: readonly string[] = ['version', 'documents', 'documentErrors', 'status'];
export const DOCUMENT_KEYS: readonly string[] = ['docType', 'issuerSigned', 'deviceSigned', 'errors'];

/** Data element error code (§8.3.2.1.2.3): 0 = data not returned. */
export const ERROR_DATA_NOT_RETURNED = 0;

export interface DeviceResponseDocument {
  readonly docType: string;
  readonly issuerSigned: CborValue;
  /** Required (§8.3.2.1.2.2): without device authentication a document is not a presentation. */
  readonly deviceSigned: CborValue;
  readonly errors?: CborMap;
}

export interface DeviceResponse {
  readonly version: string;
  readonly documents: readonly DeviceResponseDocument[];
  readonly documentErrors: readonly CborMap[];
  readonly status: number;
}

/**
 * Document.errors (`Errors = { + NameSpace => ErrorItems }`, `ErrorItems = { + DataElementIdentifier
 * => ErrorCode }`) as plain records of own properties, within the limits.
 */
export function decodeErrors(value: CborValue, where: string): Record<string, Record<string, number>> {
  const m = asMap(value, where);
  checkLimit(m.size, 'nameSpaces', where);
  const errors: Record<string, Record<string, number>> = {};
  for (const [ns, items] of m) {
    if (typeof ns !== 'string' || !(items instanceof Map))
      fail(`${where} must map namespaces to error items`);
    checkLimit(items.size, 'elementsPerNameSpace', where);
    const out: Record<string, number> = {};
    for (const [id, code] of items) {
      if (typeof id !== 'string' || typeof code !== 'number')
        fail(`${where} items must map identifiers to codes`);
      setOwn(out, id, code);
    }
    setOwn(errors, ns, out);
  }
  return errors;
}

/** documentErrors: `[+ DocumentError]`, DocumentError = `{ DocType => ErrorCode }`, within their limits. */
export function decodeDocumentErrors(value: CborValue, where: string): CborMap[] {
  const list = asArray(value, where);
  checkLimit(list.length, 'documentErrors', where);
  return list.map((e) => {
    const m = asMap(e, `${where}[]`);
    checkLimit(m.size, 'mapKeys', `${where}[]`);
    return m;
  });
}

/** A Document as read whole (`readDeviceResponse`). */
export interface ReceivedDocument {
  readonly docType: string;
  readonly issuerSigned: ReceivedIssuerSigned;
  readonly deviceSigned: DeviceSigned;
  /** Document.errors (data not returned): namespace → identifier → error code. */
  readonly errors?: Record<string, Record<string, number>>;
  readonly failure?: undefined;
  /** Where issuerSigned, deviceSigned and errors lie in the input: [start, end) each, -1 if absent. */
  readonly spans: readonly number[];
}

/** A Document whose envelope could be read but not its contents: it is reported on its own. */
export interface UnreadableDocument {
  readonly docType: string;
  /** Why its contents cannot be read. */
  readonly failure: string;
  readonly spans: readonly number[];
}

/** A DeviceResponse as read by `readDeviceResponse`. */
export interface ReceivedDeviceResponse {
  readonly version: string;
  readonly status: number;
  readonly documents: readonly (ReceivedDocument | UnreadableDocument)[];
  readonly documentErrors: readonly CborMap[];
}

const RESPONSE = keySet('version', 'documents', 'documentErrors', 'status');
const DOCUMENT = keySet('docType', 'issuerSigned', 'deviceSigned', 'errors');

/** A failure of a document's contents: malformed structure or CBOR, never a limit (see below). */
function isContentFailure(e: unknown): e is Error {
  return e instanceof CborError || (e instanceof MdocError && e.code === 'MDOC_DECODE');
}

/** The reader over the response, replaced by a fresh one after a document's contents failed. */
interface Cursor {
  r: LeanReader;
}

/**
 * After the contents of a Document's value starting at `start` failed: the value is skipped (checked
 * as well-formed CBOR — if it is not, the whole response is unreadable) with a fresh reader at the
 * same place and the same item budget (the failed one may be left inside an embedded item), which
 * the cursor goes on with. A limit exceeded is not isolated: the response is refused there, before
 * anything past the bound is read.
 */
function skipFailed(c: Cursor, e: unknown, start: number, budget: number): string {
  if (!isContentFailure(e)) throw e;
  const fresh = new LeanReader(c.r.bytes);
  fresh.pos = start;
  fresh.itemsLeft = budget;
  fresh.skipValue();
  c.r = fresh;
  return e.message;
}

const DOCUMENT_WHERE = 'Document';

/** The value of a Document key (1 issuerSigned, 2 deviceSigned, 3 errors), into `doc`. */
function readDocumentValue(r: LeanReader, k: number, doc: DocumentParts): void {
  if (k === 1) doc.issuerSigned = readIssuerSigned(r, 'IssuerSigned');
  else if (k === 2) doc.deviceSigned = readDeviceSigned(r, 'DeviceSigned');
  else {
    if (r.peekMajor() !== 5) fail('Document.errors must be a map');
    doc.errors = decodeErrors(r.value(), 'Document.errors');
  }
}

interface DocumentParts {
  issuerSigned?: ReceivedIssuerSigned;
  deviceSigned?: DeviceSigned;
  errors?: Record<string, Record<string, number>>;
}

function readDocument(c: Cursor): ReceivedDocument | UnreadableDocument {
  let docType: string | undefined;
  let failure: string | undefined;
  const parts: DocumentParts = {};
  const spans = [-1, -1, -1, -1, -1, -1];
  let seen = 0;
  const n = mapHeadOf(c.r, DOCUMENT_WHERE);
  for (let i = 0; more(c.r, n, i); i++) {
    const k = envelopeKey(c.r, DOCUMENT, seen, DOCUMENT_WHERE);
    seen |= 1 << k;
    if (k === 0) {
      docType = textOf(c.r, 'Document.docType');
      continue;
    }
    const start = c.r.pos;
    const budget = c.r.itemsLeft;
    try {
      readDocumentValue(c.r, k, parts);
    } catch (e) {
      failure ??= skipFailed(c, e, start, budget);
    }
    spans[2 * k - 2] = start;
    spans[2 * k - 1] = c.r.pos;
  }
  if (docType === undefined) fail('Document lacks "docType"');
  if (spans[0] === -1) fail('Document lacks "issuerSigned"');
  if (spans[2] === -1) fail('Document lacks "deviceSigned"');
  const { issuerSigned, deviceSigned, errors } = parts;
  if (failure !== undefined || !issuerSigned || !deviceSigned)
    return { docType, failure: failure ?? '', spans };
  return errors
    ? { docType, issuerSigned, deviceSigned, errors, spans }
    : { docType, issuerSigned, deviceSigned, spans };
}

/**
 * Reads a whole DeviceResponse in one pass — the one reader of it (§8.3.2.1.2.2): embedded items
 * (IssuerSignedItemBytes, the MSO inside issuerAuth's payload, DeviceNameSpacesBytes) are read in
 * place, byte strings stay views of the input, every tag-24 item keeps its exact received bytes for
 * hashing, and every count is checked at its head against `LIMITS`, so that a response is refused
 * before more than a bounded part of it is read; every lookup is a Map or Set — linear work in all.
 *
 * A Document whose envelope is malformed (not a map, an unknown key, no docType, issuerSigned or
 * deviceSigned) makes the response unreadable; one whose contents are malformed is returned with
 * `failure`, so that the other documents are still reported. Throws MdocError (MDOC_DECODE,
 * MDOC_LIMIT) or CborError for an unreadable response.
 */
export function readDeviceResponse(bytes: Uint8Array, where = 'DeviceResponse'): ReceivedDeviceResponse {
  const c: Cursor = { r: new LeanReader(bytes) };
  let version: string | undefined;
  let status: number | undefined;
  const documents: (ReceivedDocument | UnreadableDocument)[] = [];
  let documentErrors: CborMap[] = [];
  let seen = 0;
  const n = mapHeadOf(c.r, where);
  for (let i = 0; more(c.r, n, i); i++) {
    const k = envelopeKey(c.r, RESPONSE, seen, where);
    seen |= 1 << k;
    if (k === 0) version = textOf(c.r, `${where}.version`);
    else if (k === 3) {
      if (c.r.peekMajor() !== 0) fail(`${where}.status must be an unsigned integer`);
      status = c.r.uint();
    } else if (k === 1) {
      const m = boundedArrayHead(c.r, 'documents', 'DeviceResponse.documents');
      for (let j = 0; more(c.r, m, j); j++) {
        within(m, j, 'documents', 'DeviceResponse.documents');
        documents.push(readDocument(c));
      }
    } else documentErrors = decodeDocumentErrors(c.r.value(), `${where}.documentErrors`);
  }
  c.r.expectEnd();
  if (version === undefined) fail(`${where} lacks "version"`);
  if (status === undefined) fail(`${where} lacks "status"`);
  if (version !== DEVICE_RESPONSE_VERSION) fail(`${where}.version must be "${DEVICE_RESPONSE_VERSION}"`);
  return { version, status, documents, documentErrors };
}

/**
 * The outer structure of a DeviceResponse — bytes, or an already decoded value (read through its
 * encoding) — by `readDeviceResponse`; each document's parts are given as decoded values. A document
 * whose contents are malformed is returned all the same: the verifier is what judges them.
 */
export function decodeDeviceResponse(
  input: Uint8Array | CborValue,
  where = 'DeviceResponse',
): DeviceResponse {
  const bytes = input instanceof Uint8Array ? input : encodedForm(input, where);
  let read: ReceivedDeviceResponse;
  try {
    read = readDeviceResponse(bytes, where);
  } catch (e) {
    if (e instanceof CborError) fail(`${where}: ${e.message}`, e);
    throw e;
  }
  const documents = read.documents.map((d): DeviceResponseDocument => {
    const at = (k: number) =>
      d.spans[2 * k] === -1
        ? undefined
        : valueAt(bytes, d.spans[2 * k] as number, d.spans[2 * k + 1] as number);
    const doc = { docType: d.docType, issuerSigned: at(0), deviceSigned: at(1) };
    const errors = at(2);
    return errors instanceof Map ? { ...doc, errors } : doc;
  });
  return { version: read.version, documents, documentErrors: read.documentErrors, status: read.status };
}

export interface DocumentToEncode {
  readonly docType: string;
  readonly issuerSigned: CborValue;
  readonly deviceSigned: CborValue;
  /** Elements requested but not returned: namespace → identifier → error code. */
  readonly errors?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** The DeviceResponse map (encode it with `encode`; received parts stay verbatim as RawCbor/EncodedCbor). */
export function buildDeviceResponseMap(input: {
  readonly documents: readonly DocumentToEncode[];
  readonly documentErrors?: Readonly<Record<string, number>>;
  readonly status?: number;
}): CborMap {
  const m: CborMap = new Map<CborValue, CborValue>([['version', '1.0']]);
  if (input.documents.length > 0) {
    m.set(
      'documents',
      input.documents.map((d) => {
        const doc: CborMap = new Map<CborValue, CborValue>([
          ['docType', d.docType],
          ['issuerSigned', d.issuerSigned],
          ['deviceSigned', d.deviceSigned],
        ]);
        if (d.errors && Object.keys(d.errors).length > 0) {
          const e: CborMap = new Map();
          for (const [ns, items] of Object.entries(d.errors)) e.set(ns, new Map(Object.entries(items)));
          doc.set('errors', e);
        }
        return doc;
      }),
    );
  }
  const de = input.documentErrors ? Object.entries(input.documentErrors) : [];
  if (de.length > 0)
    m.set(
      'documentErrors',
      de.map(([docType, code]) => new Map([[docType, code]])),
    );
  m.set('status', input.status ?? DEVICE_RESPONSE_STATUS.OK);
  return m;
}
