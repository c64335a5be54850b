import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@mynakit/db';
import type { Kysely, Selectable } from 'kysely';
import { IssuerError } from '../errors.js';
import type { CardState, CardsTable, IssuerDatabase } from './schema.js';
import { check, checkInstant, durably, PreparedQuery, toDriverBytes } from './store-support.js';

/** A card to record. `signCert` and `signPasswordVerifier` are null together for a holder under 15. */
export interface NewCard {
  id?: string;
  residentId: string;
  cardNumber: string;
  issuedAt: number;
  expiresAt: number;
  signCert: Uint8Array | null;
  authCert: Uint8Array;
  signPasswordVerifier: string | null;
  authPinVerifier: string;
  supportPinVerifier: string;
  /** Serial of `signCert`, lower-case hex, so a signature can be traced to its card (null with `signCert`). */
  signSerial?: string | null;
  /** Serial of `authCert`, lower-case hex. */
  authSerial?: string | null;
}

/** A recorded card: its certificates and PIN verifiers (never a PIN, never a private key). */
export interface Card {
  id: string;
  residentId: string;
  cardNumber: string;
  issuedAt: number;
  expiresAt: number;
  state: CardState;
  signCert: Uint8Array | null;
  authCert: Uint8Array;
  signPasswordVerifier: string | null;
  authPinVerifier: string;
  supportPinVerifier: string;
  createdAt: number;
  revokedAt: number | null;
  signSerial: string | null;
  authSerial: string | null;
}

const SERIAL = /^[0-9a-f]{1,40}$/;

const Q = {
  byId: new PreparedQuery<[string], Selectable<CardsTable>>((db, slot) =>
    db.selectFrom('cards').selectAll().where('id', '=', slot(0)),
  ),
  bySignSerial: new PreparedQuery<[string], Selectable<CardsTable>>((db, slot) =>
    db.selectFrom('cards').selectAll().where('sign_serial', '=', slot(0)),
  ),
  byAuthSerial: new PreparedQuery<[string], Selectable<CardsTable>>((db, slot) =>
    db.selectFrom('cards').selectAll().where('auth_serial', '=', slot(0)),
  ),
};

function fromRow(row: Selectable<CardsTable>): Card {
  return {
    id: row.id,
    residentId: row.resident_id,
    cardNumber: row.card_number,
    issuedAt: Number(row.issued_at),
    expiresAt: Number(row.expires_at),
    state: row.state,
    signCert: row.sign_cert === null ? null : new Uint8Array(row.sign_cert),
    authCert: new Uint8Array(row.auth_cert),
    signPasswordVerifier: row.sign_password_verifier,
    authPinVerifier: row.auth_pin_verifier,
    supportPinVerifier: row.support_pin_verifier,
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    signSerial: row.sign_serial ?? null,
    authSerial: row.auth_serial ?? null,
  };
}

/** The residents' plastic cards. One card per resident is active at a time (a unique partial index). */
export class CardRepository {
  constructor(private readonly db: Kysely<IssuerDatabase>) {}

  /**
   * Records a card as active. ISSUER_NOT_FOUND for an unknown resident, ISSUER_CARD_CONFLICT when the
   * resident holds an active card (revoke it first), ISSUER_DUPLICATE for a taken id or card number.
   */
  async create(input: NewCard, now: number): Promise<Card> {
    checkInstant(now, 'now');
    checkInstant(input.issuedAt, 'issuedAt');
    checkInstant(input.expiresAt, 'expiresAt');
    check(input.expiresAt > input.issuedAt, 'expiresAt must be after issuedAt');
    check(/^[0-9A-Za-z-]{1,32}$/.test(input.cardNumber), 'cardNumber must be 1..32 letters, digits or -');
    check(
      (input.signCert === null) === (input.signPasswordVerifier === null),
      'signCert and signPasswordVerifier come together',
    );
    check(input.authCert.length > 0, 'authCert must not be empty');
    const signSerial = input.signSerial ?? null;
    const authSerial = input.authSerial ?? null;
    check(signSerial === null || SERIAL.test(signSerial), 'signSerial must be lower-case hex');
    check(authSerial === null || SERIAL.test(authSerial), 'authSerial must be lower-case hex');
    check(signSerial === null || input.signCert !== null, 'signSerial needs signCert');
    const row: CardsTable = {
      id: input.id ?? randomUUID(),
      resident_id: input.residentId,
      card_number: input.cardNumber,
      issued_at: input.issuedAt,
      expires_at: input.expiresAt,
      state: 'active',
      sign_cert: input.signCert === null ? null : toDriverBytes(input.signCert),
      auth_cert: toDriverBytes(input.authCert),
      sign_password_verifier: input.signPasswordVerifier,
      auth_pin_verifier: input.authPinVerifier,
      support_pin_verifier: input.supportPinVerifier,
      created_at: now,
      revoked_at: null,
      sign_serial: signSerial,
      auth_serial: authSerial,
    };
    const resident = await this.db
      .selectFrom('residents')
      .select('id')
      .where('id', '=', input.residentId)
      .executeTakeFirst();
    if (!resident) throw new IssuerError('ISSUER_NOT_FOUND', 'no such resident');
    try {
      // The card's certificates are issued: recorded durably (store-support.ts).
      await durably(this.db, (db) => db.insertInto('cards').values(row).execute());
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const active = await this.activeForResident(input.residentId);
      if (active)
        throw new IssuerError('ISSUER_CARD_CONFLICT', 'the resident holds an active card', { cause: e });
      throw new IssuerError('ISSUER_DUPLICATE', 'a card with this id, number or certificate serial exists', {
        cause: e,
      });
    }
    return fromRow(row);
  }

  /** The card, or undefined. */
  async get(id: string): Promise<Card | undefined> {
    const row = await Q.byId.first(this.db, id);
    return row && fromRow(row);
  }

  /** The card with this card number, or undefined. */
  async getByCardNumber(cardNumber: string): Promise<Card | undefined> {
    const row = await this.db
      .selectFrom('cards')
      .selectAll()
      .where('card_number', '=', cardNumber)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  /**
   * The card whose signature (`sign`) or user-authentication (`auth`) certificate has this serial
   * (hex, any case), or undefined — which card produced a JPKI signature.
   */
  async getByCertificateSerial(kind: 'sign' | 'auth', serial: string): Promise<Card | undefined> {
    const normalized = typeof serial === 'string' ? serial.toLowerCase() : '';
    if (!SERIAL.test(normalized)) return undefined;
    const row = await (kind === 'sign' ? Q.bySignSerial : Q.byAuthSerial).first(this.db, normalized);
    return row && fromRow(row);
  }

  /** The resident's active card, or undefined. */
  async activeForResident(residentId: string): Promise<Card | undefined> {
    const row = await this.db
      .selectFrom('cards')
      .selectAll()
      .where('resident_id', '=', residentId)
      .where('state', '=', 'active')
      .executeTakeFirst();
    return row && fromRow(row);
  }

  /** Every card of the resident, oldest first. */
  async listForResident(residentId: string): Promise<Card[]> {
    const rows = await this.db
      .selectFrom('cards')
      .selectAll()
      .where('resident_id', '=', residentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(fromRow);
  }

  /** Revokes an active card (compare-and-set, durable); false when it was not active. */
  async revoke(id: string, now: number): Promise<boolean> {
    checkInstant(now, 'now');
    const res = await durably(this.db, (db) =>
      db
        .updateTable('cards')
        .set({ state: 'revoked', revoked_at: now })
        .where('id', '=', id)
        .where('state', '=', 'active')
        .executeTakeFirst(),
    );
    return Number(res.numUpdatedRows) === 1;
  }
}
