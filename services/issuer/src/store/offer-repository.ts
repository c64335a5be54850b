import { isUniqueViolation } from '@mynakit/db';
import type { Kysely, Selectable } from 'kysely';
import { IssuerError } from '../errors.js';
import type { IssuerDatabase, Oid4vciOffersTable } from './schema.js';
import { check, checkInstant, PreparedQuery, sha256Hex } from './store-support.js';
import { createTxCodeVerifier, verifyTxCode } from './tx-code-verifier.js';

/** A credential offer to store for an installation (OpenID4VCI 1.0 §4.1.1, pre-authorized code grant). */
export interface NewOffer {
  /** The pre-authorized code as handed to the wallet; only its SHA-256 is stored. */
  preAuthorizedCode: string;
  installationId: string;
  /** The tx_code the holder must type, when the offer has one; only a verifier is stored (tx-code-verifier.ts). */
  txCode?: string;
  expiresAt: number;
}

/**
 * The answer of a token request's pre-authorized code: redeemed once (with the installation it is for), or
 * why not. The token endpoint answers `invalid_grant` (RFC 6749 §5.2) for a bad code or a wrong tx_code,
 * `invalid_request` (OpenID4VCI 1.0 §6.3) for a tx_code missing where the offer has one or sent where it
 * has none.
 */
export type RedeemResult =
  | { outcome: 'redeemed'; installationId: string }
  | { outcome: 'unknown' }
  | { outcome: 'expired' }
  | { outcome: 'used' }
  /** The tx_code attempt limit is reached: the code is dead. */
  | { outcome: 'locked' }
  /** A wrong tx_code, or none for an offer that has one (then no attempt is spent). */
  | { outcome: 'invalid_tx_code'; attemptsLeft: number }
  /**
   * A tx_code sent for an offer that has none (OpenID4VCI 1.0 §6.3 `invalid_request`: "does not expect a
   * Transaction Code … but the Client provides" one). The code is not spent.
   */
  | { outcome: 'tx_code_unexpected' };

/** tx_code attempts allowed per offer before the code is dead. */
export const DEFAULT_TX_CODE_ATTEMPT_LIMIT = 5;
const MAX_SECRET_CHARS = 512;

const Q = {
  installationExists: new PreparedQuery<[string], { id: string }>((db, slot) =>
    db.selectFrom('installations').select('id').where('id', '=', slot(0)),
  ),
  insert: new PreparedQuery<
    [hash: string, installationId: string, verifier: string | null, expiresAt: number, createdAt: number],
    never
  >((db, slot) =>
    db.insertInto('oid4vci_offers').values({
      pre_authorized_code_hash: slot(0),
      installation_id: slot(1),
      tx_code_verifier: slot(2),
      expires_at: slot(3),
      failed_attempts: 0,
      used_at: null,
      created_at: slot(4),
    }),
  ),
  byHash: new PreparedQuery<[string], Selectable<Oid4vciOffersTable>>((db, slot) =>
    db.selectFrom('oid4vci_offers').selectAll().where('pre_authorized_code_hash', '=', slot(0)),
  ),
  /** Reserves one tx_code attempt, only while below the limit. */
  reserve: new PreparedQuery<[hash: string, now: number, limit: number], { failed_attempts: number }>(
    (db, slot) =>
      db
        .updateTable('oid4vci_offers')
        .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
        .where('pre_authorized_code_hash', '=', slot(0))
        .where('used_at', 'is', null)
        .where('expires_at', '>', slot(1))
        .where('failed_attempts', '<', slot(2))
        .returning('failed_attempts'),
  ),
  consume: new PreparedQuery<[now: number, hash: string], { installation_id: string }>((db, slot) =>
    db
      .updateTable('oid4vci_offers')
      .set({ used_at: slot(0) })
      .where('pre_authorized_code_hash', '=', slot(1))
      .where('used_at', 'is', null)
      .where('expires_at', '>', slot(0))
      .returning('installation_id'),
  ),
  /** The single use, giving the reserved attempt of a right tx_code back. */
  consumeGivingBack: new PreparedQuery<[now: number, hash: string], { installation_id: string }>((db, slot) =>
    db
      .updateTable('oid4vci_offers')
      .set((eb) => ({ used_at: slot(0), failed_attempts: eb('failed_attempts', '-', 1) }))
      .where('pre_authorized_code_hash', '=', slot(1))
      .where('used_at', 'is', null)
      .where('expires_at', '>', slot(0))
      .returning('installation_id'),
  ),
};

/**
 * OpenID4VCI credential offers: pre-authorized codes stored only as SHA-256, tx_codes only as verifiers,
 * single use by compare-and-set (UPDATE … WHERE used_at IS NULL), and tx_code attempts limited atomically.
 * An attempt is *reserved* (failed_attempts + 1, only while below the limit) before the tx_code is checked,
 * and given back when it was right — so even many concurrent guesses get at most `attemptLimit` checks.
 */
export class OfferRepository {
  private readonly attemptLimit: number;

  constructor(
    private readonly db: Kysely<IssuerDatabase>,
    options: { attemptLimit?: number } = {},
  ) {
    this.attemptLimit = options.attemptLimit ?? DEFAULT_TX_CODE_ATTEMPT_LIMIT;
    check(Number.isInteger(this.attemptLimit) && this.attemptLimit >= 1, 'attemptLimit must be ≥ 1');
  }

  /** Stores an offer. ISSUER_DUPLICATE when the code was issued before; ISSUER_NOT_FOUND for an unknown installation. */
  async create(input: NewOffer, now: number): Promise<void> {
    checkInstant(now, 'now');
    checkInstant(input.expiresAt, 'expiresAt');
    check(
      typeof input.preAuthorizedCode === 'string' &&
        input.preAuthorizedCode.length >= 16 &&
        input.preAuthorizedCode.length <= MAX_SECRET_CHARS,
      'preAuthorizedCode must be 16..512 characters',
    );
    if (input.txCode !== undefined) {
      check(/^[\x21-\x7e]{1,64}$/.test(input.txCode), 'txCode must be 1..64 printable ASCII characters');
    }
    const installation = await Q.installationExists.first(this.db, input.installationId);
    if (!installation) throw new IssuerError('ISSUER_NOT_FOUND', 'no such installation');
    const verifier =
      input.txCode === undefined ? null : createTxCodeVerifier(input.txCode, input.preAuthorizedCode);
    try {
      await Q.insert.run(
        this.db,
        sha256Hex(input.preAuthorizedCode),
        input.installationId,
        verifier,
        input.expiresAt,
        now,
      );
    } catch (e) {
      if (isUniqueViolation(e))
        throw new IssuerError('ISSUER_DUPLICATE', 'this code was issued before', { cause: e });
      throw e;
    }
  }

  /**
   * Redeems a pre-authorized code (with its tx_code when the offer has one) exactly once. A missing tx_code
   * for an offer that needs one is `invalid_tx_code` without spending an attempt (it is no guess); a tx_code
   * for an offer that has none is `tx_code_unexpected`, and the code stays unspent.
   */
  async redeem(input: { preAuthorizedCode: string; txCode?: string; now: number }): Promise<RedeemResult> {
    const { now } = input;
    checkInstant(now, 'now');
    if (typeof input.preAuthorizedCode !== 'string' || input.preAuthorizedCode.length > MAX_SECRET_CHARS) {
      return { outcome: 'unknown' };
    }
    const hash = sha256Hex(input.preAuthorizedCode);
    const row = await Q.byHash.first(this.db, hash);
    if (!row) return { outcome: 'unknown' };
    if (row.used_at !== null) return { outcome: 'used' };
    if (Number(row.expires_at) <= now) return { outcome: 'expired' };

    if (row.tx_code_verifier === null) {
      return input.txCode === undefined ? this.consume(hash, now, false) : { outcome: 'tx_code_unexpected' };
    }

    if (row.failed_attempts >= this.attemptLimit) return { outcome: 'locked' };
    if (typeof input.txCode !== 'string' || input.txCode.length === 0 || input.txCode.length > 64) {
      return { outcome: 'invalid_tx_code', attemptsLeft: this.attemptLimit - row.failed_attempts };
    }
    const reserved = await Q.reserve.first(this.db, hash, now, this.attemptLimit);
    if (!reserved) return this.explain(hash, now);
    if (!(await verifyTxCode(input.txCode, input.preAuthorizedCode, row.tx_code_verifier))) {
      return {
        outcome: 'invalid_tx_code',
        attemptsLeft: this.attemptLimit - Number(reserved.failed_attempts),
      };
    }
    return this.consume(hash, now, true);
  }

  /** Deletes offers that expired before `before`; returns how many. */
  async purgeExpired(before: number): Promise<number> {
    checkInstant(before, 'before');
    const res = await this.db
      .deleteFrom('oid4vci_offers')
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** The single-use compare-and-set; a right tx_code gives its reserved attempt back. */
  private async consume(hash: string, now: number, giveBackAttempt: boolean): Promise<RedeemResult> {
    const won = await (giveBackAttempt ? Q.consumeGivingBack : Q.consume).first(this.db, now, hash);
    if (won) return { outcome: 'redeemed', installationId: won.installation_id };
    return this.explain(hash, now);
  }

  /** Why a compare-and-set lost. */
  private async explain(hash: string, now: number): Promise<RedeemResult> {
    const row = await this.db
      .selectFrom('oid4vci_offers')
      .select(['used_at', 'expires_at', 'failed_attempts'])
      .where('pre_authorized_code_hash', '=', hash)
      .executeTakeFirst();
    if (!row) return { outcome: 'unknown' };
    if (row.used_at !== null) return { outcome: 'used' };
    if (Number(row.expires_at) <= now) return { outcome: 'expired' };
    return { outcome: 'locked' };
  }
}
