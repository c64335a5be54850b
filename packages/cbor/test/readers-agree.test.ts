/**
 * Fuzz: every reader of received CBOR — decode, LeanReader.value, LeanReader.skip, diagnose — accepts
 * and rejects the same inputs, with the same error code, and throws nothing but CborError. (Seeded and
 * bounded: the same runs every time.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, CborError, type CborValue, decode, diagnose, encode, LeanReader } from '../src/index.js';
import { cborValueArb } from './helpers/arbitrary.js';
import { seeded, wideEncode } from './helpers/wide-encoder.js';

type Outcome = { ok: true; hex: string } | { ok: false; code: string };

function outcome(f: () => CborValue | undefined): Outcome {
  try {
    const v = f();
    return { ok: true, hex: v === undefined ? '' : bytesToHex(encode(v)) };
  } catch (e) {
    if (!(e instanceof CborError)) throw e;
    return { ok: false, code: e.code };
  }
}

function expectAgreement(bytes: Uint8Array): void {
  const byDecode = outcome(() => decode(bytes));
  const byLean = outcome(() => {
    const r = new LeanReader(bytes);
    const v = r.value();
    r.expectEnd();
    return v;
  });
  expect(byLean).toEqual(byDecode);
  const bySkip = outcome(() => {
    const r = new LeanReader(bytes);
    r.skip();
    r.expectEnd();
    return undefined;
  });
  expect(bySkip).toEqual(byDecode.ok ? { ok: true, hex: '' } : byDecode);
  const byDiagnose = outcome(() => {
    diagnose(bytes, { expandByteStrings: true });
    return undefined;
  });
  // diagnose shows duplicate keys and tag numbers above 2^53 as received; otherwise it agrees.
  if (!(!byDecode.ok && (byDecode.code === 'CBOR_DUPLICATE_KEY' || byDecode.code === 'CBOR_UNSUPPORTED'))) {
    expect(byDiagnose).toEqual(byDecode.ok ? { ok: true, hex: '' } : byDecode);
  }
}

const values = cborValueArb({ simple: true, encodedCbor: true, complexKeys: true, bignums: true });

describe('fuzz: decode, LeanReader and diagnose agree', () => {
  it('on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), expectAgreement), { numRuns: 3000, seed: 1830 });
  });

  it('on valid encodings with any heads, and on those encodings mutated or cut', () => {
    fc.assert(
      fc.property(
        values,
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (v, seed, at, xor) => {
          const { bytes } = wideEncode(v, seeded(seed));
          expectAgreement(bytes);
          const mutated = new Uint8Array(bytes);
          const i = at % mutated.length;
          mutated[i] = (mutated[i] as number) ^ xor;
          expectAgreement(mutated);
          expectAgreement(bytes.subarray(0, at % bytes.length));
        },
      ),
      { numRuns: 1000, seed: 2022 },
    );
  });
});
