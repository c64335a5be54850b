/**
 * The Status List byte array and its compression (draft-ietf-oauth-status-list-20 §4.1–4.3), proven
 * against the draft's worked examples and, where available, Python's zlib as an independent inflater.
 *
 * Which compressed bytes are asserted exactly: the draft's examples were produced with zlib 1.2.x at
 * level 9 (Python `zlib.compress(data, 9)`). Node bundles Chromium's zlib fork, whose level-9 output
 * equals the reference for the two small §4.1 examples but differs (same length, other bytes) for the
 * 2^20-entry appendix vectors. So: exact bytes for the small examples; for the long ones,
 * decompress(vector) = expected entries, and our output inflates back (with Python's zlib too).
 */
import { execFileSync } from 'node:child_process';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { decode, encode } from '@mynakit/cbor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  decodeStatusListCbor,
  decodeStatusListJson,
  decompressStatusBytes,
  encodeStatusListCbor,
  encodeStatusListJson,
  type StatusBits,
  StatusList,
  StatusListError,
  statusTypeName,
} from '../src/index.js';
import { hex, type LongExample, loadVector, type SmallExample, toHex } from './vectors.js';

const examples = [
  loadVector<SmallExample>('bits1_example.json'),
  loadVector<SmallExample>('bits2_example.json'),
];
const longs = [
  loadVector<LongExample>('test_vector_1bit_2pow20.json'),
  loadVector<LongExample>('test_vector_2bit_2pow20.json'),
];

function python3Available(): boolean {
  try {
    execFileSync('python3', ['-c', 'import zlib'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const HAS_PYTHON = python3Available();

/** Python's zlib (system zlib 1.2.x, not Node's bundled fork): inflate, or deflate at level 9. */
function pythonZlib(mode: 'inflate' | 'deflate9', input: Uint8Array): Uint8Array {
  const op = mode === 'inflate' ? 'zlib.decompress(d)' : 'zlib.compress(d, 9)';
  const out = execFileSync(
    'python3',
    ['-c', `import sys,zlib; d=sys.stdin.buffer.read(); sys.stdout.buffer.write(${op})`],
    {
      input,
      maxBuffer: 1 << 26,
    },
  );
  return new Uint8Array(out);
}

/** An independent packer written from the §4.1 text (not from the implementation). */
function referencePack(statuses: readonly number[], bits: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((statuses.length * bits) / 8));
  statuses.forEach((s, i) => {
    const bitPos = i * bits;
    out[Math.floor(bitPos / 8)]! |= s << (bitPos % 8);
  });
  return out;
}

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StatusListError);
    expect((error as StatusListError).code).toBe(code);
    return;
  }
  throw new Error(`expected StatusListError ${code}`);
}

describe('draft §4.1 worked examples (bits 1 and 2)', () => {
  for (const ex of examples) {
    describe(`bits=${ex.bits}`, () => {
      it('packs the statuses least-significant-bit first into the printed bytes', () => {
        const list = StatusList.fromStatuses(ex.statuses, ex.bits);
        expect(toHex(list.bytes)).toBe(ex.byteArrayHex);
        expect(toHex(referencePack(ex.statuses, ex.bits))).toBe(ex.byteArrayHex);
        expect(list.size).toBe(ex.statuses.length);
      });

      it('decompresses the printed compressed bytes to the printed byte array and looks up every index', () => {
        const list = StatusList.decompress(hex(ex.compressedHex), ex.bits);
        expect(toHex(list.bytes)).toBe(ex.byteArrayHex);
        ex.statuses.forEach((s, i) => {
          expect(list.get(i)).toBe(s);
        });
      });

      it('compresses to exactly the printed ZLIB bytes (level 9 reproduces the reference here)', () => {
        const list = StatusList.fromStatuses(ex.statuses, ex.bits);
        expect(toHex(list.compress())).toBe(ex.compressedHex);
        expect(encodeStatusListJson(list)).toEqual(ex.statusListJson);
      });

      it('decodes the JSON StatusList (§4.2) and the CBOR StatusList (§4.3)', () => {
        const fromJson = decodeStatusListJson(ex.statusListJson);
        expect(toHex(fromJson.list.bytes)).toBe(ex.byteArrayHex);
        expect(toHex(fromJson.compressed)).toBe(ex.compressedHex);
        const fromCbor = decodeStatusListCbor(decode(hex(ex.statusListCborHex)));
        expect(toHex(fromCbor.list.bytes)).toBe(ex.byteArrayHex);
        expect(fromCbor.list.bits).toBe(ex.bits);
      });

      it('encodes the CBOR StatusList deterministically: the example with its keys in RFC 8949 §4.2.1 order', () => {
        // The draft prints {"bits", "lst"}; bytewise order of the encoded keys puts "lst" (63…) before "bits" (64…).
        const ours = encode(encodeStatusListCbor(StatusList.fromStatuses(ex.statuses, ex.bits)));
        const lstLen = ex.compressedHex.length / 2;
        const lstItem = `63${Buffer.from('lst').toString('hex')}${(0x40 + lstLen).toString(16)}${ex.compressedHex}`;
        const bitsItem = `64${Buffer.from('bits').toString('hex')}0${ex.bits}`;
        expect(ex.statusListCborHex).toBe(`a2${bitsItem}${lstItem}`);
        expect(toHex(ours)).toBe(`a2${lstItem}${bitsItem}`);
      });

      it.runIf(HAS_PYTHON)('Python zlib inflates our compressed bytes to the same byte array', () => {
        const list = StatusList.fromStatuses(ex.statuses, ex.bits);
        expect(toHex(pythonZlib('inflate', list.compress()))).toBe(ex.byteArrayHex);
      });
    });
  }
});

describe('appendix test vectors: 2^20 entries', () => {
  for (const v of longs) {
    describe(`bits=${v.bits}`, () => {
      const compressed = new Uint8Array(Buffer.from(v.lst, 'base64url'));
      const expected = new Map(Object.entries(v.nonZeroStatuses).map(([k, s]) => [Number(k), Number(s)]));

      it('decompresses to 2^20 entries, the listed ones non-zero and every other entry VALID', () => {
        const { list } = decodeStatusListJson({ bits: v.bits, lst: v.lst });
        expect(list.size).toBe(v.size);
        expect(list.bytes.length).toBe((v.size * v.bits) / 8);
        for (const [idx, s] of expected) expect(list.get(idx)).toBe(s);
        let nonZero = 0;
        for (let i = 0; i < list.size; i++) if (list.get(i) !== 0) nonZero++;
        expect(nonZero).toBe(expected.size);
        // The last entry exists and the one after it does not.
        expect(list.get(v.size - 1)).toBe(0);
        expectCode(() => list.get(v.size), 'STATUS_LIST_INDEX');
      });

      it('the CBOR StatusList carries the same lst bytes as the JSON one', () => {
        const fromCbor = decodeStatusListCbor(decode(hex(v.statusListCborHex)));
        expect(toHex(fromCbor.compressed)).toBe(toHex(compressed));
      });

      it('a sparse build gives the same byte array; compress → decompress round-trips', () => {
        const built = StatusList.fromUpdates(v.size, v.bits, expected);
        const given = StatusList.decompress(compressed, v.bits);
        expect(Buffer.from(built.bytes).equals(Buffer.from(given.bytes))).toBe(true);
        const ours = built.compress();
        expect(Buffer.from(StatusList.decompress(ours, v.bits).bytes).equals(Buffer.from(given.bytes))).toBe(
          true,
        );
        // Same zlib level, different DEFLATE encoder: Node's bundled zlib differs from the reference here.
        expect(ours.length).toBeLessThan(compressed.length * 1.25);
      });

      it.runIf(HAS_PYTHON)(
        'reference zlib level 9 reproduces the vector; it inflates our bytes identically',
        () => {
          const given = StatusList.decompress(compressed, v.bits);
          expect(toHex(pythonZlib('deflate9', given.bytes))).toBe(toHex(compressed));
          const ours = StatusList.fromUpdates(v.size, v.bits, expected).compress();
          expect(Buffer.from(pythonZlib('inflate', ours)).equals(Buffer.from(given.bytes))).toBe(true);
        },
      );
    });
  }
});

describe('decompression is bounded and strict', () => {
  it('a zip bomb fails with STATUS_LIST_TOO_LARGE at the caller bound', () => {
    const bomb = deflateSync(new Uint8Array(16 * 1024 * 1024), { level: 9 }); // 16 MiB of zeros → ~16 KB
    expect(bomb.length).toBeLessThan(20_000);
    expectCode(() => StatusList.decompress(bomb, 1, { maxBytes: 1024 * 1024 }), 'STATUS_LIST_TOO_LARGE');
    expectCode(
      () => decodeStatusListJson({ bits: 1, lst: bomb.toString('base64url') }, { maxBytes: 4096 }),
      'STATUS_LIST_TOO_LARGE',
    );
  });

  it('the default bound is 2^27 bytes: one byte more fails, exactly the bound passes', () => {
    expect(DEFAULT_MAX_DECOMPRESSED_BYTES).toBe(2 ** 27);
    const over = deflateSync(new Uint8Array(2 ** 27 + 1), { level: 1 });
    expectCode(() => decompressStatusBytes(over), 'STATUS_LIST_TOO_LARGE');
    const exact = deflateSync(new Uint8Array(4096), { level: 9 });
    expect(decompressStatusBytes(exact, { maxBytes: 4096 }).length).toBe(4096);
    expectCode(() => decompressStatusBytes(exact, { maxBytes: 4095 }), 'STATUS_LIST_TOO_LARGE');
  });

  it('a tampered lst fails with STATUS_LIST_DECOMPRESS (bad check value, truncation, trailing bytes)', () => {
    const good = hex(examples[0]!.compressedHex);
    for (let i = 2; i < good.length; i++) {
      const bad = good.slice();
      bad[i]! ^= 0x01;
      // Every single-bit flip in the DEFLATE data or the Adler-32 trailer must be caught.
      expectCode(() => StatusList.decompress(bad, 1), 'STATUS_LIST_DECOMPRESS');
    }
    expectCode(() => StatusList.decompress(good.subarray(0, good.length - 1), 1), 'STATUS_LIST_DECOMPRESS');
    expectCode(() => StatusList.decompress(new Uint8Array([...good, 0]), 1), 'STATUS_LIST_DECOMPRESS');
    expectCode(() => StatusList.decompress(new Uint8Array(0), 1), 'STATUS_LIST_DECOMPRESS');
  });

  it('gzip and raw DEFLATE are not the ZLIB format', () => {
    const bytes = hex('b9a3');
    expectCode(() => StatusList.decompress(gzipSync(bytes), 1), 'STATUS_LIST_DECOMPRESS');
    expectCode(() => StatusList.decompress(deflateRawSync(bytes), 1), 'STATUS_LIST_DECOMPRESS');
  });
});

describe('malformed StatusList objects', () => {
  it('JSON: bad bits, missing lst, non-base64url lst, non-object', () => {
    expectCode(() => decodeStatusListJson({ bits: 3, lst: 'eNrbuRgAAhcBXQ' }), 'STATUS_LIST_DECODE');
    expectCode(() => decodeStatusListJson({ bits: 1 }), 'STATUS_LIST_DECODE');
    expectCode(() => decodeStatusListJson({ bits: 1, lst: 'eNrbuRgAAhcBXQ+/' }), 'STATUS_LIST_DECODE');
    expectCode(() => decodeStatusListJson({ bits: 1, lst: 'eNrb uRgAAhcBXQ' }), 'STATUS_LIST_DECODE');
    expectCode(() => decodeStatusListJson([1, 'x']), 'STATUS_LIST_DECODE');
    expectCode(
      () => decodeStatusListJson({ bits: 1, lst: 'eNrbuRgAAhcBXQ', aggregation_uri: 5 }),
      'STATUS_LIST_DECODE',
    );
  });

  it('JSON: padding on lst is tolerated; aggregation_uri is returned', () => {
    const r = decodeStatusListJson({
      bits: 1,
      lst: 'eNrbuRgAAhcBXQ==',
      aggregation_uri: 'https://example.com/agg',
    });
    expect(toHex(r.list.bytes)).toBe('b9a3');
    expect(r.aggregationUri).toBe('https://example.com/agg');
  });

  it('CBOR: lst as text, bits as text, not a map', () => {
    expectCode(
      () =>
        decodeStatusListCbor(
          new Map<string, unknown>([
            ['bits', 1],
            ['lst', 'eNrb'],
          ]) as never,
        ),
      'STATUS_LIST_DECODE',
    );
    expectCode(
      () =>
        decodeStatusListCbor(
          new Map<string, unknown>([
            ['bits', '1'],
            ['lst', hex('78dadbb918000217015d')],
          ]) as never,
        ),
      'STATUS_LIST_DECODE',
    );
    expectCode(() => decodeStatusListCbor([1] as never), 'STATUS_LIST_DECODE');
  });
});

describe('StatusList API errors', () => {
  it('rejects bit sizes other than 1, 2, 4, 8', () => {
    for (const bits of [0, 3, 5, 16])
      expectCode(() => StatusList.create(8, bits as StatusBits), 'STATUS_LIST_BITS');
  });
  it('rejects out-of-range indices and statuses that do not fit', () => {
    const list = StatusList.create(10, 2); // rounds up to 12 entries (3 bytes)
    expect(list.size).toBe(12);
    expectCode(() => list.get(12), 'STATUS_LIST_INDEX');
    expectCode(() => list.get(-1), 'STATUS_LIST_INDEX');
    expectCode(() => list.get(1.5), 'STATUS_LIST_INDEX');
    expectCode(() => list.set(0, 4), 'STATUS_LIST_VALUE');
    expectCode(() => list.set(0, -1), 'STATUS_LIST_VALUE');
    expectCode(() => StatusList.create(-1, 1), 'STATUS_LIST_SIZE');
  });
  it('names the status types of §7.1', () => {
    expect([0, 1, 2, 3, 0x0c, 0x0f, 4, 0x10].map(statusTypeName)).toEqual([
      'VALID',
      'INVALID',
      'SUSPENDED',
      'APPLICATION_SPECIFIC',
      'APPLICATION_SPECIFIC',
      'APPLICATION_SPECIFIC',
      'UNASSIGNED',
      'UNASSIGNED',
    ]);
  });
});

describe('properties (fast-check)', () => {
  const bitSizes: StatusBits[] = [1, 2, 4, 8];
  for (const bits of bitSizes) {
    const status = fc.integer({ min: 0, max: 2 ** bits - 1 });

    it(`bits=${bits}: fromStatuses matches the independent packer and get returns every status`, () => {
      fc.assert(
        fc.property(fc.array(status, { maxLength: 300 }), (statuses) => {
          const list = StatusList.fromStatuses(statuses, bits);
          expect(toHex(list.bytes)).toBe(toHex(referencePack(statuses, bits)));
          statuses.forEach((s, i) => {
            expect(list.get(i)).toBe(s);
          });
          for (let i = statuses.length; i < list.size; i++) expect(list.get(i)).toBe(0);
        }),
      );
    });

    it(`bits=${bits}: set/get agree with a plain array model under random updates`, () => {
      fc.assert(
        fc.property(
          fc
            .integer({ min: 1, max: 200 })
            .chain((size) =>
              fc.tuple(
                fc.constant(size),
                fc.array(fc.tuple(fc.integer({ min: 0, max: size - 1 }), status), { maxLength: 400 }),
              ),
            ),
          ([size, updates]) => {
            const list = StatusList.create(size, bits);
            const model = new Array<number>(list.size).fill(0);
            for (const [i, s] of updates) {
              list.set(i, s);
              model[i] = s;
            }
            model.forEach((s, i) => {
              expect(list.get(i)).toBe(s);
            });
            const back = StatusList.decompress(list.compress(), bits);
            expect(toHex(back.bytes)).toBe(toHex(list.bytes));
          },
        ),
      );
    });
  }

  it('arbitrary bytes given as lst never crash: a StatusList or a StatusListError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          StatusList.decompress(bytes, 1, { maxBytes: 1 << 16 });
        } catch (error) {
          expect(error).toBeInstanceOf(StatusListError);
        }
      }),
    );
  });
});
