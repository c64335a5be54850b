import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { IssuerError } from '../errors.js';
import type { IssuerDatabase, RpClientsTable } from './schema.js';
import { check, checkInstant } from './store-support.js';

/**
 * What a relying party's client may do at the issuer: `inquiry` (POST /inquiry, DOMAIN.md §4's per-record
 * inquiry), `platform-status` (the JPKI platform's status queries), `insurance` (online qualification
 * confirmation).
 */
export type RpClientRole = 'inquiry' | 'platform-status' | 'insurance';

/** Every role, in the order they are written into `rp_clients.roles`. */
export const RP_CLIENT_ROLES: readonly RpClientRole[] = ['inquiry', 'platform-status', 'insurance'];
const ROLE_SET: ReadonlySet<string> = new Set(RP_CLIENT_ROLES);

/** A relying party's client as the service sees it (never its secret). */
export interface RpClient {
  clientId: string;
  name: string;
  roles: RpClientRole[];
  createdAt: number;
  disabledAt: number | null;
}

/** A client just created: the secret is in clear here, and only here (it is stored as SHA-256). */
export interface CreatedRpClient extends RpClient {
  clientSecret: string;
}

/** At most this many clients are listed (an operator's table of relying parties, not a user base). */
export const MAX_RP_CLIENTS_LISTED = 1000;

/** The secret's SHA-256 (hex): the secret is 32 random bytes, so a plain hash resists guessing. */
function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

function rolesOf(text: string): RpClientRole[] {
  // Written only by this repository: space-separated names of RP_CLIENT_ROLES; anything else is dropped.
  return text.split(' ').filter((r): r is RpClientRole => ROLE_SET.has(r));
}

function clientFromRow(row: Selectable<RpClientsTable>): RpClient {
  return {
    clientId: row.client_id,
    name: row.name,
    roles: rolesOf(row.roles),
    createdAt: Number(row.created_at),
    disabledAt: row.disabled_at === null ? null : Number(row.disabled_at),
  };
}

/** A SHA-256 of equal length that no secret hashes to in practice: compared against when no client matched. */
const NO_CLIENT_HASH = Buffer.alloc(32, 0);

/**
 * Relying parties' client credentials (RFC 6749 §2.3.1 client password). The secret is 32 random bytes,
 * base64url, shown once at creation and kept only as its SHA-256: with 256 bits of entropy a slow KDF adds
 * nothing, and a leaked table yields no usable secret.
 */
export class RpClientRepository {
  constructor(private readonly db: Kysely<IssuerDatabase>) {}

  /** Creates a client with a fresh id and secret. `name` is the operator's label for the relying party. */
  async create(
    input: { name: string; roles: readonly RpClientRole[] },
    now: number,
  ): Promise<CreatedRpClient> {
    checkInstant(now, 'now');
    check(
      typeof input.name === 'string' && input.name.length >= 1 && input.name.length <= 200,
      'name must be 1..200 characters',
    );
    check(Array.isArray(input.roles) && input.roles.length <= RP_CLIENT_ROLES.length, 'roles must be a list');
    check(
      input.roles.every((r) => ROLE_SET.has(r)),
      'roles must be inquiry, platform-status or insurance',
    );
    const roles = RP_CLIENT_ROLES.filter((r) => input.roles.includes(r));
    const clientId = randomUUID();
    const clientSecret = randomBytes(32).toString('base64url');
    await this.db
      .insertInto('rp_clients')
      .values({
        client_id: clientId,
        name: input.name,
        secret_hash: secretHash(clientSecret).toString('hex'),
        roles: roles.join(' '),
        created_at: now,
        disabled_at: null,
      })
      .execute();
    return { clientId, clientSecret, name: input.name, roles, createdAt: now, disabledAt: null };
  }

  /**
   * The enabled client whose id and secret these are, or undefined — an unknown id, a wrong secret and a
   * disabled client are not told apart. The hash comparison is constant-time, and it runs (against a
   * stand-in hash) even when the id is unknown.
   */
  async authenticate(clientId: string, clientSecret: string): Promise<RpClient | undefined> {
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string') return undefined;
    if (clientId.length > 128 || clientSecret.length > 256) return undefined;
    const row = await this.db
      .selectFrom('rp_clients')
      .selectAll()
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    const stored = row === undefined ? NO_CLIENT_HASH : Buffer.from(row.secret_hash, 'hex');
    const given = secretHash(clientSecret);
    const same = stored.length === given.length && timingSafeEqual(stored, given);
    if (!same || row === undefined || row.disabled_at !== null) return undefined;
    return clientFromRow(row);
  }

  /** The client, or undefined. */
  async get(clientId: string): Promise<RpClient | undefined> {
    const row = await this.db
      .selectFrom('rp_clients')
      .selectAll()
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row && clientFromRow(row);
  }

  /** Every client, oldest first (at most MAX_RP_CLIENTS_LISTED). */
  async list(): Promise<RpClient[]> {
    const rows = await this.db
      .selectFrom('rp_clients')
      .selectAll()
      .orderBy('created_at')
      .orderBy('client_id')
      .limit(MAX_RP_CLIENTS_LISTED)
      .execute();
    return rows.map(clientFromRow);
  }

  /** Disables a client (its secret stops working); ISSUER_NOT_FOUND when there is no such client. */
  async disable(clientId: string, now: number): Promise<void> {
    checkInstant(now, 'now');
    const res = await this.db
      .updateTable('rp_clients')
      .set({ disabled_at: now })
      .where('client_id', '=', clientId)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0 && (await this.get(clientId)) === undefined) {
      throw new IssuerError('ISSUER_NOT_FOUND', 'no such client');
    }
  }
}
