/**
 * Verifies every chain of verification records and every signed checkpoint (house rule 4: a report, never
 * a throw). Checks, each one per verification whatever the number of chains:
 *
 * - `chain.link`       seqs run 1, 2, 3… with no gap and each `prev_hash` is the previous record's hash;
 * - `chain.content`    a live record's content hashes (RFC 8785, record-hash.ts) to its `content_hash`; a
 *                      record without content is a tombstone (`tombstoned_at` set);
 * - `chain.hash`       each record's hash is recomputed from (chain id, seq, prev hash, content hash, time);
 * - `chain.retention`  no tombstone was made before the record's retention ended or while it was on hold;
 * - `checkpoint.signature` every checkpoint's COSE_Sign1 verifies with the checkpoint key and signs what
 *                      its row says;
 * - `checkpoint.head`  the chain, as recomputed, has the checkpoint's head hash at the checkpoint's seq (a
 *                      rewritten or truncated chain fails here even when every hash was recomputed);
 * - `checkpoint.coverage` (warning only) records after a chain's last checkpoint, not yet signed;
 * - `store.read`       undetermined when the database could not be read.
 *
 * `firstBroken` names the first failing record or checkpoint — by chain id, then seq.
 */
import type { KeyObject } from 'node:crypto';
import { toPublicKeyObject, type KeyInput } from '@mynakit/cose';
import { type Check, type Report, ReportBuilder } from '@mynakit/report';
import type { VerifierStore } from '../store/verifier-store.js';
import { canonicalJson } from './canonical-json.js';
import { type ChainCheckpoint, checkpointProblem, checkpointsOf } from './checkpoints.js';
import { contentHashOfCanonical, GENESIS_PREV_HASH, recordHashOf } from './record-hash.js';

/** Options of verifyRecordChains. */
export interface VerifyRecordChainsOptions {
  /** The public key of the checkpoint signer (ES256, P-256). */
  readonly checkpointPublicKey: KeyInput;
  /** Records read per query (default 500). */
  readonly pageSize?: number;
}

/** Where the first failure is. */
export interface BrokenPoint {
  readonly chainId: string;
  readonly seq: number;
  /** Which check failed, and why (no record content). */
  readonly reason: string;
}

/** The report of verifyRecordChains. */
export interface RecordChainsReport extends Report {
  readonly checks: readonly Check[];
  /** The first failing record or checkpoint (by chain id, then seq); absent when nothing failed. */
  readonly firstBroken?: BrokenPoint;
  /** How many chains, records and checkpoints were read. */
  readonly counts: { readonly chains: number; readonly records: number; readonly checkpoints: number };
}

const RECORD_CHECKS = ['chain.link', 'chain.content', 'chain.hash', 'chain.retention'] as const;
const CHECKPOINT_CHECKS = ['checkpoint.signature', 'checkpoint.head'] as const;
type FailingCheck = (typeof RECORD_CHECKS)[number] | (typeof CHECKPOINT_CHECKS)[number];

/** Per check id: how many failures, and the first. */
class Failures {
  readonly #byCheck = new Map<FailingCheck, { count: number; first: BrokenPoint }>();
  first: BrokenPoint | undefined;

  add(check: FailingCheck, chainId: string, seq: number, reason: string): void {
    const point = { chainId, seq, reason: `${check}: ${reason}` };
    const known = this.#byCheck.get(check);
    if (known === undefined) this.#byCheck.set(check, { count: 1, first: point });
    else known.count++;
    if (
      this.first === undefined ||
      chainId < this.first.chainId ||
      (chainId === this.first.chainId && seq < this.first.seq)
    )
      this.first = point;
  }

  of(check: FailingCheck): { count: number; first: BrokenPoint } | undefined {
    return this.#byCheck.get(check);
  }
}

/** Verifies every chain and checkpoint of the store (see the file comment). */
export async function verifyRecordChains(
  store: VerifierStore,
  options: VerifyRecordChainsOptions,
): Promise<RecordChainsReport> {
  const report = new ReportBuilder();
  const failures = new Failures();
  const counts = { chains: 0, records: 0, checkpoints: 0 };
  let uncovered = 0;
  let uncoveredChains = 0;
  let publicKey: KeyObject;
  try {
    publicKey = toPublicKeyObject(options.checkpointPublicKey);
  } catch {
    report.undetermined('checkpoint.signature', 'the checkpoint public key cannot be used');
    return { ...report.report(), counts };
  }
  const pageSize = options.pageSize ?? 500;
  try {
    const recordChains = await store.db
      .selectFrom('verification_records')
      .select('chain_id')
      .distinct()
      .execute();
    const checkpointChains = await store.db
      .selectFrom('chain_checkpoints')
      .select('chain_id')
      .distinct()
      .execute();
    const ids = [...new Set([...recordChains, ...checkpointChains].map((r) => r.chain_id))].sort();
    counts.chains = ids.length;
    for (const chainId of ids) {
      const checkpoints = await checkpointsOf(store, chainId);
      counts.checkpoints += checkpoints.length;
      const wanted = new Set(checkpoints.map((c) => c.seq));
      const recomputedAt = new Map<number, string>();
      const walked = await walkChain(store, chainId, pageSize, failures, wanted, recomputedAt);
      counts.records += walked.records;
      await checkCheckpoints(checkpoints, publicKey, recomputedAt, walked.lastSeq, failures);
      const lastCovered = checkpoints.at(-1)?.seq ?? 0;
      if (walked.lastSeq > lastCovered) {
        uncovered += walked.lastSeq - lastCovered;
        uncoveredChains++;
      }
    }
  } catch {
    report.undetermined('store.read', 'the records could not be read from the database');
    return { ...report.report(), counts };
  }
  const describe = (check: FailingCheck, passed: string) => {
    const f = failures.of(check);
    if (f === undefined) report.passed(check, passed);
    else
      report.failed(
        check,
        `${f.count} failure(s); first in chain ${f.first.chainId} at seq ${f.first.seq}: ${f.first.reason.slice(check.length + 2)}`,
      );
  };
  const of = `${counts.records} records in ${counts.chains} chains`;
  describe('chain.link', `${of}: seqs contiguous, each linked to its predecessor`);
  describe('chain.content', `${of}: every live content matches its hash`);
  describe('chain.hash', `${of}: every record hash recomputes`);
  describe('chain.retention', `${of}: no record was tombstoned before its retention ended`);
  describe('checkpoint.signature', `${counts.checkpoints} checkpoints: every signature verifies`);
  describe('checkpoint.head', `${counts.checkpoints} checkpoints: every head matches its chain`);
  if (uncovered > 0)
    report.warning(
      'checkpoint.coverage',
      `${uncovered} record(s) in ${uncoveredChains} chain(s) come after the last signed checkpoint`,
    );
  else report.passed('checkpoint.coverage', 'every record is covered by a signed checkpoint');
  const result = report.report();
  return failures.first === undefined
    ? { ...result, counts }
    : { ...result, counts, firstBroken: failures.first };
}

async function walkChain(
  store: VerifierStore,
  chainId: string,
  pageSize: number,
  failures: Failures,
  wanted: ReadonlySet<number>,
  recomputedAt: Map<number, string>,
): Promise<{ records: number; lastSeq: number }> {
  let expectedSeq = 1;
  let prevHash = GENESIS_PREV_HASH;
  let records = 0;
  let after = 0;
  for (;;) {
    const rows = await store.db
      .selectFrom('verification_records')
      .selectAll()
      .where('chain_id', '=', chainId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      records++;
      if (seq !== expectedSeq)
        failures.add(
          'chain.link',
          chainId,
          seq,
          `seq ${seq} where ${expectedSeq} was expected (a record is missing)`,
        );
      else if (row.prev_hash !== prevHash)
        failures.add('chain.link', chainId, seq, 'prev_hash is not the hash of the previous record');
      if (row.content === null) {
        if (row.tombstoned_at === null)
          failures.add(
            'chain.content',
            chainId,
            seq,
            'the content is missing and the record is no tombstone',
          );
      } else {
        let hash: string | undefined;
        try {
          hash = contentHashOfCanonical(canonicalJson(JSON.parse(row.content)));
        } catch {
          hash = undefined;
        }
        if (hash !== row.content_hash)
          failures.add('chain.content', chainId, seq, 'the content does not match its content hash');
      }
      if (row.tombstoned_at !== null) {
        if (Number(row.tombstoned_at) < Number(row.retain_until))
          failures.add('chain.retention', chainId, seq, 'tombstoned before its retention ended');
        else if (Number(row.legal_hold) === 1)
          failures.add('chain.retention', chainId, seq, 'tombstoned while on legal hold');
      }
      const recomputed = recordHashOf({
        chainId,
        seq,
        prevHash: row.prev_hash,
        contentHash: row.content_hash,
        recordedAt: Number(row.recorded_at),
      });
      if (recomputed !== row.hash)
        failures.add('chain.hash', chainId, seq, 'the record hash does not recompute');
      if (wanted.has(seq)) recomputedAt.set(seq, recomputed);
      prevHash = row.hash;
      expectedSeq = seq + 1;
      after = seq;
    }
    if (rows.length < pageSize) break;
  }
  return { records, lastSeq: after };
}

async function checkCheckpoints(
  checkpoints: readonly ChainCheckpoint[],
  publicKey: KeyObject,
  recomputedAt: ReadonlyMap<number, string>,
  lastSeq: number,
  failures: Failures,
): Promise<void> {
  for (const c of checkpoints) {
    const problem = await checkpointProblem(c, publicKey);
    if (problem !== undefined) failures.add('checkpoint.signature', c.chainId, c.seq, problem);
    const recomputed = recomputedAt.get(c.seq);
    if (recomputed === undefined)
      failures.add(
        'checkpoint.head',
        c.chainId,
        c.seq,
        c.seq > lastSeq
          ? 'the chain ends before the checkpoint (truncated)'
          : 'no record at the checkpoint seq',
      );
    else if (recomputed !== c.headHash)
      failures.add('checkpoint.head', c.chainId, c.seq, 'the chain at this seq is not what was signed');
  }
}
