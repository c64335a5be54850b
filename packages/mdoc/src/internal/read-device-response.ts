/**
 * The verification hot path's reader of a DeviceResponse (structures as in device-response.ts,
 * issuer-signed.ts, issuer-signed-item.ts, mobile-security-object.ts, validity-info.ts,
 * device-signed.ts): one `LeanReader` walks the whole response once — embedded items
 * (IssuerSignedItemBytes, the MSO inside issuerAuth's payload, DeviceNameSpacesBytes) are read in
 * place, byte strings stay views of the input, every tag-24 item keeps its exact received bytes for
 * hashing, and little is allocated that verification does not need (digests are compared where they
 * lie in the input; known map keys are matched by their bytes).
 *
 * It accepts exactly what the general path (decode → decodeDeviceResponse → decodeIssuerPart /
 * decodeDeviceSigned) accepts or less: any error here sends the verifier to the general path, which
 * is the authority on what is malformed and reports it per document. The two share the readers of
 * the MSO (internal/read-mso.ts) and of IssuerSignedItemBytes (readIssuerSignedItem) and the limits
 * of limits.ts: every count is checked at its head (or, for an indefinite length, at the first
 * entry past the limit), so a response is refused before more than a bounded part of it is read,
 * and every lookup (namespaces, DigestIDs, unknown keys) is a Map or Set — linear work in all.
 */
import { type CborMap, type CborValue, type EncodedCbor, LeanReader } from '@mynakit/cbor';
import { DEVICE_RESPONSE_VERSION, decodeDocumentErrors, decodeErrors } from '../device-response.js';
import { type DeviceSigned, deviceNameSpacesOf } from '../device-signed.js';
import { readIssuerSignedItem } from '../issuer-signed-item.js';
import { LIMITS, MdocLimitError } from '../limits.js';
import type { MobileSecurityObject } from '../mobile-security-object.js';
import type { DigestTable, ItemToVerify } from '../verify-issuer-signed.js';
import { type CoseMessage, readCoseMessageAt } from '@mynakit/cose';
import { boundedArrayHead, boundedMapHead, type KeySet, keySet, more, within } from './lean-map.js';
import { type ReceivedMso, readMso } from './read-mso.js';
import { fail } from './shape.js';

export interface FastDocument {
  readonly docType: string;
  readonly issuer: {
    readonly issuerAuth: CoseMessage;
    readonly msoBytes: Uint8Array;
    readonly mso: MobileSecurityObject;
    readonly digests: DigestTable;
    readonly items: ReadonlyMap<string, readonly ItemToVerify[]>;
  };
  readonly device: DeviceSigned;
  /** Document.errors, read as the general path reads them. */
  readonly errors?: Record<string, Record<string, number>>;
}

export interface FastResponse {
  readonly version: string;
  readonly status: number;
  readonly documents: readonly FastDocument[];
  readonly documentErrors: readonly CborMap[];
}

/**
 * The next text key of an envelope map (closed in the CDDL, so at most its few known keys): its index
 * in `set`, matched by bytes; any other key, or a key twice (RFC 8949 §5.6), fails.
 */
function envelopeKey(r: LeanReader, set: KeySet, seen: number, where: string): number {
  let idx = r.keyIndex(set.bytes);
  if (idx < 0) {
    if (r.peekMajor() !== 3) fail(`${where}: unexpected non-text key`);
    idx = set.names.indexOf(r.text());
    if (idx < 0) return -1;
  }
  if (seen & (1 << idx)) fail(`${where}: duplicate key "${set.names[idx]}"`);
  return idx;
}

const ISSUER_SIGNED = keySet('nameSpaces', 'issuerAuth');
const DEVICE_SIGNED = keySet('nameSpaces', 'deviceAuth');
const DEVICE_AUTH = keySet('deviceSignature', 'deviceMac');
const DOCUMENT = keySet('docType', 'issuerSigned', 'deviceSigned', 'errors');
const RESPONSE = keySet('version', 'documents', 'documentErrors', 'status');

function readIssuerSigned(r: LeanReader): FastDocument['issuer'] {
  let issuerAuth: CoseMessage | undefined;
  let mso: ReceivedMso | undefined;
  const items = new Map<string, ItemToVerify[]>();
  let seen = 0;
  let total = 0;
  const n = r.mapHead();
  for (let i = 0; more(r, n, i); i++) {
    const k = envelopeKey(r, ISSUER_SIGNED, seen, 'IssuerSigned');
    if (k < 0) fail('IssuerSigned has an unexpected key');
    seen |= 1 << k;
    if (k === 0) {
      const where = 'IssuerSigned.nameSpaces';
      const m = boundedMapHead(r, 'nameSpaces', where);
      for (let j = 0; more(r, m, j); j++) {
        within(m, j, 'nameSpaces', where);
        if (r.peekMajor() !== 3) fail(`${where} key must be a text string`);
        const ns = r.text();
        if (items.has(ns)) fail(`${where}: duplicate namespace`);
        const list: ItemToVerify[] = [];
        const c = boundedArrayHead(r, 'elementsPerNameSpace', where);
        for (let x = 0; more(r, c, x); x++) {
          if (c < 0) within(c, x, 'elementsPerNameSpace', where);
          if (++total > LIMITS.elements) throw new MdocLimitError('elements', where);
          list.push(readIssuerSignedItem(r, 'IssuerSignedItem', true));
        }
        items.set(ns, list);
      }
    } else {
      issuerAuth = readCoseMessageAt(r, 'Sign1', (p) => {
        mso = readMso(p);
      });
    }
  }
  if (!issuerAuth?.payload || !mso) fail('IssuerSigned lacks issuerAuth or its MSO');
  return { issuerAuth, msoBytes: issuerAuth.payload, mso, digests: mso.digests, items };
}

function readDeviceSigned(r: LeanReader): DeviceSigned {
  let nameSpacesBytes: EncodedCbor | undefined;
  let nameSpaces: Map<string, Map<string, CborValue>> | undefined;
  let deviceAuth: DeviceSigned['deviceAuth'] | undefined;
  let seen = 0;
  const n = r.mapHead();
  for (let i = 0; more(r, n, i); i++) {
    const k = envelopeKey(r, DEVICE_SIGNED, seen, 'DeviceSigned');
    if (k < 0) fail('DeviceSigned has an unexpected key');
    seen |= 1 << k;
    if (k === 0) {
      const span = r.enterEmbedded();
      const v = r.value();
      nameSpacesBytes = r.leaveEmbedded(span);
      nameSpaces = deviceNameSpacesOf(v, 'DeviceSigned.nameSpaces');
    } else {
      let seenAuth = 0;
      const m = r.mapHead();
      for (let j = 0; more(r, m, j); j++) {
        const a = envelopeKey(r, DEVICE_AUTH, seenAuth, 'DeviceAuth');
        if (a < 0) fail('DeviceAuth has an unexpected key');
        seenAuth |= 1 << a;
        if (deviceAuth) fail('DeviceAuth must hold exactly one of deviceSignature and deviceMac');
        const kind = a === 0 ? 'signature' : 'mac';
        // Read in place; `value` is not materialised (the verifier uses `message`).
        const message = readCoseMessageAt(r, a === 0 ? 'Sign1' : 'Mac0');
        deviceAuth = { kind, value: undefined, message };
      }
    }
  }
  if (!nameSpacesBytes || !nameSpaces || !deviceAuth) fail('DeviceSigned lacks a field');
  return { nameSpacesBytes, nameSpaces, deviceAuth };
}

function readDocument(r: LeanReader): FastDocument {
  let docType: string | undefined;
  let issuer: FastDocument['issuer'] | undefined;
  let device: DeviceSigned | undefined;
  let errors: Record<string, Record<string, number>> | undefined;
  let seen = 0;
  const n = r.mapHead();
  for (let i = 0; more(r, n, i); i++) {
    const k = envelopeKey(r, DOCUMENT, seen, 'Document');
    if (k < 0) fail('Document has an unexpected key');
    seen |= 1 << k;
    if (k === 0) docType = r.text();
    else if (k === 1) issuer = readIssuerSigned(r);
    else if (k === 2) device = readDeviceSigned(r);
    else {
      errors = decodeErrors(r.value(), 'Document.errors');
    }
  }
  if (docType === undefined || !issuer || !device) fail('Document lacks a field');
  return errors ? { docType, issuer, device, errors } : { docType, issuer, device };
}

/** Reads a whole DeviceResponse; throws (CborError or MdocError) on anything unexpected. */
export function readDeviceResponseFast(bytes: Uint8Array): FastResponse {
  const r = new LeanReader(bytes);
  let version: string | undefined;
  let status: number | undefined;
  const documents: FastDocument[] = [];
  const documentErrors: CborMap[] = [];
  let seen = 0;
  const n = r.mapHead();
  for (let i = 0; more(r, n, i); i++) {
    const k = envelopeKey(r, RESPONSE, seen, 'DeviceResponse');
    if (k < 0) fail('DeviceResponse has an unexpected key');
    seen |= 1 << k;
    if (k === 0) version = r.text();
    else if (k === 3) status = r.uint();
    else if (k === 1) {
      const m = boundedArrayHead(r, 'documents', 'DeviceResponse.documents');
      for (let j = 0; more(r, m, j); j++) {
        within(m, j, 'documents', 'DeviceResponse.documents');
        documents.push(readDocument(r));
      }
    } else {
      for (const e of decodeDocumentErrors(r.value(), 'DeviceResponse.documentErrors'))
        documentErrors.push(e);
    }
  }
  r.expectEnd();
  if (version === undefined || status === undefined) fail('DeviceResponse lacks version or status');
  if (version !== DEVICE_RESPONSE_VERSION) fail('unsupported DeviceResponse version');
  return { version, status, documents, documentErrors };
}
