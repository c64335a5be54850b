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
import {
  type CborMap,
  type CborValue,
  decode,
  type EncodedCbor,
  encode,
  RawCbor,
  rawSpanOf,
} from '@mynakit/cbor';
import { asArray, asEncoded, asMap, asText, fail, onlyKeys, required } from './internal/shape.js';
import { decodeIssuerSignedItem, type ReceivedIssuerSignedItem } from './issuer-signed-item.js';
import { checkLimit } from './limits.js';

export interface IssuerSigned {
  /** Namespace → items in the order received. */
  readonly nameSpaces: ReadonlyMap<string, readonly ReceivedIssuerSignedItem[]>;
  /** The COSE_Sign1 as decoded (an array, or a tag-18 value). */
  readonly issuerAuth: CborValue;
  /** The exact bytes of `issuerAuth` when the structure was decoded from bytes with spans. */
  readonly issuerAuthBytes?: Uint8Array;
}

export function decodeIssuerSigned(value: CborValue, where = 'IssuerSigned'): IssuerSigned {
  const m = asMap(value, where);
  onlyKeys(m, ['nameSpaces', 'issuerAuth'], where);
  const nameSpaces = new Map<string, ReceivedIssuerSignedItem[]>();
  const ns = m.get('nameSpaces');
  if (ns !== undefined) {
    const nsMap = asMap(ns, `${where}.nameSpaces`);
    checkLimit(nsMap.size, 'nameSpaces', `${where}.nameSpaces`);
    let total = 0;
    for (const [k, items] of nsMap) {
      const name = asText(k, `${where}.nameSpaces key`);
      const w = `${where}.nameSpaces[${name}]`;
      const list = asArray(items, w);
      checkLimit(list.length, 'elementsPerNameSpace', w);
      total += list.length;
      checkLimit(total, 'elements', `${where}.nameSpaces`);
      const out = list.map((x) => decodeIssuerSignedItem(asEncoded(x, `${w}[]`), `${w} IssuerSignedItem`));
      const duplicate = firstRepeatedIdentifier(out);
      if (duplicate !== undefined) fail(`${w}: element ${duplicate} is signed more than once`);
      nameSpaces.set(name, out);
    }
  }
  const issuerAuth = required(m, 'issuerAuth', where);
  if (
    !Array.isArray(issuerAuth) &&
    !(typeof issuerAuth === 'object' && issuerAuth !== null && 'tag' in issuerAuth)
  ) {
    fail(`${where}.issuerAuth must be a COSE_Sign1`);
  }
  const span = typeof issuerAuth === 'object' && issuerAuth !== null ? rawSpanOf(issuerAuth) : undefined;
  return span ? { nameSpaces, issuerAuth, issuerAuthBytes: span } : { nameSpaces, issuerAuth };
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

/** Decodes IssuerSigned bytes (as stored by a wallet), keeping the raw bytes of every part. */
export function decodeIssuerSignedBytes(bytes: Uint8Array): IssuerSigned {
  let value: CborValue;
  try {
    value = decode(bytes, { spans: true });
  } catch (e) {
    fail(`IssuerSigned: ${(e as Error).message}`, e);
  }
  return decodeIssuerSigned(value);
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
