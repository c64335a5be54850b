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
import type { CborMap, CborValue } from '@mynakit/cbor';
import { asArray, asMap, asText, asUint, fail, onlyKeys, required, textField } from './internal/shape.js';
import { setOwn } from './internal/own.js';
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

/** Reads the outer structure; the documents' contents are read by the verifier. */
export function decodeDeviceResponse(value: CborValue, where = 'DeviceResponse'): DeviceResponse {
  const m = asMap(value, where);
  onlyKeys(m, RESPONSE_KEYS, where);
  const docs = m.get('documents');
  const errs = m.get('documentErrors');
  const version = textField(m, 'version', where);
  if (version !== DEVICE_RESPONSE_VERSION) fail(`${where}.version must be "${DEVICE_RESPONSE_VERSION}"`);
  const list = docs === undefined ? [] : asArray(docs, `${where}.documents`);
  checkLimit(list.length, 'documents', `${where}.documents`);
  return {
    version,
    documents: list.map((d, i) => decodeDocument(d, `${where}.documents[${i}]`)),
    documentErrors: errs === undefined ? [] : decodeDocumentErrors(errs, `${where}.documentErrors`),
    status: asUint(required(m, 'status', where), `${where}.status`),
  };
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

function decodeDocument(value: CborValue, where: string): DeviceResponseDocument {
  const m = asMap(value, where);
  onlyKeys(m, DOCUMENT_KEYS, where);
  const doc: DeviceResponseDocument = {
    docType: asText(required(m, 'docType', where), `${where}.docType`),
    issuerSigned: required(m, 'issuerSigned', where),
    deviceSigned: required(m, 'deviceSigned', where),
  };
  const errors = m.get('errors');
  if (errors === undefined) return doc;
  if (!(errors instanceof Map)) fail(`${where}.errors must be a map`);
  return { ...doc, errors };
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
