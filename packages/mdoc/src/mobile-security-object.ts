/**
 * MobileSecurityObject — ISO/IEC 18013-5:2021 §9.1.2.4:
 *
 *   MobileSecurityObjectBytes = #6.24(bstr .cbor MobileSecurityObject)
 *   MobileSecurityObject = {
 *     "version" : tstr,                   ; "1.0"
 *     "digestAlgorithm" : tstr,           ; "SHA-256" / "SHA-384" / "SHA-512"
 *     "valueDigests" : ValueDigests,
 *     "deviceKeyInfo" : DeviceKeyInfo,
 *     "docType" : tstr,
 *     "validityInfo" : ValidityInfo,
 *     ? "status" : Status                 ; draft-ietf-oauth-status-list §6.3 (mdoc)
 *   }
 *   ValueDigests = { + NameSpace => DigestIDs }
 *   DigestIDs = { + DigestID => Digest }
 *   DigestID = uint
 *   Digest = bstr
 *
 * Status (draft-ietf-oauth-status-list-20 §6.3, "Referenced Token in COSE"):
 *   Status = { "status_list" : { "idx" : uint, "uri" : tstr } }
 *
 * The MSO has no identifier of its own; SHA-256 over the MobileSecurityObjectBytes identifies it.
 *
 * A DigestID is a `uint` — CBOR major type 0 (RFC 8610 §3.3), any value up to 2^64 − 1: a number up
 * to 2^53 − 1 and a bigint above (as `@mynakit/cbor` decodes them), compared exactly. A float, even
 * an integral one, or a bignum (tag 2) is not a uint. Only a reader of the bytes can tell a float
 * 1.0 from the integer 1, so the MSO is read from the received bytes (`readMso`, `readValueDigests`);
 * `decodeMobileSecurityObject` reads a decoded value through its encoding with the same reader.
 */
import * as nodeCrypto from 'node:crypto';
import { CborError, type CborMap, type CborValue, type LeanReader } from '@mynakit/cbor';
import { type DeviceKeyInfo, encodeDeviceKeyInfo, readDeviceKeyInfo } from './device-key-info.js';
import { MdocError } from './errors.js';
import {
  boundedMapHead,
  type KeySet,
  keySet,
  more,
  nextKey,
  otherKey,
  readDecoded,
  structureMapHead,
  textOf,
  within,
} from './internal/lean-map.js';
import { asMap, asText, asUint, fail, required } from './internal/shape.js';
import { checkLimit, LIMITS, MdocLimitError } from './limits.js';
import { encodeValidityInfo, readValidityInfo, type ValidityInfo } from './validity-info.js';

/** DigestID = uint: a number up to 2^53 − 1, a bigint from 2^53 to 2^64 − 1. */
export type DigestID = number | bigint;

const TWO_64 = 2n ** 64n;

/** Whether `v` is a DigestID in the normal form (a number when it is safe, else a bigint < 2^64). */
export function isDigestID(v: unknown): v is DigestID {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0;
  return typeof v === 'bigint' && v > BigInt(Number.MAX_SAFE_INTEGER) && v < TWO_64;
}

/**
 * Reads a DigestID at the cursor: major type 0 only (a float or a tag fails), the value as
 * `@mynakit/cbor` gives it (a number up to 2^53 − 1, a bigint above).
 */
export function readDigestID(r: LeanReader, where: string): DigestID {
  if (r.peekMajor() !== 0) fail(`${where} must be an unsigned integer (CBOR major type 0)`);
  return r.uintOrBigint();
}

export type DigestAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** The MSO digest algorithms of §9.1.2.4 and their node:crypto names. */
export const DIGEST_ALGORITHMS: Readonly<Record<DigestAlgorithm, string>> = {
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

export function isDigestAlgorithm(v: string): v is DigestAlgorithm {
  return Object.hasOwn(DIGEST_ALGORITHMS, v);
}

/**
 * The node:crypto name of an MSO digest algorithm, or undefined: received text is looked up among
 * own properties only (`toString` is not an algorithm).
 */
export function digestAlgorithmHash(v: string): string | undefined {
  return isDigestAlgorithm(v) ? DIGEST_ALGORITHMS[v] : undefined;
}

/** node 20.12+ one-shot hash; createHash otherwise. */
const oneShot = (
  nodeCrypto as { hash?: (alg: string, data: Uint8Array, enc: 'buffer' | 'hex') => Buffer | string }
).hash;

/** A digest (node:crypto algorithm name, e.g. from `digestAlgorithmHash`) as bytes. */
export function digestOf(algorithm: string, data: Uint8Array): Uint8Array {
  return oneShot
    ? (oneShot(algorithm, data, 'buffer') as Buffer)
    : nodeCrypto.createHash(algorithm).update(data).digest();
}

/**
 * A digest as lowercase hex, the form verification compares with `ValueDigestTable` (a string: no
 * buffer is allocated per item).
 */
export function hexDigestOf(algorithm: string, data: Uint8Array): string {
  return oneShot
    ? (oneShot(algorithm, data, 'hex') as string)
    : nodeCrypto.createHash(algorithm).update(data).digest('hex');
}

/** The status list reference of a Referenced Token. */
export interface StatusListReference {
  readonly idx: number;
  readonly uri: string;
}

export interface MobileSecurityObject {
  readonly version: string;
  readonly digestAlgorithm: string;
  /** namespace → DigestID → digest. */
  readonly valueDigests: ReadonlyMap<string, ReadonlyMap<DigestID, Uint8Array>>;
  readonly deviceKeyInfo: DeviceKeyInfo;
  readonly docType: string;
  readonly validityInfo: ValidityInfo;
  readonly status?: StatusListReference;
}

const MSO = keySet(
  'version',
  'digestAlgorithm',
  'valueDigests',
  'deviceKeyInfo',
  'docType',
  'validityInfo',
  'status',
);

/** A received MSO: the MobileSecurityObject shape, its valueDigests kept where they lie (`digests`). */
export class ReceivedMso implements MobileSecurityObject {
  #valueDigests: Map<string, Map<DigestID, Uint8Array>> | undefined;
  readonly status?: StatusListReference;

  constructor(
    readonly version: string,
    readonly digestAlgorithm: string,
    /** valueDigests as verification consults them (`compare`), built from the bytes without copies. */
    readonly digests: ValueDigestTable,
    readonly deviceKeyInfo: DeviceKeyInfo,
    readonly docType: string,
    readonly validityInfo: ValidityInfo,
    status: StatusListReference | undefined,
  ) {
    if (status) this.status = status;
  }

  /** namespace → DigestID → digest, built on first read. */
  get valueDigests(): ReadonlyMap<string, ReadonlyMap<DigestID, Uint8Array>> {
    this.#valueDigests ??= this.digests.toMaps();
    return this.#valueDigests;
  }
}

/**
 * Reads a MobileSecurityObject map at the cursor, in place: any key order, unknown keys skipped (at
 * most `LIMITS.mapKeys` keys), a key twice refused; DigestIDs read with their major type (a float is
 * not a uint), digests left where they lie. Throws MdocError (MDOC_DECODE, MDOC_LIMIT) or CborError.
 */
export function readMsoMap(r: LeanReader, where = 'MobileSecurityObject'): ReceivedMso {
  let version: string | undefined;
  let digestAlgorithm: string | undefined;
  let docType: string | undefined;
  let digests: ValueDigestTable | undefined;
  let deviceKeyInfo: DeviceKeyInfo | undefined;
  let validityInfo: ValidityInfo | undefined;
  let status: StatusListReference | undefined;
  let seen = 0;
  let others: Set<string> | undefined;
  const n = structureMapHead(r, where);
  for (let i = 0; more(r, n, i); i++) {
    const k = nextKey(r, MSO, seen, where, n, i);
    if (k < 0) {
      others = otherKey(others, where);
      r.skip();
      continue;
    }
    seen |= 1 << k;
    // Field names in messages are the CDDL's (no path string is built on the way).
    if (k === 0) version = knownText(r, VERSIONS, 'MobileSecurityObject.version');
    else if (k === 1)
      digestAlgorithm = knownText(r, DIGEST_ALGORITHM_NAMES, 'MobileSecurityObject.digestAlgorithm');
    else if (k === 2) digests = readValueDigests(r);
    else if (k === 3) deviceKeyInfo = readDeviceKeyInfo(r, 'MobileSecurityObject.deviceKeyInfo');
    else if (k === 4) docType = textOf(r, 'MobileSecurityObject.docType');
    else if (k === 5) validityInfo = readValidityInfo(r, 'MobileSecurityObject.validityInfo');
    else status = decodeStatusReference(r.value(), 'MobileSecurityObject.status');
  }
  if (version === undefined) fail(`${where} lacks "version"`);
  if (digestAlgorithm === undefined) fail(`${where} lacks "digestAlgorithm"`);
  if (!digests) fail(`${where} lacks "valueDigests"`);
  if (deviceKeyInfo === undefined) fail(`${where} lacks "deviceKeyInfo"`);
  if (docType === undefined) fail(`${where} lacks "docType"`);
  if (validityInfo === undefined) fail(`${where} lacks "validityInfo"`);
  return new ReceivedMso(version, digestAlgorithm, digests, deviceKeyInfo, docType, validityInfo, status);
}

const VERSIONS = keySet('1.0');
const DIGEST_ALGORITHM_NAMES = keySet('SHA-256', 'SHA-384', 'SHA-512');

/** A text string that is usually one of `known` (then that very string is returned: nothing is built). */
function knownText(r: LeanReader, known: KeySet, where: string): string {
  const i = r.keyIndex(known.bytes);
  return i >= 0 ? (known.names[i] as string) : textOf(r, where);
}

/** MobileSecurityObjectBytes (`#6.24(bstr .cbor MobileSecurityObject)`) at the cursor, read in place. */
export function readMso(r: LeanReader, where = 'MobileSecurityObject'): ReceivedMso {
  r.enterEmbeddedInPlace();
  const mso = readMsoMap(r, where);
  r.leaveEmbeddedStart();
  return mso;
}

/**
 * The MSO of an issuerAuth payload read where it lies (`r` limited to the payload): §9.1.2.4
 * "MobileSecurityObjectBytes = #6.24(bstr .cbor MobileSecurityObject)" is what issuerAuth signs; a
 * bare MSO map is another payload, which no issuer following the standard produces. CBOR errors of the
 * payload are decode failures of `where`.
 */
export function readMsoPayload(r: LeanReader, where: string): ReceivedMso {
  const major = r.pos < r.limit ? (r.bytes[r.pos] as number) >> 5 : -1;
  if (major !== 6)
    fail(
      `${where} payload must be MobileSecurityObjectBytes (#6.24(bstr .cbor MobileSecurityObject), ISO/IEC 18013-5 §9.1.2.4), not a bare ${major === 5 ? 'map' : 'value'}`,
    );
  try {
    return readMso(r);
  } catch (e) {
    if (e instanceof CborError) fail(`${where} payload: ${e.message}`, e);
    throw e;
  }
}

/** A MobileSecurityObject from a decoded value (the map; read by `readMsoMap`). */
export function decodeMobileSecurityObject(
  value: CborValue,
  where = 'MobileSecurityObject',
): MobileSecurityObject {
  return readDecoded(value, where, (r) => readMsoMap(r, where));
}

/**
 * The `status_list` reference of an MSO `status` map; undefined when the map carries only other
 * mechanisms (e.g. an identifier list), which this verifier does not consult.
 */
export function decodeStatusReference(value: CborValue, where: string): StatusListReference | undefined {
  const sl = asMap(value, where).get('status_list');
  if (sl === undefined) return undefined;
  const m = asMap(sl, `${where}.status_list`);
  return {
    idx: asUint(required(m, 'idx', `${where}.status_list`), `${where}.status_list.idx`),
    uri: asText(required(m, 'uri', `${where}.status_list`), `${where}.status_list.uri`),
  };
}

export function encodeMobileSecurityObject(mso: MobileSecurityObject): CborMap {
  if (!isDigestAlgorithm(mso.digestAlgorithm)) {
    throw new MdocError('MDOC_UNSUPPORTED', 'digestAlgorithm must be SHA-256, SHA-384 or SHA-512');
  }
  const valueDigests: CborMap = new Map();
  for (const [ns, ids] of mso.valueDigests) {
    const d: CborMap = new Map();
    for (const [id, digest] of ids) {
      // Written as major type 0 only: a float or a bignum is not a DigestID.
      if (!isDigestID(id) && !(typeof id === 'bigint' && id >= 0n && id < TWO_64))
        throw new MdocError('MDOC_INVALID_ARGUMENT', `valueDigests[${ns}]: a DigestID must be a uint`);
      d.set(typeof id === 'number' ? id + 0 : id, digest); // -0 + 0 is 0, never the float -0.0
    }
    valueDigests.set(ns, d);
  }
  const m: CborMap = new Map<CborValue, CborValue>([
    ['version', mso.version],
    ['digestAlgorithm', mso.digestAlgorithm],
    ['valueDigests', valueDigests],
    ['deviceKeyInfo', encodeDeviceKeyInfo(mso.deviceKeyInfo)],
    ['docType', mso.docType],
    ['validityInfo', encodeValidityInfo(mso.validityInfo)],
  ]);
  if (mso.status) {
    if (!Number.isSafeInteger(mso.status.idx) || mso.status.idx < 0 || mso.status.uri.length === 0) {
      throw new MdocError('MDOC_INVALID_ARGUMENT', 'status.status_list needs a uint idx and a uri');
    }
    m.set(
      'status',
      new Map([
        [
          'status_list',
          new Map<CborValue, CborValue>([
            ['idx', mso.status.idx],
            ['uri', mso.status.uri],
          ]),
        ],
      ]),
    );
  }
  return m;
}

const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** Whether lowercase `hex` spells `bytes[off … off + len)`. */
export function hexEquals(hex: string, bytes: Uint8Array, off: number, len: number): boolean {
  if (hex.length !== len * 2) return false;
  for (let j = 0; j < len; j++) {
    const b = bytes[off + j] as number;
    if (hex.charCodeAt(2 * j) !== HEX[b >> 4] || hex.charCodeAt(2 * j + 1) !== HEX[b & 15]) return false;
  }
  return true;
}

/**
 * valueDigests as read from the received bytes: namespace → DigestID → entry, each entry an
 * (offset, length) of the digest where it lies in the input — no view is made per digest — or, for
 * an indefinite-length byte string, a copy of its chunks. Lookups are two Map gets; the Maps of the
 * public MobileSecurityObject shape are built only if someone asks (`toMaps`).
 */
export class ValueDigestTable {
  readonly #byNamespace = new Map<string, Map<DigestID, number>>();
  /** Per entry: offset and length into `bytes`; offset -1 - k means `#copies[k]`. */
  readonly #spans: number[] = [];
  #copies: Uint8Array[] | undefined;

  constructor(readonly bytes: Uint8Array) {}

  get count(): number {
    return this.#spans.length / 2;
  }

  /** Opens a namespace's DigestIDs; a namespace twice fails. */
  namespace(ns: string): Map<DigestID, number> {
    if (this.#byNamespace.has(ns)) fail('MobileSecurityObject.valueDigests: duplicate namespace');
    checkLimit(this.#byNamespace.size + 1, 'nameSpaces', 'MobileSecurityObject.valueDigests');
    const m = new Map<DigestID, number>();
    this.#byNamespace.set(ns, m);
    return m;
  }

  /** Adds the digest at [offset, offset + length) of `bytes` (or a copy) under `id`. */
  add(ids: Map<DigestID, number>, id: DigestID, offset: number, length: number, copy?: Uint8Array): void {
    const spans = this.#spans;
    const entry = spans.length;
    if (entry >= 2 * LIMITS.digests) throw new MdocLimitError('digests', 'MobileSecurityObject.valueDigests');
    const size = ids.size;
    ids.set(id, entry);
    if (ids.size === size) fail('MobileSecurityObject.valueDigests: duplicate DigestID');
    if (copy) {
      this.#copies ??= [];
      spans.push(-1 - this.#copies.length, copy.length);
      this.#copies.push(copy);
    } else spans.push(offset, length);
  }

  /** Does the digest (lowercase hex) match valueDigests[ns][id]? */
  compare(ns: string, id: DigestID, digestHex: string): 'match' | 'mismatch' | 'missing' {
    const e = this.#byNamespace.get(ns)?.get(id);
    if (e === undefined) return 'missing';
    const off = this.#spans[e] as number;
    const len = this.#spans[e + 1] as number;
    if (off >= 0) return hexEquals(digestHex, this.bytes, off, len) ? 'match' : 'mismatch';
    const copy = (this.#copies as Uint8Array[])[-1 - off] as Uint8Array;
    return hexEquals(digestHex, copy, 0, len) ? 'match' : 'mismatch';
  }

  /** namespace → DigestID → digest (views of the input). */
  toMaps(): Map<string, Map<DigestID, Uint8Array>> {
    const out = new Map<string, Map<DigestID, Uint8Array>>();
    for (const [ns, ids] of this.#byNamespace) {
      const m = new Map<DigestID, Uint8Array>();
      for (const [id, e] of ids) {
        const off = this.#spans[e] as number;
        const len = this.#spans[e + 1] as number;
        m.set(
          id,
          off >= 0
            ? this.bytes.subarray(off, off + len)
            : ((this.#copies as Uint8Array[])[-1 - off] as Uint8Array),
        );
      }
      out.set(ns, m);
    }
    return out;
  }
}

/** The size of a definite-length head from its initial byte (RFC 8949 §3: 1, 2, 3, 5 or 9 bytes). */
function headSize(initial: number): number {
  const ai = initial & 0x1f;
  return ai < 24 ? 1 : ai === 24 ? 2 : ai === 25 ? 3 : ai === 26 ? 5 : 9;
}

/**
 * ValueDigests read in place (§9.1.2.4: `{ + NameSpace => { + DigestID => Digest } }`): DigestIDs of
 * major type 0 only, digests as byte strings, each count within its limit before the entries are
 * read — a map that declares too many fails at its head, an indefinite-length one at the first entry
 * past the limit.
 */
export function readValueDigests(r: LeanReader): ValueDigestTable {
  const where = 'MobileSecurityObject.valueDigests';
  const t = new ValueDigestTable(r.bytes);
  const n = boundedMapHead(r, 'nameSpaces', where);
  for (let i = 0; more(r, n, i); i++) {
    within(n, i, 'nameSpaces', where);
    if (r.peekMajor() !== 3) fail(`${where}: a namespace must be a text string`);
    const ids = t.namespace(r.text());
    const m = boundedMapHead(r, 'elementsPerNameSpace', where);
    for (let j = 0; more(r, m, j); j++) {
      if (m < 0) within(m, j, 'elementsPerNameSpace', where);
      const id = readDigestID(r, 'MobileSecurityObject.valueDigests DigestID');
      if (r.peekMajor() !== 2) fail(`${where}: a digest must be a byte string`);
      const head = r.pos;
      if (((r.bytes[head] as number) & 0x1f) === 31) {
        // Indefinite length: its chunks are not contiguous in the input, so it is copied.
        t.add(ids, id, 0, 0, r.byteString());
      } else {
        // Definite: the digest is the last `length` bytes before the cursor (no view is made).
        r.skipByteString();
        const length = r.pos - head - headSize(r.bytes[head] as number);
        t.add(ids, id, r.pos - length, length);
      }
    }
  }
  return t;
}
