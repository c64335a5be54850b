import fc from 'fast-check';
import { bytesToHex, type CborValue, EncodedCbor, encode, Simple, Tagged } from '../../src/index.js';

export interface ValueArbOptions {
  /** Simple values other than false/true/null/undefined (cborg cannot decode them). */
  readonly simple?: boolean;
  /** Tag-24 EncodedCbor values. */
  readonly encodedCbor?: boolean;
  /** Arrays, maps and tags as map keys. */
  readonly complexKeys?: boolean;
  /** Integers beyond 64 bits (bignum tags 2/3). */
  readonly bignums?: boolean;
  /** Tagged values with arbitrary tag numbers. */
  readonly tags?: boolean;
  readonly maxDepth?: number;
}

const int = fc.oneof(
  fc.integer({ min: -30, max: 30 }),
  fc.integer({ min: -70000, max: 70000 }),
  fc.integer(),
  fc.maxSafeInteger(),
);

/** Arbitrary CborValues built from our model (never RawCbor). */
export function cborValueArb(options: ValueArbOptions = {}): fc.Arbitrary<CborValue> {
  const big = options.bignums
    ? fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n })
    : fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n });
  const leaves: fc.Arbitrary<CborValue>[] = [
    int,
    big,
    fc.double(),
    fc.float().map((f) => f as number),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.uint8Array({ maxLength: 24 }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
  ];
  if (options.simple) {
    leaves.push(
      fc.oneof(fc.integer({ min: 0, max: 19 }), fc.integer({ min: 32, max: 255 })).map((n) => new Simple(n)),
    );
  }
  const leaf = fc.oneof(...leaves);
  const simpleKey = fc.oneof(int, fc.string({ maxLength: 8 }), fc.uint8Array({ maxLength: 4 }));
  const tagNumber = fc
    .oneof(fc.nat(40), fc.nat(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }))
    .filter((t) => t !== 2 && t !== 3 && t !== 24);
  const maxDepth = options.maxDepth ?? 4;

  const { value } = fc.letrec<{
    value: CborValue;
    array: CborValue[];
    map: Map<CborValue, CborValue>;
    tagged: Tagged;
    encoded: EncodedCbor;
  }>((tie) => {
    const containers: fc.Arbitrary<CborValue>[] = [tie('array'), tie('map')];
    if (options.tags !== false) containers.push(tie('tagged'));
    if (options.encodedCbor) containers.push(tie('encoded'));
    const key = options.complexKeys ? tie('value') : simpleKey;
    return {
      value: fc.oneof({ maxDepth, depthIdentifier: 'cbor' }, leaf, ...containers),
      array: fc.array(tie('value'), { maxLength: 5 }),
      map: fc
        .uniqueArray(fc.tuple(key, tie('value')), { maxLength: 5, selector: ([k]) => bytesToHex(encode(k)) })
        .map((entries) => new Map(entries)),
      tagged: fc.tuple(tagNumber, tie('value')).map(([t, v]) => new Tagged(t, v)),
      encoded: tie('value').map((v) => EncodedCbor.of(v)),
    };
  });
  return value;
}
