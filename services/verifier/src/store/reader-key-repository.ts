/**
 * Relying parties' reader-authentication keys in the verifier's database, shared by every instance
 * (ARCHITECTURE.md rule 7). The private key is stored only sealed (relying-parties/reader-key.ts seals and
 * opens it); this repository never sees it in the clear. At most one pending and one active key per relying
 * party (a unique index): a new pending key replaces the old pending one; activating a pending key deletes
 * the active key it replaces, in one transaction.
 */
import { reusableQuery } from '@mynakit/db';
import type { Kysely } from 'kysely';
import type { ReaderKeyTable, VerifierDatabase } from './schema.js';
import { checkInstant, fromDriverBytes, toDriverBytes } from './store-support.js';

/** A reader key as stored. */
export interface StoredReaderKey {
  readonly id: string;
  readonly relyingPartyId: string;
  readonly state: ReaderKeyTable['state'];
  /** SubjectPublicKeyInfo DER. */
  readonly publicKey: Uint8Array;
  /** The sealed private key (relying-parties/reader-key.ts form). */
  readonly sealedPrivateKey: Uint8Array;
  /** DER certificates, the reader certificate first; empty while pending. */
  readonly certificateChain: readonly Uint8Array[];
  readonly createdAt: number;
  readonly activatedAt: number | null;
}

/** Most certificates kept in one chain (a reader certificate and its CAs). */
export const MAX_READER_CHAIN = 5;

function toKey(row: ReaderKeyTable): StoredReaderKey {
  const chain =
    row.certificate_chain === null
      ? []
      : (JSON.parse(row.certificate_chain) as string[])
          .slice(0, MAX_READER_CHAIN)
          .map((b) => new Uint8Array(Buffer.from(b, 'base64')));
  return {
    id: row.id,
    relyingPartyId: row.relying_party_id,
    state: row.state,
    publicKey: fromDriverBytes(row.public_key),
    sealedPrivateKey: fromDriverBytes(row.sealed_private_key),
    certificateChain: chain,
    createdAt: Number(row.created_at),
    activatedAt: row.activated_at === null ? null : Number(row.activated_at),
  };
}

// Read for every session a relying party opens: built and compiled once (@mynakit/db reusableQuery).
const READER_KEY_IN_STATE = reusableQuery(
  (db: Kysely<VerifierDatabase>, relyingPartyId: string, state: ReaderKeyTable['state']) =>
    db
      .selectFrom('reader_keys')
      .selectAll()
      .where('relying_party_id', '=', relyingPartyId)
      .where('state', '=', state),
);

/** The reader_keys table (see the file comment). */
export class ReaderKeyRepository {
  readonly #db: Kysely<VerifierDatabase>;

  /** @param db the database, or a transaction */
  constructor(db: Kysely<VerifierDatabase>) {
    this.#db = db;
  }

  /** Stores a new pending key of the relying party, replacing its previous pending key. */
  async putPending(key: {
    readonly id: string;
    readonly relyingPartyId: string;
    readonly publicKey: Uint8Array;
    readonly sealedPrivateKey: Uint8Array;
    readonly createdAt: number;
  }): Promise<void> {
    checkInstant(key.createdAt, 'createdAt');
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('reader_keys')
        .where('relying_party_id', '=', key.relyingPartyId)
        .where('state', '=', 'pending')
        .execute();
      await trx
        .insertInto('reader_keys')
        .values({
          id: key.id,
          relying_party_id: key.relyingPartyId,
          state: 'pending',
          public_key: toDriverBytes(key.publicKey),
          sealed_private_key: toDriverBytes(key.sealedPrivateKey),
          certificate_chain: null,
          created_at: key.createdAt,
          activated_at: null,
        })
        .execute();
    });
  }

  /** The relying party's key in `state`, or undefined. */
  async get(relyingPartyId: string, state: ReaderKeyTable['state']): Promise<StoredReaderKey | undefined> {
    const [row] = (await READER_KEY_IN_STATE(this.#db, relyingPartyId, state)).rows;
    return row === undefined ? undefined : toKey(row);
  }

  /**
   * Makes pending key `keyId` the active one with its certificate chain, deleting the active key it
   * replaces. False when that key is no longer pending (replaced or activated meanwhile).
   */
  async activate(
    relyingPartyId: string,
    keyId: string,
    certificateChain: readonly Uint8Array[],
    now: number,
  ): Promise<boolean> {
    checkInstant(now, 'now');
    return this.#db.transaction().execute(async (trx) => {
      const pending = await trx
        .selectFrom('reader_keys')
        .select('id')
        .where('id', '=', keyId)
        .where('relying_party_id', '=', relyingPartyId)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      if (pending === undefined) return false;
      await trx
        .deleteFrom('reader_keys')
        .where('relying_party_id', '=', relyingPartyId)
        .where('state', '=', 'active')
        .execute();
      const r = await trx
        .updateTable('reader_keys')
        .set({
          state: 'active',
          activated_at: now,
          certificate_chain: JSON.stringify(
            certificateChain.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString('base64')),
          ),
        })
        .where('id', '=', keyId)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    });
  }
}
