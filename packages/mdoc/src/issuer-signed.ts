/**
 * IssuerSigned — ISO/IEC 18013-5:2021 §8.3.2.1.2.2:
 *
 *   IssuerSigned = {
 *     ? "nameSpaces" : IssuerNameSpaces,   ; Returned data elements
 *     "issuerAuth" : IssuerAuth            ; Contains the mobile security object (MSO) for issuer data authentication
 *   }
 *   IssuerNameSpaces = { + NameSpace => [ + IssuerSignedItemBytes ] }
 *   IssuerAuth = COSE_Sign1                ; The payload is MobileSecurityObjectBytes
 *
 * This is what an issuer hands to a wallet and what a wallet stores. A wallet presents a subset of
 * the items, each as the exact IssuerSignedItemBytes it received, and forwards `issuerAuth` verbatim.
 */
import { type CborMap, type CborValue, type EncodedCbor, encode, LeanReader, RawCbor } from '@mynakit/cbor';
import { CoseError, type CoseMessage, readCoseMessageAt } from '@mynakit/cose';
import {
  boundedArrayHead,
  boundedMapHead,
  envelopeKey,
  keySet,
  mapHeadOf,
  more,
  readBytes,
  readDecoded,
  valueAt,
  within,
} from './internal/lean-map.js';
import { fail } from './internal/shape.js';
import { type ItemRead, type ReceivedIssuerSignedItem, readIssuerSignedItem } from './issuer-signed-item.js';
import { LIMITS, MdocLimitError } from './limits.js';
import {
  type MobileSecurityObject,
  type ReceivedMso,
  readMso,
  readMsoMap,
  readMsoPayload,
} from './mobile-security-object.js';

export interface IssuerSigned {
  /** Namespace → items in the order received. */
  readonly nameSpaces: ReadonlyMap<string, readonly ReceivedIssuerSignedItem[]>;
  /** The COSE_Sign1 as decoded (an array, or a tag-18 value). */
  readonly issuerAuth: CborValue;
  /** The exact bytes of `issuerAuth` as received. */
  readonly issuerAuthBytes?: Uint8Array;
  /**
   * The MSO of issuerAuth's payload when it holds one — MobileSecurityObjectBytes, or (as a holder
   * reads what it was given) a bare MSO map; absent otherwise. Nothing here is verified.
   */
  readonly mso?: MobileSecurityObject;
}

/** IssuerSigned as verification reads it: issuerAuth, the MSO where it lies, the items' exact bytes. */
export interface ReceivedIssuerSigned {
  readonly issuerAuth: CoseMessage;
  /** The complete issuerAuth (COSE_Sign1) exactly as received. */
  readonly issuerAuthBytes: Uint8Array;
  /** issuerAuth's payload: MobileSecurityObjectBytes as received (what the signature covers). */
  readonly msoBytes: Uint8Array;
  readonly mso: ReceivedMso;
  /** Namespace → items in the order received, each with its exact IssuerSignedItemBytes. */
  readonly items: ReadonlyMap<string, readonly ItemRead[]>;
}

const ISSUER_SIGNED = keySet('nameSpaces', 'issuerAuth');

/** IssuerNameSpaces (`{ + NameSpace => [ + IssuerSignedItemBytes ] }`) into `out`, within the limits. */
function readIssuerNameSpaces(r: LeanReader, where: string, out: Map<string, ItemRead[]>): void {
  let total = 0;
  const m = boundedMapHead(r, 'nameSpaces', where);
  for (let j = 0; more(r, m, j); j++) {
    within(m, j, 'nameSpaces', where);
    if (r.peekMajor() !== 3) fail(`${where} key must be a text string`);
    const ns = r.text();
    if (out.has(ns)) fail(`${where}: duplicate namespace`);
    const c = boundedArrayHead(r, 'elementsPerNameSpace', where);
    const list: ItemRead[] = c >= 0 ? new Array(c) : [];
    for (let x = 0; more(r, c, x); x++) {
      if (c < 0) within(c, x, 'elementsPerNameSpace', where);
      if (++total > LIMITS.elements) throw new MdocLimitError('elements', where);
      list[x] = readIssuerSignedItem(r);
    }
    out.set(ns, list);
  }
}

/** What reading issuerAuth's attached payload as the MSO gives (verification only). */
interface MsoSlot {
  where: string;
  mso?: ReceivedMso;
}

/** Reads issuerAuth's payload in place as MobileSecurityObjectBytes, into `slot`. */
function readMsoInto(slot: MsoSlot, p: LeanReader): void {
  slot.mso = readMsoPayload(p, slot.where);
}

/**
 * Reads IssuerSigned at the cursor, in place — the one reader of it, for verification (within a
 * DeviceResponse or alone). The MSO must be attached as MobileSecurityObjectBytes and is read where it
 * lies; items are read lazily (their values are checked, built on demand). Throws MdocError
 * (MDOC_DECODE, MDOC_LIMIT) or CborError on anything malformed.
 */
export function readIssuerSigned(r: LeanReader, where = 'IssuerSigned'): ReceivedIssuerSigned {
  const slot: MsoSlot = { where: `${where}.issuerAuth` };
  const { issuerAuth, issuerAuthBytes, items } = readIssuerSignedParts(r, where, slot);
  const { mso } = slot;
  if (issuerAuth.payload === null || !mso)
    fail(`${where}.issuerAuth has a detached payload; the MSO must be attached`);
  return { issuerAuth, issuerAuthBytes, msoBytes: issuerAuth.payload, mso, items };
}

function readIssuerSignedParts(
  r: LeanReader,
  where: string,
  slot?: MsoSlot,
): Omit<ReceivedIssuerSigned, 'msoBytes' | 'mso'> {
  let issuerAuth: CoseMessage | undefined;
  let issuerAuthBytes: Uint8Array | undefined;
  const items = new Map<string, ItemRead[]>();
  let seen = 0;
  const n = mapHeadOf(r, where);
  for (let i = 0; more(r, n, i); i++) {
    const k = envelopeKey(r, ISSUER_SIGNED, seen, where);
    seen |= 1 << k;
    if (k === 0) readIssuerNameSpaces(r, `${where}.nameSpaces`, items);
    else {
      const start = r.pos;
      try {
        issuerAuth = readCoseMessageAt(r, 'Sign1', slot ? (p) => readMsoInto(slot, p) : undefined);
      } catch (e) {
        if (e instanceof CoseError) fail(`${where}.issuerAuth: ${e.message}`, e);
        throw e;
      }
      issuerAuthBytes = r.bytes.subarray(start, r.pos);
    }
  }
  if (!issuerAuth || !issuerAuthBytes) fail(`${where} lacks "issuerAuth"`);
  return { issuerAuth, issuerAuthBytes, items };
}

/** The MSO a holder finds in issuerAuth's payload (tag 24, or leniently a bare map), if any. */
function heldMso(payload: Uint8Array | null): MobileSecurityObject | undefined {
  if (payload === null || payload.length === 0) return undefined;
  const r = new LeanReader(payload);
  try {
    const mso = (payload[0] as number) >> 5 === 6 ? readMso(r) : readMsoMap(r);
    r.expectEnd();
    return mso;
  } catch {
    return undefined;
  }
}

/** IssuerSigned as a holder keeps it: the items decoded, issuerAuth as decoded and as received. */
function heldIssuerSigned(r: LeanReader, where: string): IssuerSigned {
  const read = readIssuerSignedParts(r, where);
  const nameSpaces = new Map<string, ReceivedIssuerSignedItem[]>();
  for (const [ns, items] of read.items) {
    const out = items.map(
      (i): ReceivedIssuerSignedItem => ({
        digestID: i.digestID,
        random: i.random(),
        elementIdentifier: i.elementIdentifier,
        elementValue: i.elementValue(),
        bytes: i.encoded(),
      }),
    );
    const duplicate = firstRepeatedIdentifier(out);
    if (duplicate !== undefined)
      fail(`${where}.nameSpaces[${ns}]: element ${duplicate} is signed more than once`);
    nameSpaces.set(ns, out);
  }
  const at = read.issuerAuthBytes.byteOffset - r.bytes.byteOffset;
  const issuerAuth = valueAt(r.bytes, at, at + read.issuerAuthBytes.length);
  const mso = heldMso(read.issuerAuth.payload);
  return mso
    ? { nameSpaces, issuerAuth, issuerAuthBytes: read.issuerAuthBytes, mso }
    : { nameSpaces, issuerAuth, issuerAuthBytes: read.issuerAuthBytes };
}

/**
 * IssuerSigned from a decoded value (read through its encoding by the same reader; the items and
 * issuerAuth keep their received bytes). An element signed twice in a namespace is refused here.
 */
export function decodeIssuerSigned(value: CborValue, where = 'IssuerSigned'): IssuerSigned {
  return readDecoded(value, where, (r) => heldIssuerSigned(r, where));
}

/**
 * The first elementIdentifier that two items of one namespace share, or undefined. An identifier
 * names one data element of its namespace, and IssuerNameSpaces (§8.3.2.1.2.2) returns each
 * element as one item: two signed items for one identifier (say age_over_18 false and true) would
 * leave the reader to pick a value, so they are refused rather than letting the last one win.
 */
export function firstRepeatedIdentifier(
  items: readonly { readonly elementIdentifier: string }[],
): string | undefined {
  const repeated = repeatedIdentifiers(items);
  return repeated === undefined ? undefined : (repeated.values().next().value as string);
}

/** The elementIdentifiers that two or more of `items` share (undefined when none): one pass. */
export function repeatedIdentifiers(
  items: readonly { readonly elementIdentifier: string }[],
): Set<string> | undefined {
  if (items.length < 2) return undefined;
  if (items.length <= 8 && !anyRepeated(items)) return undefined; // a few compares, no Set
  const seen = new Set<string>();
  let repeated: Set<string> | undefined;
  for (const it of items) {
    if (!seen.has(it.elementIdentifier)) seen.add(it.elementIdentifier);
    else {
      repeated ??= new Set();
      repeated.add(it.elementIdentifier);
    }
  }
  return repeated;
}

/** Whether two of (at most 8) items share an identifier, by pairwise comparison. */
function anyRepeated(items: readonly { readonly elementIdentifier: string }[]): boolean {
  for (let i = 1; i < items.length; i++)
    for (let j = 0; j < i; j++)
      if (
        (items[i] as { elementIdentifier: string }).elementIdentifier ===
        (items[j] as { elementIdentifier: string }).elementIdentifier
      )
        return true;
  return false;
}

/** Decodes IssuerSigned bytes (as stored by a wallet), keeping the raw bytes of every part. */
export function decodeIssuerSignedBytes(bytes: Uint8Array): IssuerSigned {
  return readBytes(bytes, 'IssuerSigned', (r) => heldIssuerSigned(r, 'IssuerSigned'));
}

/**
 * The IssuerSigned map from items that are already encoded (EncodedCbor, emitted as their raw bytes)
 * and an issuerAuth (a COSE_Sign1 value, or its exact bytes to forward verbatim).
 */
export function buildIssuerSigned(
  nameSpaces: ReadonlyMap<string, readonly EncodedCbor[]>,
  issuerAuth: CborValue | Uint8Array,
): CborMap {
  const m: CborMap = new Map();
  if (nameSpaces.size > 0) {
    const ns: CborMap = new Map();
    for (const [name, items] of nameSpaces) if (items.length > 0) ns.set(name, [...items]);
    if (ns.size > 0) m.set('nameSpaces', ns);
  }
  m.set('issuerAuth', issuerAuth instanceof Uint8Array ? new RawCbor(issuerAuth) : issuerAuth);
  return m;
}

export function encodeIssuerSigned(
  nameSpaces: ReadonlyMap<string, readonly EncodedCbor[]>,
  issuerAuth: CborValue | Uint8Array,
): Uint8Array {
  return encode(buildIssuerSigned(nameSpaces, issuerAuth));
}
