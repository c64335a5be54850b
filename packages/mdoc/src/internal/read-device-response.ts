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
 * is the authority on what is malformed and reports it per document.
 */
import { type CborMap, type CborValue, type EncodedCbor, LeanReader } from '@mynakit/cbor';
import { type DeviceKeyInfo, decodeDeviceKeyInfo } from '../device-key-info.js';
import { DEVICE_RESPONSE_VERSION } from '../device-response.js';
import type { DeviceSigned } from '../device-signed.js';
import type { MobileSecurityObject, StatusListReference } from '../mobile-security-object.js';
import { decodeValidityInfo, type ValidityInfo } from '../validity-info.js';
import { DeferredValue, type DigestTable, hexEquals, type ItemToVerify } from '../verify-issuer-signed.js';
import type { CoseMessage } from './cose-structures.js';
import { asMap, asText, asUint, fail } from './shape.js';

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
  readonly errors?: CborMap;
}

export interface FastResponse {
  readonly version: string;
  readonly status: number;
  readonly documents: readonly FastDocument[];
  readonly documentErrors: readonly CborMap[];
}

const EMPTY: CborMap = new Map();

/** Map iteration without closures: `const n = r.mapHead(); for (let i = 0; more(r, n, i); i++) …`. */
function more(r: LeanReader, n: number, i: number): boolean {
  return n < 0 ? !r.atBreak() : i < n;
}

interface KeySet {
  readonly names: readonly string[];
  readonly bytes: readonly Uint8Array[];
}

const keySet = (...names: string[]): KeySet => ({
  names,
  bytes: names.map((n) => new TextEncoder().encode(n)),
});

/** The last key `nextKey` returned -1 for. */
let unknownKey = '';

/**
 * The next text key of a map: its index in `set` (matched by bytes, no string built; a key already in
 * `seen` fails, RFC 8949 §5.6), or -1 for another key, left in `unknownKey` for the caller.
 */
function nextKey(r: LeanReader, set: KeySet, seen: number, where: string): number {
  let idx = r.keyIndex(set.bytes);
  if (idx < 0) {
    if (r.peekMajor() !== 3) fail(`${where}: unexpected non-text key`);
    unknownKey = r.text();
    idx = set.names.indexOf(unknownKey);
    if (idx < 0) return -1;
  }
  if (seen & (1 << idx)) fail(`${where}: duplicate key "${set.names[idx]}"`);
  return idx;
}

/** Records an unknown key, failing on a duplicate. */
function otherKey(others: string[] | undefined, where: string): string[] {
  const list = others ?? [];
  if (list.includes(unknownKey)) fail(`${where}: duplicate key`);
  list.push(unknownKey);
  return list;
}

const ITEM = keySet('digestID', 'random', 'elementIdentifier', 'elementValue');
const MSO = keySet(
  'version',
  'digestAlgorithm',
  'valueDigests',
  'deviceKeyInfo',
  'docType',
  'validityInfo',
  'status',
);
const VALIDITY = keySet('signed', 'validFrom', 'validUntil', 'expectedUpdate');
const ISSUER_SIGNED = keySet('nameSpaces', 'issuerAuth');
const DEVICE_SIGNED = keySet('nameSpaces', 'deviceAuth');
const DEVICE_AUTH = keySet('deviceSignature', 'deviceMac');
const DOCUMENT = keySet('docType', 'issuerSigned', 'deviceSigned', 'errors');
const RESPONSE = keySet('version', 'documents', 'documentErrors', 'status');

/** Decodes the single item spanning [start, end) of the reader's buffer, then restores the cursor. */
function decodeInPlaceRange(r: LeanReader, start: number, end: number): CborValue {
  const savedPos = r.pos;
  const savedLimit = r.limit;
  r.pos = start;
  r.limit = end;
  const v = r.value();
  if (r.pos !== end) fail('an embedded structure has bytes after its item');
  r.pos = savedPos;
  r.limit = savedLimit;
  return v;
}

/**
 * Protected headers of the form `{1: alg}` (what ISO 18013-5 signers write) decoded once per
 * algorithm and shared; anything else is decoded in place.
 */
const ALG_HEADERS = new Map<number, CborMap>();
function protectedHeaders(r: LeanReader, p: Uint8Array, where: string): CborMap {
  if (p.length === 0) return EMPTY;
  if (p.length === 3 && p[0] === 0xa1 && p[1] === 0x01) {
    const b = p[2] as number;
    const alg = b < 0x18 ? b : b >= 0x20 && b < 0x38 ? 0x1f - b : undefined;
    if (alg !== undefined) {
      let m = ALG_HEADERS.get(alg);
      if (!m) {
        m = new Map([[1, alg]]);
        ALG_HEADERS.set(alg, m);
      }
      return m;
    }
  }
  const start = p.byteOffset - r.bytes.byteOffset;
  const h = decodeInPlaceRange(r, start, start + p.length);
  if (!(h instanceof Map)) fail(`${where}: protected header must encode a map`);
  return h;
}

/** A header map; the empty one (`a0`, every device signature's) is shared. */
function headerMap(r: LeanReader, where: string): CborMap {
  if (r.pos < r.limit && r.bytes[r.pos] === 0xa0) {
    r.pos++;
    return EMPTY;
  }
  const u = r.value();
  if (!(u instanceof Map)) fail(`${where}: unprotected header must be a map`);
  return u;
}

/**
 * A COSE_Sign1 / COSE_Mac0 read in place. With `withMso`, the payload is read as
 * MobileSecurityObjectBytes without leaving the buffer.
 */
function readCose(
  r: LeanReader,
  where: string,
  withMso: boolean,
  tag: number,
): { message: CoseMessage; mso?: FastMso } {
  if (r.peekMajor() === 6 && r.tagHead() !== tag) fail(`${where}: unexpected tag on a COSE message`);
  if (r.arrayHead() !== 4) fail(`${where} must be a COSE message (an array of four)`);
  const protectedBytes = r.byteString();
  const unprotected = headerMap(r, where);
  let payload: Uint8Array | null = null;
  let mso: FastMso | undefined;
  if (!r.atNull()) {
    const save = r.pos;
    payload = r.byteString();
    if (withMso) {
      const after = r.pos;
      r.pos = save;
      r.head(); // the payload's byte-string head: the cursor is now at its content
      const limit = r.limit;
      r.limit = after;
      mso = readMso(r);
      if (r.pos !== after) fail(`${where}: payload has bytes after its item`);
      r.limit = limit;
    }
  }
  const signature = r.byteString();
  const message: CoseMessage = {
    protectedBytes,
    protectedHeaders: protectedHeaders(r, protectedBytes, where),
    unprotectedHeaders: unprotected,
    payload,
    signatureOrTag: signature,
  };
  return mso ? { message, mso } : { message };
}

function readItem(r: LeanReader, where: string): ItemToVerify {
  r.enterEmbeddedInPlace();
  let digestID = -1;
  let hasRandom = false;
  let elementIdentifier: string | undefined;
  let elementValue: CborValue;
  let hasValue = false;
  let seen = 0;
  let others: string[] | undefined;
  const n = r.mapHead();
  for (let i = 0; more(r, n, i); i++) {
    const k = nextKey(r, ITEM, seen, where);
    if (k < 0) {
      others = otherKey(others, where);
      r.skip();
      continue;
    }
    seen |= 1 << k;
    if (k === 0) digestID = r.uint();
    else if (k === 1) {
      // Only checked: verification hashes the whole item and never needs the salt itself.
      r.skipByteString();
      hasRandom = true;
    } else if (k === 2) elementIdentifier = r.text();
    else {
      // Checked here, built only if someone reads it (see DeferredValue).
      const at = r.pos;
      r.skipValue();
      elementValue = new DeferredValue(r.bytes, at, r.pos);
      hasValue = true;
    }
  }
  const start = r.leaveEmbeddedStart();
  if (digestID < 0 || !hasRandom || elementIdentifier === undefined || !hasValue)
    fail(`${where} lacks a field`);
  return { digestID, elementIdentifier, elementValue, raw: r.bytes.subarray(start, r.pos) };
}

/**
 * valueDigests as offsets into the input: each digest is compared where it lies, so no view is made
 * per digest; entries are (namespace index, digestID, offset, length) in one flat array. The Maps of
 * the public MobileSecurityObject shape are built only if someone asks.
 */
class OffsetDigestTable implements DigestTable {
  readonly namespaces: string[] = [];
  readonly entries: number[] = [];
  count = 0;

  constructor(readonly bytes: Uint8Array) {}

  add(ns: number, id: number, offset: number, length: number): void {
    let e = this.count * 4;
    const t = this.entries;
    for (let i = 0; i < e; i += 4)
      if (t[i] === ns && t[i + 1] === id) fail('MobileSecurityObject.valueDigests: duplicate DigestID');
    t[e++] = ns;
    t[e++] = id;
    t[e++] = offset;
    t[e] = length;
    this.count++;
  }

  compare(ns: string, id: number, digestHex: string): 'match' | 'mismatch' | 'missing' {
    const n = this.namespaces.indexOf(ns);
    if (n < 0) return 'missing';
    const t = this.entries;
    const end = this.count * 4;
    for (let i = 0; i < end; i += 4) {
      if (t[i] !== n || t[i + 1] !== id) continue;
      return hexEquals(digestHex, this.bytes, t[i + 2] as number, t[i + 3] as number) ? 'match' : 'mismatch';
    }
    return 'missing';
  }

  toMaps(): Map<string, Map<number, Uint8Array>> {
    const out = new Map<string, Map<number, Uint8Array>>();
    for (const ns of this.namespaces) out.set(ns, new Map());
    const t = this.entries;
    for (let i = 0; i < this.count * 4; i += 4) {
      const off = t[i + 2] as number;
      out
        .get(this.namespaces[t[i] as number] as string)
        ?.set(t[i + 1] as number, this.bytes.subarray(off, off + (t[i + 3] as number)));
    }
    return out;
  }
}

function readValueDigests(r: LeanReader): OffsetDigestTable {
  const t = new OffsetDigestTable(r.bytes);
  const n = r.mapHead();
  for (let i = 0; more(r, n, i); i++) {
    const ns = r.text();
    if (t.namespaces.includes(ns)) fail('MobileSecurityObject.valueDigests: duplicate namespace');
    const nsIndex = t.namespaces.length;
    t.namespaces.push(ns);
    const m = r.mapHead();
    for (let j = 0; more(r, m, j); j++) {
      const id = r.uint();
      // A definite byte string: its content lies in the input. (Indefinite ones go the general way.)
      if (r.peekMajor() !== 2 || ((r.bytes[r.pos] as number) & 0x1f) === 31)
        fail('valueDigests: digest must be a definite byte string');
      const before = r.pos;
      r.skipByteString();
      const len = lengthOfBstrAt(r.bytes, before);
      t.add(nsIndex, id, r.pos - len, len);
    }
  }
  return t;
}

function lengthOfBstrAt(b: Uint8Array, at: number): number {
  const ai = (b[at] as number) & 0x1f;
  if (ai < 24) return ai;
  if (ai === 24) return b[at + 1] as number;
  if (ai === 25) return ((b[at + 1] as number) << 8) | (b[at + 2] as number);
  // Wider heads cannot fit a digest after the checks above; read them generally.
  let v = 0;
  const size = ai === 26 ? 4 : 8;
  for (let i = 1; i <= size; i++) v = v * 256 + (b[at + i] as number);
  return v;
}

/** The MSO of the hot path: as MobileSecurityObject, with valueDigests materialised on demand. */
class FastMso implements MobileSecurityObject {
  #valueDigests: Map<string, Map<number, Uint8Array>> | undefined;
  readonly status?: StatusListReference;

  constructor(
    readonly version: string,
    readonly digestAlgorithm: string,
    readonly digests: OffsetDigestTable,
    readonly deviceKeyInfo: DeviceKeyInfo,
    readonly docType: string,
    readonly validityInfo: ValidityInfo,
    status: StatusListReference | undefined,
  ) {
    if (status) this.status = status;
  }

  get valueDigests(): ReadonlyMap<string, ReadonlyMap<number, Uint8Array>> {
    this.#valueDigests ??= this.digests.toMaps();
    return this.#valueDigests;
  }
}

const TDATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

function twoDigits(b: Uint8Array, at: number): number {
  return ((b[at] as number) - 0x30) * 10 + ((b[at + 1] as number) - 0x30);
}
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A tdate of exactly the form issuers write (§9.1.2.4): `c0 74` + `YYYY-MM-DDTHH:MM:SSZ`, parsed where
 * it lies. Anything else (fractions, offsets, tag 1…) returns undefined without consuming anything.
 */
function tdateInPlace(r: LeanReader): Date | undefined {
  const b = r.bytes;
  const p = r.pos;
  if (p + 22 > r.limit || b[p] !== 0xc0 || b[p + 1] !== 0x74) return undefined;
  const s = p + 2;
  if (
    b[s + 4] !== 0x2d ||
    b[s + 7] !== 0x2d ||
    b[s + 10] !== 0x54 ||
    b[s + 13] !== 0x3a ||
    b[s + 16] !== 0x3a ||
    b[s + 19] !== 0x5a
  ) {
    return undefined;
  }
  for (let i = 0; i < TDATE_DIGITS.length; i++) {
    const c = b[s + (TDATE_DIGITS[i] as number)] as number;
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const y = twoDigits(b, s) * 100 + twoDigits(b, s + 2);
  const mo = twoDigits(b, s + 5);
  const d = twoDigits(b, s + 8);
  const h = twoDigits(b, s + 11);
  const mi = twoDigits(b, s + 14);
  const sec = twoDigits(b, s + 17);
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return undefined;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 1 : 0;
  if (d > (DAYS[mo - 1] as number) + leap) return undefined;
  r.pos = p + 22;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
}

/** ValidityInfo read in place; any other tdate form goes through `decodeValidityInfo`. */
function readValidityInfo(r: LeanReader): ValidityInfo {
  const start = r.pos;
  const dates: (Date | undefined)[] = [undefined, undefined, undefined, undefined];
  let seen = 0;
  let others: string[] | undefined;
  const n = r.mapHead();
  for (let i = 0; more(r, n, i); i++) {
    const k = nextKey(r, VALIDITY, seen, 'ValidityInfo');
    if (k < 0) {
      others = otherKey(others, 'ValidityInfo');
      r.skip();
      continue;
    }
    seen |= 1 << k;
    const d = tdateInPlace(r);
    if (!d) {
      // Not the issuer's plain form: read the whole map again, generally.
      r.pos = start;
      return decodeValidityInfo(r.value());
    }
    dates[k] = d;
  }
  const [signed, validFrom, validUntil, expectedUpdate] = dates;
  if (!signed || !validFrom || !validUntil) fail('ValidityInfo lacks a field');
  return expectedUpdate
    ? { signed, validFrom, validUntil, expectedUpdate }
    : { signed, validFrom, validUntil };
}

function readMso(r: LeanReader): FastMso {
  r.enterEmbeddedInPlace();
  let version: string | undefined;
  let digestAlgorithm: string | undefined;
  let docType: string | undefined;
  let digests: OffsetDigestTable | undefined;
  let deviceKeyInfo: CborValue;
  let validityInfo: ValidityInfo | undefined;
  let status: StatusListReference | undefined;
  let seen = 0;
  let others: string[] | undefined;
  const n = r.mapHead();
  for (let i = 0; more(r, n, i); i++) {
    const k = nextKey(r, MSO, seen, 'MobileSecurityObject');
    if (k < 0) {
      others = otherKey(others, 'MobileSecurityObject');
      r.skip();
      continue;
    }
    seen |= 1 << k;
    if (k === 0) version = r.text();
    else if (k === 1) digestAlgorithm = r.text();
    else if (k === 2) digests = readValueDigests(r);
    else if (k === 3) deviceKeyInfo = r.value();
    else if (k === 4) docType = r.text();
    else if (k === 5) validityInfo = readValidityInfo(r);
    else {
      const sl = asMap(r.value(), 'MobileSecurityObject.status').get('status_list');
      if (sl !== undefined) {
        const m = asMap(sl, 'status_list');
        status = {
          idx: asUint(m.get('idx'), 'status_list.idx'),
          uri: asText(m.get('uri'), 'status_list.uri'),
        };
      }
    }
  }
  r.leaveEmbeddedStart();
  if (
    version === undefined ||
    digestAlgorithm === undefined ||
    docType === undefined ||
    !digests ||
    deviceKeyInfo === undefined ||
    validityInfo === undefined
  ) {
    fail('MobileSecurityObject lacks a field');
  }
  return new FastMso(
    version,
    digestAlgorithm,
    digests,
    decodeDeviceKeyInfo(deviceKeyInfo),
    docType,
    validityInfo,
    status,
  );
}

function readIssuerSigned(r: LeanReader): FastDocument['issuer'] {
  let issuerAuth: CoseMessage | undefined;
  let mso: FastMso | undefined;
  const items = new Map<string, ItemToVerify[]>();
  let seen = 0;
  const n = r.mapHead();
  for (let i = 0; more(r, n, i); i++) {
    const k = nextKey(r, ISSUER_SIGNED, seen, 'IssuerSigned');
    if (k < 0) fail('IssuerSigned has an unexpected key');
    seen |= 1 << k;
    if (k === 0) {
      const m = r.mapHead();
      for (let j = 0; more(r, m, j); j++) {
        const ns = r.text();
        if (items.has(ns)) fail('IssuerSigned.nameSpaces: duplicate namespace');
        const list: ItemToVerify[] = [];
        const c = r.arrayHead();
        for (let x = 0; more(r, c, x); x++) list.push(readItem(r, 'IssuerSignedItem'));
        items.set(ns, list);
      }
    } else {
      const read = readCose(r, 'issuerAuth', true, 18);
      issuerAuth = read.message;
      mso = read.mso;
    }
  }
  if (!issuerAuth?.payload || !mso) fail('IssuerSigned lacks issuerAuth or its MSO');
  return { issuerAuth, msoBytes: issuerAuth.payload, mso, digests: mso.digests, items };
}

function readDeviceSigned(r: LeanReader): DeviceSigned {
  let nameSpacesBytes: EncodedCbor | undefined;
  const nameSpaces = new Map<string, Map<string, CborValue>>();
  let deviceAuth: DeviceSigned['deviceAuth'] | undefined;
  let seen = 0;
  const n = r.mapHead();
  for (let i = 0; more(r, n, i); i++) {
    const k = nextKey(r, DEVICE_SIGNED, seen, 'DeviceSigned');
    if (k < 0) fail('DeviceSigned has an unexpected key');
    seen |= 1 << k;
    if (k === 0) {
      const span = r.enterEmbedded();
      const v = asMap(r.value(), 'DeviceNameSpaces');
      nameSpacesBytes = r.leaveEmbedded(span);
      for (const [ns, items] of v) {
        const out = new Map<string, CborValue>();
        for (const [id, val] of asMap(items, 'DeviceSignedItems'))
          out.set(asText(id, 'DataElementIdentifier'), val);
        nameSpaces.set(asText(ns, 'NameSpace'), out);
      }
    } else {
      let seenAuth = 0;
      const m = r.mapHead();
      for (let j = 0; more(r, m, j); j++) {
        const a = nextKey(r, DEVICE_AUTH, seenAuth, 'DeviceAuth');
        if (a < 0) fail('DeviceAuth has an unexpected key');
        seenAuth |= 1 << a;
        if (deviceAuth) fail('DeviceAuth must hold exactly one of deviceSignature and deviceMac');
        const kind = a === 0 ? 'signature' : 'mac';
        // Read in place; `value` is not materialised (the verifier uses `message`).
        const message = readCose(
          r,
          a === 0 ? 'deviceSignature' : 'deviceMac',
          false,
          a === 0 ? 18 : 17,
        ).message;
        deviceAuth = { kind, value: undefined, message };
      }
    }
  }
  if (!nameSpacesBytes || !deviceAuth) fail('DeviceSigned lacks a field');
  return { nameSpacesBytes, nameSpaces, deviceAuth };
}

function readDocument(r: LeanReader): FastDocument {
  let docType: string | undefined;
  let issuer: FastDocument['issuer'] | undefined;
  let device: DeviceSigned | undefined;
  let errors: CborMap | undefined;
  let seen = 0;
  const n = r.mapHead();
  for (let i = 0; more(r, n, i); i++) {
    const k = nextKey(r, DOCUMENT, seen, 'Document');
    if (k < 0) fail('Document has an unexpected key');
    seen |= 1 << k;
    if (k === 0) docType = r.text();
    else if (k === 1) issuer = readIssuerSigned(r);
    else if (k === 2) device = readDeviceSigned(r);
    else {
      errors = asMap(r.value(), 'Document.errors');
      // Errors = { + NameSpace => { + DataElementIdentifier => ErrorCode } }; anything else is left to
      // the general path to report.
      for (const [ns, items] of errors) {
        if (typeof ns !== 'string' || !(items instanceof Map)) fail('Document.errors shape');
        for (const [id, code] of items)
          if (typeof id !== 'string' || typeof code !== 'number') fail('Document.errors shape');
      }
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
    const k = nextKey(r, RESPONSE, seen, 'DeviceResponse');
    if (k < 0) fail('DeviceResponse has an unexpected key');
    seen |= 1 << k;
    if (k === 0) version = r.text();
    else if (k === 3) status = r.uint();
    else if (k === 1) {
      const m = r.arrayHead();
      for (let j = 0; more(r, m, j); j++) documents.push(readDocument(r));
    } else {
      const list = r.value();
      if (!Array.isArray(list)) fail('documentErrors must be an array');
      for (const e of list) documentErrors.push(asMap(e, 'DocumentError'));
    }
  }
  r.expectEnd();
  if (version === undefined || status === undefined) fail('DeviceResponse lacks version or status');
  if (version !== DEVICE_RESPONSE_VERSION) fail('unsupported DeviceResponse version');
  return { version, status, documents, documentErrors };
}
