/**
 * The general header rules of RFC 9052 §3 / §3.1 and RFC 9360 §2, on the cose-wg examples where they
 * apply (sign-pass-03: protected {1: -7}, unprotected {4: '11'}, key "11").
 */
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type CborMap, type CborValue, decode, encode, hexToBytes } from '@mynakit/cbor';
import { describe, expect, it } from 'vitest';
import {
  CoseSign1,
  checkCriticalHeaders,
  createMac0,
  decodeMac0,
  decodeSign1,
  sigStructure1,
  UNDERSTOOD_HEADER_LABELS,
  verifyMac0,
  verifySign1,
  x5chainOf,
} from '../src/index.js';
import { codeOf } from './helpers.js';

const vectors = JSON.parse(
  readFileSync(new URL('./vectors/cose-wg-examples.json', import.meta.url), 'utf8'),
) as {
  keys: Record<string, Record<string, string>>;
  sign1: { title: string; cbor: string }[];
};
const key11 = createPrivateKey({ key: vectors.keys['11'] as never, format: 'jwk' });
const passing = vectors.sign1.find((c) => c.title.startsWith('sign-pass-03'))!;
const hdr = (...entries: [CborValue, CborValue][]): CborMap => new Map(entries);

/** The example's payload, signed afresh with key 11 under another protected header. */
function resign(protectedHeaders: CborMap, unprotected: CborMap = hdr([4, hexToBytes('3131')])): Uint8Array {
  const example = decodeSign1(hexToBytes(passing.cbor));
  const p = encode(protectedHeaders);
  const tbs = sigStructure1(p, new Uint8Array(0), example.payload as Uint8Array);
  const sig = sign('sha256', tbs, { key: key11, dsaEncoding: 'ieee-p1363' });
  return encode([p, unprotected, example.payload, new Uint8Array(sig)]);
}

describe('crit (RFC 9052 §3.1)', () => {
  it('the example verifies as published (baseline)', async () => {
    expect(await verifySign1(hexToBytes(passing.cbor), { key: key11 })).toBe(true);
  });

  it("\"When present, the 'crit' header parameter MUST be placed in the protected header bucket\": crit added to the example's unprotected bucket fails it, though its signature still holds", async () => {
    const m = decodeSign1(hexToBytes(passing.cbor));
    const moved = new CoseSign1(
      m.protectedBytes,
      m.protectedHeaders,
      hdr([4, hexToBytes('3131')], [2, [1]]),
      m.payload,
      m.signature,
    );
    expect(await codeOf(verifySign1(moved, { key: key11 }))).toBe('COSE_HEADER');
  });

  it('"The array MUST have at least one value in it": crit [] fails', async () => {
    expect(await codeOf(verifySign1(resign(hdr([1, -7], [2, []])), { key: key11 }))).toBe('COSE_HEADER');
    expect(await codeOf(verifySign1(resign(hdr([1, -7], [2, 4])), { key: key11 }))).toBe('COSE_HEADER');
  });

  it('a label the recipient does not process fails the message, even with a good signature', async () => {
    const msg = resign(hdr([1, -7], [2, [-65537]], [-65537, 'must be understood']));
    expect(await codeOf(verifySign1(msg, { key: key11 }))).toBe('COSE_HEADER');
    // A caller that processes the label says so, and the message verifies.
    const understood = new Set<CborValue>([...UNDERSTOOD_HEADER_LABELS, -65537]);
    expect(await verifySign1(msg, { key: key11, understoodHeaders: understood })).toBe(true);
  });

  it('a listed label the protected header lacks fails; a processed one present passes', async () => {
    expect(await codeOf(verifySign1(resign(hdr([1, -7], [2, [3]])), { key: key11 }))).toBe('COSE_HEADER');
    expect(await verifySign1(resign(hdr([1, -7], [2, [1]])), { key: key11 })).toBe(true);
  });

  it('a label of a non-label type (bstr) in crit fails', () => {
    expect(() => checkCriticalHeaders(hdr([1, -7], [2, [hexToBytes('01')]]))).toThrow(/not processed/);
  });

  it('without crit: no error, nothing looked up beyond label 2', () => {
    let gets = 0;
    const counting = new (class extends Map<CborValue, CborValue> {
      override get(k: CborValue) {
        gets++;
        return super.get(k);
      }
    })([[1, -7]]);
    checkCriticalHeaders(counting, UNDERSTOOD_HEADER_LABELS, hdr());
    expect(gets).toBe(1);
  });

  it('COSE_Mac0 follows the same rules', async () => {
    const key = new Uint8Array(32).fill(7);
    const detachedPayload = new Uint8Array([1, 2, 3]);
    const good = await createMac0({ protectedHeaders: hdr([1, 5]), payload: null, detachedPayload, key });
    const withCrit = decodeMac0([good.protectedBytes, hdr([2, [1]]), null, good.tag]);
    expect(await verifyMac0(good, { key, detachedPayload })).toBe(true);
    expect(await codeOf(verifyMac0(withCrit, { key, detachedPayload }))).toBe('COSE_HEADER');
  });
});

describe('x5chain in both buckets (RFC 9052 §3, RFC 9360 §2)', () => {
  const a = hexToBytes('3003020101');
  const b = hexToBytes('3003020102');
  it('"attributes MUST be obtained from the protected bucket": protected only, unprotected only', () => {
    expect(x5chainOf(hdr([33, a]), hdr())).toEqual([a]);
    expect(x5chainOf(hdr(), hdr([33, [a, b]]))).toEqual([a, b]);
    expect(x5chainOf(hdr([1, -7]), hdr())).toEqual([]);
  });

  it('both, byte-equal: accepted (the same certificates, a bstr or an array of one)', () => {
    expect(x5chainOf(hdr([33, [a, b]]), hdr([33, [a, b]]))).toEqual([a, b]);
    expect(x5chainOf(hdr([33, a]), hdr([33, [a]]))).toEqual([a]);
  });

  it('both, different: rejected — the unprotected copy could be swapped by anyone', async () => {
    expect(await codeOf(() => x5chainOf(hdr([33, [a]]), hdr([33, [b]])))).toBe('COSE_HEADER');
    expect(await codeOf(() => x5chainOf(hdr([33, [a, b]]), hdr([33, [a]])))).toBe('COSE_HEADER');
    const s = decodeSign1(resign(hdr([1, -7], [33, a]), hdr([33, b])));
    expect(await codeOf(() => s.x5chain)).toBe('COSE_HEADER');
  });

  it('a malformed chain in either bucket: COSE_HEADER', async () => {
    expect(await codeOf(() => x5chainOf(hdr([33, []]), hdr()))).toBe('COSE_HEADER');
    expect(await codeOf(() => x5chainOf(hdr([33, a]), hdr([33, 'x'])))).toBe('COSE_HEADER');
  });

  it('decoding keeps the example intact (no header moved or re-encoded)', () => {
    const m = decodeSign1(hexToBytes(passing.cbor));
    expect(decode(m.protectedBytes)).toEqual(hdr([1, -7]));
  });
});
