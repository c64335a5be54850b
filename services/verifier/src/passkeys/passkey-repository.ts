/**
 * The passkey tables (store/migrations/0004-passkeys.ts) in the verifier's database, shared by every
 * instance. Three compare-and-sets make the single uses safe across instances:
 *
 * - a challenge is claimed by one conditional UPDATE (`state = 'open'` and not expired → `used`), so a
 *   replayed response finds it used (as sessions are claimed, sessions/session-repository.ts);
 * - a verification is spent on one passkey account or one step-up by the primary key of
 *   `passkey_session_uses`, inserted in the same transaction as the account or the step-up;
 * - a credential's signature counter moves only from the value the verification read.
 */
import { isUniqueViolation } from '@mynakit/db';
import type { Kysely } from 'kysely';
import { VerifierError } from '../errors.js';
import type { VerifierDatabase } from '../store/schema.js';
import { checkInstant, fromDriverBytes, toDriverBytes } from '../store/store-support.js';
import type {
  PasskeyAccountTable,
  PasskeyChallengeTable,
  PasskeyCredentialTable,
  PasskeyTables,
} from './passkey-tables.js';

/** An account as stored (no personal data: an opaque id and a keyed hash). */
export interface PasskeyAccount {
  readonly id: string;
  readonly relyingPartyId: string;
  readonly identityHmac: string;
  readonly identityKeyId: string;
  readonly recordId: string;
  readonly sessionId: string;
  readonly createdAt: number;
  readonly verifiedAt: number;
  readonly stepUpRequestedAt: number | null;
}

/** A credential as stored. */
export interface PasskeyCredential {
  readonly id: string;
  readonly relyingPartyId: string;
  readonly accountId: string;
  readonly rpId: string;
  readonly publicKey: Uint8Array;
  readonly counter: number;
  readonly transports: readonly string[];
  readonly backedUp: boolean;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

/** A challenge as stored. */
export type PasskeyChallenge = Readonly<
  Omit<PasskeyChallengeTable, 'created_at' | 'expires_at' | 'used_at'>
> & {
  readonly createdAt: number;
  readonly expiresAt: number;
};

/** A new challenge. */
export type NewPasskeyChallenge = Omit<PasskeyChallenge, 'state'>;

/** The outcome of claiming a challenge. */
export type ChallengeClaim =
  | { readonly result: 'claimed'; readonly challenge: PasskeyChallenge }
  | { readonly result: 'used' | 'expired' | 'unknown' };

/** Most credentials one account lists. */
export const MAX_CREDENTIALS_PER_ACCOUNT = 32;

function toAccount(row: PasskeyAccountTable): PasskeyAccount {
  return {
    id: row.id,
    relyingPartyId: row.relying_party_id,
    identityHmac: row.identity_hmac,
    identityKeyId: row.identity_key_id,
    recordId: row.record_id,
    sessionId: row.session_id,
    createdAt: Number(row.created_at),
    verifiedAt: Number(row.verified_at),
    stepUpRequestedAt: row.step_up_requested_at === null ? null : Number(row.step_up_requested_at),
  };
}

function toCredential(row: PasskeyCredentialTable): PasskeyCredential {
  return {
    id: row.id,
    relyingPartyId: row.relying_party_id,
    accountId: row.account_id,
    rpId: row.rp_id,
    publicKey: fromDriverBytes(row.public_key),
    counter: Number(row.counter),
    transports: JSON.parse(row.transports) as string[],
    backedUp: Number(row.backed_up) === 1,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

function toChallenge(row: PasskeyChallengeTable): PasskeyChallenge {
  const { created_at, expires_at, used_at: _used, ...rest } = row;
  return { ...rest, createdAt: Number(created_at), expiresAt: Number(expires_at) };
}

/** The passkey tables (see the file comment). */
export class PasskeyRepository {
  readonly #db: Kysely<VerifierDatabase & PasskeyTables>;

  /** @param db the verifier's database, or a transaction on it */
  constructor(db: Kysely<VerifierDatabase>) {
    this.#db = db.withTables<PasskeyTables>();
  }

  /** Stores a new open challenge. */
  async createChallenge(c: NewPasskeyChallenge): Promise<void> {
    checkInstant(c.createdAt, 'createdAt');
    checkInstant(c.expiresAt, 'expiresAt');
    await this.#db
      .insertInto('passkey_challenges')
      .values({
        challenge: c.challenge,
        relying_party_id: c.relying_party_id,
        ceremony: c.ceremony,
        rp_id: c.rp_id,
        origin: c.origin,
        account_id: c.account_id,
        session_id: c.session_id,
        record_id: c.record_id,
        identity_hmac: c.identity_hmac,
        identity_key_id: c.identity_key_id,
        state: 'open',
        created_at: c.createdAt,
        expires_at: c.expiresAt,
        used_at: null,
      })
      .execute();
  }

  /**
   * Claims an open, unexpired challenge of this relying party and ceremony (compare-and-set): `claimed`
   * for the one winner; else `used` (a replay), `expired` or `unknown`.
   */
  async claimChallenge(
    challenge: string,
    relyingPartyId: string,
    ceremony: PasskeyChallengeTable['ceremony'],
    now: number,
  ): Promise<ChallengeClaim> {
    checkInstant(now, 'now');
    const won = await this.#db
      .updateTable('passkey_challenges')
      .set({ state: 'used', used_at: now })
      .where('challenge', '=', challenge)
      .where('relying_party_id', '=', relyingPartyId)
      .where('ceremony', '=', ceremony)
      .where('state', '=', 'open')
      .where('expires_at', '>', now)
      .executeTakeFirst();
    const row = await this.#db
      .selectFrom('passkey_challenges')
      .selectAll()
      .where('challenge', '=', challenge)
      .where('relying_party_id', '=', relyingPartyId)
      .where('ceremony', '=', ceremony)
      .executeTakeFirst();
    if (row === undefined) return { result: 'unknown' };
    if (won.numUpdatedRows === 1n) return { result: 'claimed', challenge: toChallenge(row) };
    return { result: row.state === 'used' ? 'used' : 'expired' };
  }

  /** Whether the verification of session `sessionId` was already spent on a passkey or a step-up. */
  async sessionUsed(sessionId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('passkey_session_uses')
      .select('session_id')
      .where('session_id', '=', sessionId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Creates the account with its first credential, spending the session's verification, in one
   * transaction: VERIFIER_PASSKEY_SESSION_USED when another registration spent it first,
   * VERIFIER_DUPLICATE when the credential id is registered already.
   */
  async createAccount(account: PasskeyAccount, credential: PasskeyCredential): Promise<void> {
    checkInstant(account.createdAt, 'createdAt');
    try {
      await this.#db.transaction().execute(async (trx) => {
        await trx
          .insertInto('passkey_session_uses')
          .values({
            session_id: account.sessionId,
            relying_party_id: account.relyingPartyId,
            account_id: account.id,
            kind: 'registration',
            at: account.createdAt,
          })
          .execute()
          .catch((e: unknown) => {
            if (isUniqueViolation(e))
              throw new VerifierError('VERIFIER_PASSKEY_SESSION_USED', 'the verification was already used', {
                cause: e,
              });
            throw e;
          });
        await trx
          .insertInto('passkey_accounts')
          .values({
            id: account.id,
            relying_party_id: account.relyingPartyId,
            identity_hmac: account.identityHmac,
            identity_key_id: account.identityKeyId,
            record_id: account.recordId,
            session_id: account.sessionId,
            created_at: account.createdAt,
            verified_at: account.verifiedAt,
            step_up_requested_at: null,
          })
          .execute();
        await trx
          .insertInto('passkey_credentials')
          .values({
            id: credential.id,
            relying_party_id: credential.relyingPartyId,
            account_id: account.id,
            rp_id: credential.rpId,
            public_key: toDriverBytes(credential.publicKey),
            counter: credential.counter,
            transports: JSON.stringify(credential.transports),
            backed_up: credential.backedUp ? 1 : 0,
            created_at: credential.createdAt,
            last_used_at: null,
          })
          .execute();
      });
    } catch (e) {
      if (e instanceof VerifierError) throw e;
      if (isUniqueViolation(e))
        throw new VerifierError('VERIFIER_DUPLICATE', 'this passkey is registered already', { cause: e });
      throw e;
    }
  }

  /** The account of that relying party, or undefined. */
  async getAccount(id: string, relyingPartyId: string): Promise<PasskeyAccount | undefined> {
    const row = await this.#db
      .selectFrom('passkey_accounts')
      .selectAll()
      .where('id', '=', id)
      .where('relying_party_id', '=', relyingPartyId)
      .executeTakeFirst();
    return row === undefined ? undefined : toAccount(row);
  }

  /** The account's credentials, oldest first (at most MAX_CREDENTIALS_PER_ACCOUNT). */
  async credentialsOf(accountId: string, relyingPartyId: string): Promise<PasskeyCredential[]> {
    const rows = await this.#db
      .selectFrom('passkey_credentials')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('relying_party_id', '=', relyingPartyId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(MAX_CREDENTIALS_PER_ACCOUNT)
      .execute();
    return rows.map(toCredential);
  }

  /** The credential of that relying party, or undefined. */
  async getCredential(id: string, relyingPartyId: string): Promise<PasskeyCredential | undefined> {
    const row = await this.#db
      .selectFrom('passkey_credentials')
      .selectAll()
      .where('id', '=', id)
      .where('relying_party_id', '=', relyingPartyId)
      .executeTakeFirst();
    return row === undefined ? undefined : toCredential(row);
  }

  /**
   * Moves the credential's signature counter from `from` to `to` (compare-and-set) and notes its use;
   * false when another sign-in moved it first.
   */
  async advanceCounter(
    id: string,
    relyingPartyId: string,
    from: number,
    to: number,
    now: number,
  ): Promise<boolean> {
    checkInstant(now, 'now');
    const r = await this.#db
      .updateTable('passkey_credentials')
      .set({ counter: to, last_used_at: now })
      .where('id', '=', id)
      .where('relying_party_id', '=', relyingPartyId)
      .where('counter', '=', from)
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  /** Marks that the account needs a fresh card verification (kept at the first request); false: no such account. */
  async requestStepUp(id: string, relyingPartyId: string, now: number): Promise<boolean> {
    checkInstant(now, 'now');
    const r = await this.#db
      .updateTable('passkey_accounts')
      .set((eb) => ({ step_up_requested_at: eb.fn.coalesce('step_up_requested_at', eb.val(now)) }))
      .where('id', '=', id)
      .where('relying_party_id', '=', relyingPartyId)
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  /**
   * Completes the pending step-up with the verification of session `sessionId` (spent here, once), in one
   * transaction: VERIFIER_PASSKEY_SESSION_USED when it was spent before, VERIFIER_PASSKEY_STEP_UP_NOT_REQUESTED
   * when the step-up requested at `requestedAt` is no longer pending.
   */
  async completeStepUp(
    account: PasskeyAccount,
    proof: { sessionId: string; recordId: string; requestedAt: number; now: number },
  ): Promise<void> {
    checkInstant(proof.now, 'now');
    try {
      await this.#db.transaction().execute(async (trx) => {
        await trx
          .insertInto('passkey_session_uses')
          .values({
            session_id: proof.sessionId,
            relying_party_id: account.relyingPartyId,
            account_id: account.id,
            kind: 'step-up',
            at: proof.now,
          })
          .execute();
        const r = await trx
          .updateTable('passkey_accounts')
          .set({
            step_up_requested_at: null,
            verified_at: proof.now,
            record_id: proof.recordId,
            session_id: proof.sessionId,
          })
          .where('id', '=', account.id)
          .where('relying_party_id', '=', account.relyingPartyId)
          .where('step_up_requested_at', '=', proof.requestedAt)
          .executeTakeFirst();
        if (r.numUpdatedRows !== 1n)
          throw new VerifierError('VERIFIER_PASSKEY_STEP_UP_NOT_REQUESTED', 'no step-up is pending');
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new VerifierError('VERIFIER_PASSKEY_SESSION_USED', 'the verification was already used', {
          cause: e,
        });
      throw e;
    }
  }

  /** Deletes challenges that expired before `before` (epoch ms), used or not; returns how many. */
  async purgeExpiredChallenges(before: number): Promise<number> {
    checkInstant(before, 'before');
    const r = await this.#db
      .deleteFrom('passkey_challenges')
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
