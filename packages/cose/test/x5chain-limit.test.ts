/**
 * x5chain length (RFC 9360 §2: "x5chain: This header parameter contains an ordered array of X.509
 * certificates"; the RFC sets no bound): a received chain is read before any signature is checked, so
 * its length is bounded — X5CHAIN_MAX_CERTIFICATES by default, or the caller's bound — and a longer one
 * is refused with COSE_LIMIT before any certificate in it is looked at.
 */
import { type CborMap, type CborValue, encode, hexToBytes } from '@mynakit/cbor';
import { describe, expect, it } from 'vitest';
import { CoseError, decodeSign1, X5CHAIN_MAX_CERTIFICATES, x5chainOf } from '../src/index.js';
import { codeOf } from './helpers.js';

const hdr = (...entries: [CborValue, CborValue][]): CborMap => new Map(entries);
const cert = (i: number) => hexToBytes(`30030201${i.toString(16).padStart(2, '0')}`);
const chainOf = (n: number) => Array.from({ length: n }, (_, i) => cert(i));

describe('x5chain length bound', () => {
  it('is 8 certificates by default: 8 are read, 9 are refused with COSE_LIMIT', async () => {
    expect(X5CHAIN_MAX_CERTIFICATES).toBe(8);
    expect(x5chainOf(hdr(), hdr([33, chainOf(8)]))).toHaveLength(8);
    expect(x5chainOf(hdr([33, chainOf(8)]), hdr())).toHaveLength(8);
    expect(await codeOf(() => x5chainOf(hdr(), hdr([33, chainOf(9)])))).toBe('COSE_LIMIT');
    expect(await codeOf(() => x5chainOf(hdr([33, chainOf(9)]), hdr()))).toBe('COSE_LIMIT');
  });

  it('takes the caller’s bound, and names it in the message', () => {
    expect(x5chainOf(hdr(), hdr([33, chainOf(3)]), 3)).toHaveLength(3);
    try {
      x5chainOf(hdr(), hdr([33, chainOf(4)]), 3);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CoseError);
      expect((e as CoseError).code).toBe('COSE_LIMIT');
      expect((e as CoseError).message).toContain('more than 3');
    }
    expect(() => x5chainOf(hdr(), hdr([33, chainOf(1)]), 0)).toThrow(/maxCertificates/);
  });

  it('is checked before the elements: a long chain of non-bstr items is still COSE_LIMIT', async () => {
    const junk = Array.from({ length: 10_000 }, () => 'x');
    expect(await codeOf(() => x5chainOf(hdr(), hdr([33, junk])))).toBe('COSE_LIMIT');
  });

  it('applies to CoseSign1.x5chain', async () => {
    const s = decodeSign1(encode([encode(hdr([1, -7])), hdr([33, chainOf(9)]), null, new Uint8Array(64)]));
    expect(await codeOf(() => s.x5chain)).toBe('COSE_LIMIT');
  });
});
