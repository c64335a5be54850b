/**
 * How a verification record (確認記録, DOMAIN.md §5) is hashed into its chain — the definition
 * `verifyRecordChains` recomputes and anyone can re-implement from this comment:
 *
 *   contentHash = hex( SHA-256( JCS(content) ) )
 *   hash        = hex( SHA-256( JCS({ "v": 1, "type": "mynakit.verification-record",
 *                                    "chainId": chainId, "seq": seq, "prevHash": prevHash,
 *                                    "contentHash": contentHash, "recordedAt": recordedAt }) ) )
 *
 * JCS is the JSON Canonicalization Scheme of RFC 8785 (canonical-json.ts): members sorted by name, no
 * whitespace, ECMAScript number and string forms, UTF-8. `hex` is lower-case. `seq` counts from 1 in each
 * chain; `prevHash` of seq 1 is GENESIS_PREV_HASH (64 zeros); `recordedAt` is epoch milliseconds.
 *
 * The record hash covers the content only through its hash, so a record whose retention ended can lose
 * its personal content (a tombstone keeps `contentHash`) and the chain still verifies end to end — the
 * idea of RFC 9162's Merkle leaves, where a log commits to a hash of the entry, not the entry.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The `prevHash` of the first record of every chain. */
export const GENESIS_PREV_HASH = '0'.repeat(64);

/** The `type` member that separates record hashes from every other hash over JCS text. */
export const RECORD_HASH_TYPE = 'mynakit.verification-record';

/** What the record hash is computed over (see the file comment). */
export interface RecordHashInput {
  readonly chainId: string;
  readonly seq: number;
  readonly prevHash: string;
  readonly contentHash: string;
  readonly recordedAt: number;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** SHA-256 of the canonical content text (RFC 8785), lower-case hex. */
export function contentHashOfCanonical(canonicalContent: string): string {
  return sha256Hex(canonicalContent);
}

/** SHA-256 of the content's canonical encoding, lower-case hex. */
export function contentHashOf(content: unknown): string {
  return sha256Hex(canonicalJson(content));
}

/** The record's hash (see the file comment). */
export function recordHashOf(input: RecordHashInput): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      type: RECORD_HASH_TYPE,
      chainId: input.chainId,
      seq: input.seq,
      prevHash: input.prevHash,
      contentHash: input.contentHash,
      recordedAt: input.recordedAt,
    }),
  );
}
