import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { IssuerError } from '../errors.js';
import {
  IndexPermutation,
  MAX_PERMUTATION_BITS,
  MIN_PERMUTATION_BITS,
} from '../status-lists/index-permutation.js';
import type { IssuerDatabase, StatusListPartitionsTable } from './schema.js';
import { check, checkInstant, PreparedQuery, toDriverBytes } from './store-support.js';

/**
 * Token Status List partitions (draft-ietf-oauth-status-list §4; DOMAIN.md §4): the records are spread over
 * lists of a fixed capacity, each published at `<origin>/status-lists/<partition>`.
 *
 * Capacity: 2^20 = 1,048,576 indexes of 2 bits (VALID / INVALID / SUSPENDED) per partition — 256 KiB
 * uncompressed; with 1 % revoked or suspended spread at random, ~18 KB signed and compressed on the wire
 * (bench/issuer-status.bench.ts). 10^8 records make 96 partitions, ~1.7 MB for all of them. The trade-off: a larger list hides a record among more others (the draft's
 * herd privacy: the issuer learns only which list a relying party fetched) and means fewer lists to sign
 * and cache, but every relying party downloads, and every status change re-signs, the whole list; a
 * smaller one is cheaper per fetch but narrows the herd. 2^20 keeps a fetch well under 100 KB (one round
 * trip's worth on a phone network) with a herd of a million, and re-signing one partition after a
 * revocation takes tens of milliseconds.
 *
 * Allocation is one compare-and-set on the open (newest) partition's `allocated` counter — one statement,
 * `allocated = allocated + 1 WHERE allocated < capacity`, which the database serialises (a row lock on
 * PostgreSQL, the single writer on SQLite); the counter's value (the position) becomes an index through a
 * keyed pseudorandom permutation of the partition's index space (status-lists/index-permutation.ts), so an
 * index reveals nothing about issuance order and distinct positions never collide. A full partition makes
 * the next one, with a fresh random 32-byte permutation key (two instances racing to make it: the primary
 * key lets one win, and both then allocate from it). An allocation whose record is never stored (the
 * signing failed, another device won) leaves its index unused: it stays VALID (0) in the list, a decoy
 * entry as the draft's Unlinkability considerations suggest.
 */

/** Indexes per partition unless the store is opened with another capacity: 2^20. */
export const DEFAULT_STATUS_LIST_CAPACITY = 2 ** 20;

/** Attempts to allocate before giving up (each failed attempt means a partition filled meanwhile). */
const MAX_ALLOCATION_ATTEMPTS = 8;

/** The two statements of every allocation (one per record issued), compiled once (store-support.ts). */
const Q = {
  lastPartition: new PreparedQuery<[], { partition: number }>((db) =>
    db.selectFrom('status_list_partitions').select(['partition']).orderBy('partition', 'desc').limit(1),
  ),
  take: new PreparedQuery<
    [partition: number],
    { allocated: number; capacity: number; permutation_key: Uint8Array }
  >((db, slot) =>
    db
      .updateTable('status_list_partitions')
      .set((eb) => ({ allocated: eb('allocated', '+', 1) }))
      .where('partition', '=', slot(0))
      .whereRef('allocated', '<', 'capacity')
      .returning(['allocated', 'capacity', 'permutation_key']),
  ),
};

/** At most this many partitions are listed (10^8 records need ~96). */
export const MAX_PARTITIONS_LISTED = 10_000;

/** A record's place in the status lists. */
export interface StatusListAllocation {
  /** The partition (the list's number in its URI). */
  readonly partition: number;
  /** The record's index in the list. */
  readonly index: number;
}

/** A partition as the publisher sees it (never its permutation key). */
export interface StatusListPartition {
  partition: number;
  capacity: number;
  allocated: number;
  /** Bumped by every transaction that changes a status in the partition. */
  version: number;
  /** The version the stored token was signed from, or null before the first signing. */
  signedVersion: number | null;
  /** The signed Status List Token (CWT bytes), or null. */
  token: Uint8Array | null;
  etag: string | null;
  signedAt: number | null;
  expiresAt: number | null;
  createdAt: number;
}

/** A freshly signed token to keep with its partition. */
export interface SignedStatusList {
  /** The partition version the statuses were read at (read before the statuses). */
  version: number;
  token: Uint8Array;
  etag: string;
  signedAt: number;
  expiresAt: number;
}

/** One non-VALID entry of a partition: its index and the credential's revocation reason. */
export interface RevokedEntry {
  index: number;
  /** RFC 5280 CRLReason name (`certificateHold` = suspended). */
  reason: string | null;
}

function partitionFromRow(row: Omit<Selectable<StatusListPartitionsTable>, 'permutation_key'>) {
  return {
    partition: Number(row.partition),
    capacity: Number(row.capacity),
    allocated: Number(row.allocated),
    version: Number(row.version),
    signedVersion: row.signed_version === null ? null : Number(row.signed_version),
    token: row.token === null ? null : new Uint8Array(row.token),
    etag: row.etag,
    signedAt: row.signed_at === null ? null : Number(row.signed_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    createdAt: Number(row.created_at),
  } satisfies StatusListPartition;
}

/** Whether `capacity` is a power of two the permutation covers. */
export function isStatusListCapacity(capacity: number): boolean {
  if (!Number.isSafeInteger(capacity)) return false;
  const bits = Math.log2(capacity);
  return Number.isInteger(bits) && bits >= MIN_PERMUTATION_BITS && bits <= MAX_PERMUTATION_BITS;
}

/** Partitions of the Token Status Lists: allocation, the statuses to publish, and the signed token. */
export class StatusListRepository {
  readonly #capacity: number;

  constructor(
    private readonly db: Kysely<IssuerDatabase>,
    options: { capacity?: number } = {},
  ) {
    const capacity = options.capacity ?? DEFAULT_STATUS_LIST_CAPACITY;
    if (!isStatusListCapacity(capacity))
      throw new IssuerError(
        'ISSUER_INVALID_INPUT',
        `the status list capacity must be a power of two in 2^${MIN_PERMUTATION_BITS}..2^${MAX_PERMUTATION_BITS}`,
      );
    this.#capacity = capacity;
  }

  /** The capacity of partitions this store creates. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Reserves the next position of the open partition and answers its (permuted) index. */
  async allocate(now: number): Promise<StatusListAllocation> {
    checkInstant(now, 'now');
    for (let attempt = 0; attempt < MAX_ALLOCATION_ATTEMPTS; attempt++) {
      const open = await Q.lastPartition.first(this.db);
      if (open === undefined) {
        await this.#create(0, now);
        continue;
      }
      const partition = Number(open.partition);
      const taken = await Q.take.first(this.db, partition);
      if (taken === undefined) {
        // Full: the next partition (or someone else made it already).
        await this.#create(partition + 1, now);
        continue;
      }
      const position = Number(taken.allocated) - 1;
      const permutation = permutationOf(new Uint8Array(taken.permutation_key), Number(taken.capacity));
      return { partition, index: permutation.forward(position) };
    }
    // Eight partitions filled during one call: a fault, not a client's error (500).
    throw new Error('no status list position could be allocated');
  }

  /** The partition, or undefined. */
  async get(partition: number): Promise<StatusListPartition | undefined> {
    if (!Number.isSafeInteger(partition) || partition < 0) return undefined;
    const row = await this.db
      .selectFrom('status_list_partitions')
      .select([
        'partition',
        'capacity',
        'allocated',
        'version',
        'signed_version',
        'token',
        'etag',
        'signed_at',
        'expires_at',
        'created_at',
      ])
      .where('partition', '=', partition)
      .executeTakeFirst();
    return row && partitionFromRow(row);
  }

  /** Every partition without its token, in order (at most MAX_PARTITIONS_LISTED). */
  async list(): Promise<Omit<StatusListPartition, 'token'>[]> {
    const rows = await this.db
      .selectFrom('status_list_partitions')
      .select([
        'partition',
        'capacity',
        'allocated',
        'version',
        'signed_version',
        'etag',
        'signed_at',
        'expires_at',
        'created_at',
      ])
      .orderBy('partition')
      .limit(MAX_PARTITIONS_LISTED)
      .execute();
    return rows.map((row) => {
      const { token: _token, ...rest } = partitionFromRow({ ...row, token: null });
      return rest;
    });
  }

  /**
   * The partition's revoked and suspended records (every other index is VALID): at most its capacity.
   * Read after the partition's version (the caller's order), so a token is never labelled with a version
   * newer than its statuses.
   */
  async revokedEntries(partition: number): Promise<RevokedEntry[]> {
    const rows = await this.db
      .selectFrom('credentials')
      .select(['status_list_index', 'revocation_reason'])
      .where('status_list_partition', '=', partition)
      .where('state', '=', 'revoked')
      .execute();
    const out: RevokedEntry[] = [];
    for (const row of rows) {
      if (row.status_list_index === null) continue;
      out.push({ index: Number(row.status_list_index), reason: row.revocation_reason });
    }
    return out;
  }

  /**
   * Keeps a freshly signed token unless a newer one is stored already (compare-and-set on the signed
   * version, then on the signing instant for a refresh of the same version): true when stored.
   */
  async storeSigned(partition: number, signed: SignedStatusList): Promise<boolean> {
    check(Number.isSafeInteger(signed.version) && signed.version >= 0, 'version must be ≥ 0');
    checkInstant(signed.signedAt, 'signedAt');
    checkInstant(signed.expiresAt, 'expiresAt');
    const res = await this.db
      .updateTable('status_list_partitions')
      .set({
        signed_version: signed.version,
        token: toDriverBytes(signed.token),
        etag: signed.etag,
        signed_at: signed.signedAt,
        expires_at: signed.expiresAt,
      })
      .where('partition', '=', partition)
      .where((eb) =>
        eb.or([
          eb('signed_version', 'is', null),
          eb('signed_version', '<', signed.version),
          eb.and([eb('signed_version', '=', signed.version), eb('signed_at', '<', signed.signedAt)]),
        ]),
      )
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async #create(partition: number, now: number): Promise<void> {
    await this.db
      .insertInto('status_list_partitions')
      .values({
        partition,
        capacity: this.#capacity,
        allocated: 0,
        permutation_key: toDriverBytes(randomBytes(32)),
        version: 0,
        signed_version: null,
        token: null,
        etag: null,
        signed_at: null,
        expires_at: null,
        created_at: now,
      })
      .onConflict((oc) => oc.column('partition').doNothing())
      .execute();
  }
}

/** Permutations by key and capacity: a partition's key never changes, so each is built once per process. */
const PERMUTATIONS = new Map<string, IndexPermutation>();

function permutationOf(key: Uint8Array, capacity: number): IndexPermutation {
  const id = `${Buffer.from(key).toString('hex')}:${capacity}`;
  const known = PERMUTATIONS.get(id);
  if (known !== undefined) return known;
  const permutation = new IndexPermutation(key, Math.log2(capacity));
  if (PERMUTATIONS.size < MAX_PARTITIONS_LISTED) PERMUTATIONS.set(id, permutation);
  return permutation;
}
