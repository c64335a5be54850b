import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  asArray,
  asMap,
  bytesToHex,
  type CborMap,
  decode,
  EncodedCbor,
  encode,
  getArray,
  getEncodedCbor,
  getMap,
  getText,
  getUint,
  rawSpanOf,
} from '../src/index.js';
import { expectSpansMatch } from './helpers/spans.js';
import { readHex, walletResponsesWithWideMapHeads } from './helpers/vectors.js';
import { sortMapsByteLevel, walk } from './helpers/walk.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** For each IssuerSignedItemBytes of a document: its SHA-256 and the digest the MSO holds for it. */
function digestPairs(document: CborMap): { actual: string; expected: string }[] {
  const issuerSigned = getMap(document, 'issuerSigned');
  const issuerAuth = getArray(issuerSigned, 'issuerAuth');
  const payload = issuerAuth[2] as Uint8Array;
  const mso = asMap((decode(payload) as EncodedCbor).decode(), 'MSO');
  expect(getText(mso, 'digestAlgorithm')).toBe('SHA-256');
  const valueDigests = getMap(mso, 'valueDigests');
  const pairs: { actual: string; expected: string }[] = [];
  for (const [ns, items] of getMap(issuerSigned, 'nameSpaces')) {
    for (const item of asArray(items, 'items')) {
      const encoded = item as EncodedCbor;
      expect(encoded).toBeInstanceOf(EncodedCbor);
      const digestId = getUint(asMap(encoded.decode(), 'item'), 'digestID');
      const expected = getMap(valueDigests, ns).get(digestId) as Uint8Array;
      pairs.push({ actual: sha256(encoded.raw), expected: bytesToHex(expected) });
    }
  }
  return pairs;
}

describe('ISO/IEC 18013-5 Annex D DeviceResponse', () => {
  const input = readHex('iso-18013-5-annex-d/device_response.hex');

  it('decodes to the documented structure', () => {
    const response = asMap(decode(input), 'DeviceResponse');
    expect(getText(response, 'version')).toBe('1.0');
    expect(getUint(response, 'status')).toBe(0);
    const documents = getArray(response, 'documents');
    expect(documents).toHaveLength(1);
    const doc = asMap(documents[0], 'document');
    expect(getText(doc, 'docType')).toBe('org.iso.18013.5.1.mDL');
    const items = asArray(
      getMap(getMap(doc, 'issuerSigned'), 'nameSpaces').get('org.iso.18013.5.1'),
      'items',
    );
    const names = items.map((i) => getText(asMap((i as EncodedCbor).decode(), 'item'), 'elementIdentifier'));
    expect(names).toEqual([
      'family_name',
      'issue_date',
      'expiry_date',
      'document_number',
      'portrait',
      'driving_privileges',
    ]);
    const portrait = items
      .map((i) => asMap((i as EncodedCbor).decode(), 'item'))
      .find((m) => m.get('elementIdentifier') === 'portrait');
    expect((portrait!.get('elementValue') as Uint8Array).length).toBe(1042);
    // deviceMac: COSE_Mac0, protected header {1: 5} (HMAC 256/256), detached payload, 32-byte tag.
    const deviceAuth = getMap(getMap(doc, 'deviceSigned'), 'deviceAuth');
    const mac0 = getArray(deviceAuth, 'deviceMac');
    expect(decode(mac0[0] as Uint8Array)).toEqual(new Map([[1, 5]]));
    expect(mac0[2]).toBeNull(); // detached payload
    expect(mac0[3]).toBeInstanceOf(Uint8Array);
    expect(mac0[3]).toHaveLength(32);
  });

  it('keeps every IssuerSignedItemBytes exactly as received: SHA-256(raw) equals the MSO digest', () => {
    const response = asMap(decode(input), 'DeviceResponse');
    const pairs = digestPairs(asMap(getArray(response, 'documents')[0], 'document'));
    expect(pairs).toHaveLength(6);
    for (const { actual, expected } of pairs) expect(actual).toBe(expected);
  });

  it('records the exact input span of every array, map and tag (independent walker)', () => {
    const value = decode(input, { spans: true });
    const checked = expectSpansMatch(input, value, walk(input));
    expect(checked).toBeGreaterThan(15);
    expect(rawSpanOf(value as CborMap)).toEqual(input);
  });

  it('records no spans unless asked', () => {
    const value = decode(input) as CborMap;
    expect(rawSpanOf(value)).toBeUndefined();
    expect(rawSpanOf(getArray(value, 'documents'))).toBeUndefined();
  });

  it('re-encodes byte-identically except for map key order (the ISO example is not canonical)', () => {
    const reencoded = encode(decode(input));
    expect(reencoded.length).toBe(input.length);
    expect(bytesToHex(reencoded)).not.toBe(bytesToHex(input));
    // The difference is exactly the order of entries in the maps outside tag 24: the canonicalised
    // input (the walker sorts each map's entries, keeps all bytes) is what our encoder writes.
    const unsorted: number[] = [];
    const canonical = sortMapsByteLevel(input, walk(input), unsorted);
    expect(bytesToHex(reencoded)).toBe(bytesToHex(canonical));
    // Which maps: DeviceResponse {version, documents, status}, the Document {docType, issuerSigned,
    // deviceSigned} and IssuerSigned {nameSpaces, issuerAuth} are out of §4.2.1 order; the COSE headers
    // and the smaller maps are in order.
    const keysOf = (offset: number) => [
      ...asMap(decode(input.subarray(offset, walk(input, offset).end)), 'map').keys(),
    ];
    expect(unsorted.sort((a, b) => a - b).map(keysOf)).toEqual([
      ['version', 'documents', 'status'],
      ['docType', 'issuerSigned', 'deviceSigned'],
      ['nameSpaces', 'issuerAuth'],
      ['nameSpaces', 'deviceAuth'],
    ]);
    // Tag-24 items are emitted as received: every IssuerSignedItemBytes is inside the re-encoding verbatim.
    const hex = bytesToHex(reencoded);
    const response = asMap(decode(input), 'DeviceResponse');
    const doc = asMap(getArray(response, 'documents')[0], 'document');
    for (const item of asArray(
      getMap(getMap(doc, 'issuerSigned'), 'nameSpaces').get('org.iso.18013.5.1'),
      'items',
    )) {
      expect(hex).toContain(bytesToHex((item as EncodedCbor).raw));
    }
  });

  it('session transcript bytes are one tag-24 item', () => {
    const st = readHex('iso-18013-5-annex-d/session_transcript_bytes.hex');
    const v = decode(st) as EncodedCbor;
    expect(v).toBeInstanceOf(EncodedCbor);
    expect(v.raw).toEqual(st);
    expect(asArray(v.decode(), 'SessionTranscript')).toHaveLength(3);
    expect(getEncodedCbor(new Map([['k', v]]), 'k')).toBe(v);
  });
});

describe('real wallet responses with non-preferred map heads (b9 0003)', () => {
  const files = walletResponsesWithWideMapHeads();

  it('finds such vectors', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s decodes, spans are exact, digests match the bytes as received', (file) => {
    const input = readHex(file);
    expect(bytesToHex(input.subarray(0, 3))).toBe('b90003');
    const value = decode(input, { spans: true });
    expectSpansMatch(input, value, walk(input));
    const response = asMap(value, 'DeviceResponse');
    // The whole response as received (non-preferred head included) comes back from rawSpanOf.
    expect(rawSpanOf(response)).toEqual(input);
    for (const doc of getArray(response, 'documents')) {
      const pairs = digestPairs(asMap(doc, 'document'));
      expect(pairs.length).toBeGreaterThan(0);
      for (const { actual, expected } of pairs) expect(actual).toBe(expected);
    }
    // Our encoder normalises the heads: the re-encoding is shorter, proving it is not the input.
    expect(encode(value).length).toBeLessThan(input.length);
  });
});
