/**
 * Signed checkpoints of chain heads — the idea of RFC 9162's signed tree head (§4.10): a signature over
 * (chain id, seq, head hash, time) commits the verifier to everything up to that record. Whoever keeps a
 * checkpoint can later show that the chain was rewritten, truncated, or recomputed after the fact — even by
 * someone who could recompute every hash in the database, since they cannot sign.
 *
 * A checkpoint is a COSE_Sign1 (RFC 9052 §4.2) with ES256 (RFC 9053 §2.1), protected header
 * `{1 (alg): -7, 3 (content type): "application/json"}`, and an attached payload — the RFC 8785 canonical
 * JSON of
 *
 *   { "type": "mynakit.record-checkpoint", "v": 1, "chainId": …, "seq": …, "headHash": …, "at": … }
 *
 * (`at` epoch ms). It is stored with the chain id, seq and head hash in `chain_checkpoints`.
 */
import { type CoseSigner, decodeSign1, signSign1, verifySign1 } from '@mynakit/cose';
import { type KeyObject, sign } from 'node:crypto';
import { checkInstant, fromDriverBytes, toDriverBytes } from '../store/store-support.js';
import type { VerifierStore } from '../store/verifier-store.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { chainHead } from './record-chains.js';

/** The `type` member of a checkpoint payload. */
export const CHECKPOINT_TYPE = 'mynakit.record-checkpoint';

/** COSE header labels and values used (RFC 9052 §3.1; RFC 9053 §2.1 ES256 = -7). */
const ALG = 1;
const CONTENT_TYPE = 3;
const ES256 = -7;

/** What a checkpoint commits to. */
export interface CheckpointPayload {
  readonly chainId: string;
  readonly seq: number;
  readonly headHash: string;
  readonly at: number;
}

/** A stored checkpoint. */
export interface ChainCheckpoint extends CheckpointPayload {
  /** The COSE_Sign1 bytes. */
  readonly signed: Uint8Array;
}

/** The payload bytes of a checkpoint (see the file comment). */
export function checkpointPayloadBytes(p: CheckpointPayload): Uint8Array {
  return canonicalJsonBytes({
    type: CHECKPOINT_TYPE,
    v: 1,
    chainId: p.chainId,
    seq: p.seq,
    headHash: p.headHash,
    at: p.at,
  });
}

/** A CoseSigner (ES256) over a P-256 private key held in this process. */
export function es256Signer(privateKey: KeyObject): CoseSigner {
  return {
    algorithm: 'ES256',
    // COSE wants r ‖ s (RFC 9053 §2.1), which node:crypto calls ieee-p1363.
    sign: async (toBeSigned) =>
      new Uint8Array(sign('sha256', toBeSigned, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
  };
}

/** Every chain id that holds records, sorted. */
export async function chainIds(store: VerifierStore): Promise<string[]> {
  const rows = await store.db.selectFrom('verification_records').select('chain_id').distinct().execute();
  return rows.map((r) => r.chain_id).sort();
}

/**
 * Signs a checkpoint of every chain whose head moved since its last checkpoint (ES256 with `signer`).
 * Safe to run from several instances at once: the checkpoint's key is (chain id, seq) and a duplicate is
 * dropped. Returns the checkpoints it wrote.
 */
export async function signCheckpoints(
  store: VerifierStore,
  signer: CoseSigner,
  now: number,
): Promise<ChainCheckpoint[]> {
  checkInstant(now, 'now');
  const written: ChainCheckpoint[] = [];
  for (const chainId of await chainIds(store)) {
    const head = await chainHead(store.db, chainId);
    if (head === undefined) continue;
    const last = await store.db
      .selectFrom('chain_checkpoints')
      .select('seq')
      .where('chain_id', '=', chainId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last !== undefined && Number(last.seq) >= head.seq) continue;
    const payload: CheckpointPayload = { chainId, seq: head.seq, headHash: head.hash, at: now };
    const sign1 = await signSign1({
      protectedHeaders: new Map<number, number | string>([
        [ALG, ES256],
        [CONTENT_TYPE, 'application/json'],
      ]),
      payload: checkpointPayloadBytes(payload),
      signer,
    });
    const signed = sign1.encode();
    const r = await store.db
      .insertInto('chain_checkpoints')
      .values({
        chain_id: chainId,
        seq: head.seq,
        head_hash: head.hash,
        signed: toDriverBytes(signed),
        at: now,
      })
      .onConflict((oc) => oc.columns(['chain_id', 'seq']).doNothing())
      .executeTakeFirst();
    if ((r.numInsertedOrUpdatedRows ?? 0n) > 0n) written.push({ ...payload, signed });
  }
  return written;
}

/** Every checkpoint of a chain, oldest first. */
export async function checkpointsOf(store: VerifierStore, chainId: string): Promise<ChainCheckpoint[]> {
  const rows = await store.db
    .selectFrom('chain_checkpoints')
    .selectAll()
    .where('chain_id', '=', chainId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    chainId: r.chain_id,
    seq: Number(r.seq),
    headHash: r.head_hash,
    at: Number(r.at),
    signed: fromDriverBytes(r.signed),
  }));
}

/**
 * Whether a checkpoint's COSE_Sign1 verifies with `publicKey` and its payload is exactly what the row says.
 * A reason when it does not; never throws.
 */
export async function checkpointProblem(
  checkpoint: ChainCheckpoint,
  publicKey: KeyObject,
): Promise<string | undefined> {
  try {
    const sign1 = decodeSign1(checkpoint.signed);
    if (sign1.alg !== ES256) return 'the checkpoint is not signed with ES256';
    if (!(await verifySign1(sign1, { key: publicKey }))) return 'the checkpoint signature does not verify';
    const expected = checkpointPayloadBytes(checkpoint);
    const payload = sign1.payload;
    if (payload === null || Buffer.compare(Buffer.from(payload), Buffer.from(expected)) !== 0)
      return 'the signed checkpoint names another chain, seq, head hash or time than its row';
    return undefined;
  } catch (e) {
    return `the checkpoint cannot be read (${(e as { code?: string }).code ?? 'malformed'})`;
  }
}
