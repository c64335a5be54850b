/**
 * Status list at national scale: 10^8 one-bit entries (≈ every My Number Card) with 1 % INVALID at
 * random positions (fixed seed, so every run builds the same list and compresses to the same size).
 *
 * Figures:
 *   status_list.build_1e8.seconds           allocate + set 10^6 random entries + ZLIB level 9 (the
 *                                           draft's recommended highest level; the library default)
 *   status_list.build_1e8.compressed_bytes  size of `lst` (the raw array is 12.5 MB)
 *   status_list.build_1e8_rle.seconds       the same list compressed with `strategy: 'rle'`
 *   status_list.build_1e8_rle.compressed_bytes
 *   status_list.decompress_1e8.seconds      inflate the 1e8-entry list (bounded decompression)
 *   status_list.lookup.per_second           random-index `get` on the decompressed list
 */
import { Buffer } from 'node:buffer';
import { pathToFileURL } from 'node:url';
import { StatusList, StatusType } from '@mynakit/status-list';
import type { BenchFigure } from './figure.js';

const ENTRIES = 100_000_000;
const INVALID_FRACTION = 0.01;
const SEED = 0x5eed_2026;
const LOOKUPS = 20_000_000;

/** xorshift32: small, fast, deterministic; quality is ample for picking positions. */
function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const seconds = (startMs: number): number => (performance.now() - startMs) / 1000;

export async function runStatusListBench(): Promise<BenchFigure[]> {
  const invalidCount = Math.round(ENTRIES * INVALID_FRACTION);

  // Build: distinct random positions, so exactly 1 % of the entries are INVALID.
  const buildStart = performance.now();
  const list = StatusList.create(ENTRIES, 1);
  const next = xorshift32(SEED);
  let marked = 0;
  while (marked < invalidCount) {
    const idx = next() % ENTRIES;
    if (list.get(idx) === StatusType.VALID) {
      list.set(idx, StatusType.INVALID);
      marked++;
    }
  }
  const setSeconds = seconds(buildStart);
  const compressStart = performance.now();
  const compressed = list.compress();
  const buildSeconds = seconds(compressStart) + setSeconds;
  const rleStart = performance.now();
  const compressedRle = list.compress({ strategy: 'rle' });
  const buildRleSeconds = seconds(rleStart) + setSeconds;

  const inflateStart = performance.now();
  const decoded = StatusList.decompress(compressed, 1);
  const inflateSeconds = seconds(inflateStart);
  if (decoded.size !== list.size) throw new Error('decompressed list has the wrong size');
  const decodedRle = StatusList.decompress(compressedRle, 1);
  if (Buffer.compare(decodedRle.bytes, decoded.bytes) !== 0) throw new Error('rle and default lists differ');

  // Lookups: indices drawn up front so the timed loop measures `get` alone.
  const indices = new Uint32Array(1 << 20);
  const pick = xorshift32(SEED ^ 0xa5a5a5a5);
  for (let i = 0; i < indices.length; i++) indices[i] = pick() % ENTRIES;
  const mask = indices.length - 1;
  let invalidSeen = 0;
  const lookupStart = performance.now();
  for (let i = 0; i < LOOKUPS; i++) invalidSeen += decoded.get(indices[i & mask] as number);
  const lookupSeconds = seconds(lookupStart);
  // About 1 % of random lookups land on INVALID entries; anything else means the lookups were wrong.
  const seenFraction = invalidSeen / LOOKUPS;
  if (seenFraction < 0.005 || seenFraction > 0.015)
    throw new Error(`unexpected INVALID fraction ${seenFraction}`);

  return [
    { name: 'status_list.build_1e8.seconds', value: round(buildSeconds, 3), unit: 's' },
    { name: 'status_list.build_1e8.compressed_bytes', value: compressed.length, unit: 'bytes' },
    { name: 'status_list.build_1e8_rle.seconds', value: round(buildRleSeconds, 3), unit: 's' },
    { name: 'status_list.build_1e8_rle.compressed_bytes', value: compressedRle.length, unit: 'bytes' },
    { name: 'status_list.decompress_1e8.seconds', value: round(inflateSeconds, 3), unit: 's' },
    { name: 'status_list.lookup.per_second', value: Math.round(LOOKUPS / lookupSeconds), unit: 'lookups/s' },
  ];
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await runStatusListBench();
  console.log(JSON.stringify(figures, null, 2));
}
