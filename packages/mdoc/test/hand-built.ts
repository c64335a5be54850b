/**
 * Responses built by hand, signed properly, for the cases our issuer and wallet refuse to write
 * (digest IDs above 2^53, an element disclosed twice, keys such as `__proto__`): the IssuerSignedItem
 * and MSO maps are given as CBOR values (RawCbor for encodings the encoder never writes, e.g. a
 * float), the MSO is signed with the DS key and the DeviceResponse with the device key over
 * DeviceAuthenticationBytes (ISO/IEC 18013-5 §9.1.2.4, §9.1.3.6).
 */
import { createHash, type KeyObject, sign } from 'node:crypto';
import { type CborMap, type CborValue, EncodedCbor, encode, hexToBytes, Tagged } from '@mynakit/cbor';
import { coseKeyFromKeyObject, deviceAuthenticationBytes, toSessionTranscriptBytes } from '../src/index.js';
import { type IssuerChain, TRANSCRIPT } from './fixtures.js';

export { TRANSCRIPT } from './fixtures.js';
export const NOW = new Date('2025-06-01T00:00:00Z');
const tdate = (iso: string) => new Tagged(0, iso); // tdate = #6.0(tstr), RFC 8949 §3.4.1
export const VALIDITY_MAP: CborMap = new Map<CborValue, CborValue>([
  ['signed', tdate('2025-05-01T00:00:00Z')],
  ['validFrom', tdate('2025-05-01T00:00:00Z')],
  ['validUntil', tdate('2026-01-01T00:00:00Z')],
]);

/** One IssuerSignedItem: `digestID` may be a number, a bigint or a RawCbor (any encoding). */
export function item(
  digestID: CborValue,
  elementIdentifier: CborValue,
  elementValue: CborValue,
  extra: [CborValue, CborValue][] = [],
): EncodedCbor {
  return EncodedCbor.of(
    new Map<CborValue, CborValue>([
      ['digestID', digestID],
      ['random', new Uint8Array(16).fill(7)],
      ['elementIdentifier', elementIdentifier],
      ['elementValue', elementValue],
      ...extra,
    ]),
  );
}

export const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

export interface HandBuiltDocument {
  readonly docType?: string;
  /** namespace → items as sent. */
  readonly items: ReadonlyMap<string, readonly EncodedCbor[]>;
  /** valueDigests as signed: namespace → [DigestID as a CBOR value, digest]. */
  readonly digests: ReadonlyMap<string, readonly (readonly [CborValue, Uint8Array])[]>;
  readonly digestAlgorithm?: string;
  readonly keyAuthorizations?: CborMap;
  /** Changes the MSO map just before it is signed. */
  readonly mso?: (m: CborMap) => void;
  /** DeviceNameSpaces as signed by the device (default: empty). */
  readonly deviceNameSpaces?: CborMap;
  /** Leave deviceSigned out of the Document. */
  readonly noDeviceSigned?: boolean;
  /** Document.errors as sent. */
  readonly errors?: CborMap;
  /** DeviceResponse.documentErrors as sent. */
  readonly documentErrors?: CborValue[];
}

/** The IssuerSigned map of a hand-built document, its MSO signed by the DS key. */
export function issuerSignedOf(doc: HandBuiltDocument, chain: IssuerChain, device: KeyObject): CborMap {
  const valueDigests: CborMap = new Map();
  for (const [ns, list] of doc.digests) {
    const m: CborMap = new Map();
    for (const [id, d] of list) m.set(id, d);
    valueDigests.set(ns, m);
  }
  const deviceKeyInfo: CborMap = new Map<CborValue, CborValue>([['deviceKey', coseKeyFromKeyObject(device)]]);
  if (doc.keyAuthorizations) deviceKeyInfo.set('keyAuthorizations', doc.keyAuthorizations);
  const mso: CborMap = new Map<CborValue, CborValue>([
    ['version', '1.0'],
    ['digestAlgorithm', doc.digestAlgorithm ?? 'SHA-256'],
    ['valueDigests', valueDigests],
    ['deviceKeyInfo', deviceKeyInfo],
    ['docType', doc.docType ?? 'org.example.test'],
    ['validityInfo', VALIDITY_MAP],
  ]);
  doc.mso?.(mso);
  const payload = EncodedCbor.of(mso).raw;
  const protectedBytes = encode(new Map([[1, -7]]));
  const tbs = encode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
  const sig = new Uint8Array(sign('sha256', tbs, { key: chain.dsKey, dsaEncoding: 'ieee-p1363' }));
  const nameSpaces: CborMap = new Map();
  for (const [ns, list] of doc.items) nameSpaces.set(ns, [...list]);
  return new Map<CborValue, CborValue>([
    ['nameSpaces', nameSpaces],
    ['issuerAuth', [protectedBytes, new Map([[33, chain.ds.der]]), payload, sig]],
  ]);
}

/** A DeviceResponse with one hand-built document, device-signed over the transcript. */
export function handBuiltResponse(
  doc: HandBuiltDocument,
  chain: IssuerChain,
  device: { privateKey: KeyObject; publicKey: KeyObject },
  transcript = TRANSCRIPT,
): Uint8Array {
  const docType = doc.docType ?? 'org.example.test';
  const issuerSigned = issuerSignedOf(doc, chain, device.publicKey);
  const dns = EncodedCbor.of(doc.deviceNameSpaces ?? new Map());
  const protectedBytes = encode(new Map([[1, -7]]));
  const payload = deviceAuthenticationBytes(toSessionTranscriptBytes(transcript), docType, dns.raw);
  const tbs = encode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
  const sig = new Uint8Array(sign('sha256', tbs, { key: device.privateKey, dsaEncoding: 'ieee-p1363' }));
  const document = new Map<CborValue, CborValue>([
    ['docType', docType],
    ['issuerSigned', issuerSigned],
  ]);
  if (doc.errors) document.set('errors', doc.errors);
  if (!doc.noDeviceSigned) {
    document.set(
      'deviceSigned',
      new Map<CborValue, CborValue>([
        ['nameSpaces', dns],
        ['deviceAuth', new Map([['deviceSignature', [protectedBytes, new Map(), null, sig]]])],
      ]),
    );
  }
  const response = new Map<CborValue, CborValue>([
    ['version', '1.0'],
    ['documents', [document]],
    ['status', 0],
  ]);
  if (doc.documentErrors) response.set('documentErrors', doc.documentErrors);
  return encode(response);
}

/** Items and their digests for `elements` of one namespace, with the given digest IDs. */
export function signedItems(
  ns: string,
  elements: readonly (readonly [digestID: CborValue, id: CborValue, value: CborValue])[],
): Pick<HandBuiltDocument, 'items' | 'digests'> {
  const items = elements.map(([d, id, v]) => item(d, id, v));
  return {
    items: new Map([[ns, items]]),
    digests: new Map([
      [ns, items.map((it, i) => [(elements[i] as (typeof elements)[number])[0], sha256(it.raw)] as const)],
    ]),
  };
}
