import { isUniqueViolation, reusableQuery } from '@mynakit/db';
import type { Kysely } from 'kysely';
import { VerifierError } from '../errors.js';
import { canonicalJson } from '../records/canonical-json.js';
import {
  type RelyingPartyConfig,
  type RelyingPartyConfigInput,
  RelyingPartyConfigSchema,
} from '../relying-parties/config.js';
import type { VerifierDatabase } from './schema.js';
import { check, checkInstant, newApiKey, newId, sha256Hex } from './store-support.js';

/** The roles of an API key: `rp` runs verifications (later), `auditor` reads and exports the records. */
export type RpCredentialRole = 'rp' | 'auditor';

/** A relying party as stored. */
export interface RelyingParty {
  readonly id: string;
  readonly name: string;
  readonly clientId: string;
  readonly config: RelyingPartyConfig;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** An API key as handed out once: its id, role and the secret itself (stored only as SHA-256). */
export interface IssuedApiKey {
  readonly credentialId: string;
  readonly relyingPartyId: string;
  readonly role: RpCredentialRole;
  readonly apiKey: string;
}

/** Who an API key authenticates. */
export interface RpCaller {
  readonly credentialId: string;
  readonly relyingPartyId: string;
  readonly role: RpCredentialRole;
}

/** Longest API key considered (ours are 47 characters). */
const MAX_API_KEY_LENGTH = 256;
/** Most relying parties one list returns. */
const MAX_LIST = 1000;

function parseConfig(input: unknown): RelyingPartyConfig {
  const parsed = RelyingPartyConfigSchema.safeParse(input);
  if (!parsed.success) {
    const where = [...new Set(parsed.error.issues.slice(0, 10).map((i) => i.path.join('.')))].join(', ');
    throw new VerifierError('VERIFIER_INVALID_INPUT', `invalid relying-party configuration: ${where}`);
  }
  return parsed.data;
}

// Run on every request (the API key) and several times per verification (the relying party): built and compiled
// once (@mynakit/db reusableQuery).
const RELYING_PARTY_BY_ID = reusableQuery((db: Kysely<VerifierDatabase>, id: string) =>
  db.selectFrom('relying_parties').selectAll().where('id', '=', id),
);
// The key's relying party comes with it (one statement, not two): the request's handler reads it next.
const LIVE_CREDENTIAL_BY_KEY_HASH = reusableQuery((db: Kysely<VerifierDatabase>, keyHash: string) =>
  db
    .selectFrom('rp_credentials')
    .leftJoin('relying_parties', 'relying_parties.id', 'rp_credentials.relying_party_id')
    .select([
      'rp_credentials.id as credential_id',
      'rp_credentials.relying_party_id',
      'rp_credentials.role',
      'relying_parties.id',
      'relying_parties.name',
      'relying_parties.client_id',
      'relying_parties.config',
      'relying_parties.created_at',
      'relying_parties.updated_at',
    ])
    .where('rp_credentials.key_hash', '=', keyHash)
    .where('rp_credentials.revoked_at', 'is', null),
);

/**
 * The relying party as read with the API key of one request (authenticate), keyed by that request's caller:
 * a caller is made afresh for each request, so this never serves one request's reading to another — a
 * configuration changed meanwhile applies from the next request on, exactly as when each read the row.
 */
const partyReadWithCaller = new WeakMap<RpCaller, RelyingParty>();

/**
 * Relying parties, their configurations and API keys. A key is random (256 bits) and stored as its
 * SHA-256: it is found by that hash, which a high-entropy secret makes as safe as a constant-time compare.
 */
export class RelyingPartyRepository {
  readonly #db: Kysely<VerifierDatabase>;

  constructor(db: Kysely<VerifierDatabase>) {
    this.#db = db;
  }

  /** Creates a relying party with its first API key (role `rp`), returned once. VERIFIER_DUPLICATE for a taken client id. */
  async create(
    input: RelyingPartyConfigInput,
    now: number,
  ): Promise<{ relyingParty: RelyingParty; apiKey: IssuedApiKey }> {
    checkInstant(now, 'now');
    const config = parseConfig(input);
    const id = newId();
    try {
      return await this.#db.transaction().execute(async (trx) => {
        await trx
          .insertInto('relying_parties')
          .values({
            id,
            name: config.name,
            client_id: config.clientId,
            config: canonicalJson(config),
            created_at: now,
            updated_at: now,
          })
          .execute();
        const apiKey = await new RelyingPartyRepository(trx).issueKey(id, 'rp', now);
        return {
          relyingParty: {
            id,
            name: config.name,
            clientId: config.clientId,
            config,
            createdAt: now,
            updatedAt: now,
          },
          apiKey,
        };
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new VerifierError('VERIFIER_DUPLICATE', 'a relying party with this client id exists', {
          cause: e,
        });
      throw e;
    }
  }

  /** The relying party, or undefined. */
  async get(id: string): Promise<RelyingParty | undefined> {
    const [row] = (await RELYING_PARTY_BY_ID(this.#db, id)).rows;
    return row === undefined ? undefined : toRelyingParty(row);
  }

  /** Every relying party, by name (at most 1000). */
  async list(): Promise<RelyingParty[]> {
    const rows = await this.#db
      .selectFrom('relying_parties')
      .selectAll()
      .orderBy('name')
      .orderBy('id')
      .limit(MAX_LIST)
      .execute();
    return rows.map(toRelyingParty);
  }

  /** Replaces the configuration. VERIFIER_NOT_FOUND, VERIFIER_DUPLICATE (client id of another party). */
  async updateConfig(id: string, input: RelyingPartyConfigInput, now: number): Promise<RelyingParty> {
    checkInstant(now, 'now');
    const config = parseConfig(input);
    let changed: bigint;
    try {
      const r = await this.#db
        .updateTable('relying_parties')
        .set({
          name: config.name,
          client_id: config.clientId,
          config: canonicalJson(config),
          updated_at: now,
        })
        .where('id', '=', id)
        .executeTakeFirst();
      changed = r.numUpdatedRows;
    } catch (e) {
      if (isUniqueViolation(e))
        throw new VerifierError('VERIFIER_DUPLICATE', 'a relying party with this client id exists', {
          cause: e,
        });
      throw e;
    }
    if (changed === 0n) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
    const updated = await this.get(id);
    if (updated === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
    return updated;
  }

  /** Issues a new API key of `role` for the relying party; the secret is returned once. */
  async issueKey(relyingPartyId: string, role: RpCredentialRole, now: number): Promise<IssuedApiKey> {
    checkInstant(now, 'now');
    check(role === 'rp' || role === 'auditor', 'role must be rp or auditor');
    const found = await this.#db
      .selectFrom('relying_parties')
      .select('id')
      .where('id', '=', relyingPartyId)
      .executeTakeFirst();
    if (found === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
    const apiKey = newApiKey();
    const credentialId = newId();
    await this.#db
      .insertInto('rp_credentials')
      .values({
        id: credentialId,
        relying_party_id: relyingPartyId,
        key_hash: sha256Hex(apiKey),
        role,
        created_at: now,
        revoked_at: null,
      })
      .execute();
    return { credentialId, relyingPartyId, role, apiKey };
  }

  /** Revokes an API key; false when there is no such active key of that relying party. */
  async revokeKey(relyingPartyId: string, credentialId: string, now: number): Promise<boolean> {
    checkInstant(now, 'now');
    const r = await this.#db
      .updateTable('rp_credentials')
      .set({ revoked_at: now })
      .where('id', '=', credentialId)
      .where('relying_party_id', '=', relyingPartyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Who the API key authenticates, or undefined (unknown, revoked, malformed). */
  async authenticate(apiKey: string): Promise<RpCaller | undefined> {
    if (apiKey.length === 0 || apiKey.length > MAX_API_KEY_LENGTH) return undefined;
    const [row] = (await LIVE_CREDENTIAL_BY_KEY_HASH(this.#db, sha256Hex(apiKey))).rows;
    if (row === undefined) return undefined;
    const caller: RpCaller = {
      credentialId: row.credential_id,
      relyingPartyId: row.relying_party_id,
      role: row.role,
    };
    if (
      row.id !== null &&
      row.name !== null &&
      row.client_id !== null &&
      row.config !== null &&
      row.created_at !== null &&
      row.updated_at !== null
    )
      partyReadWithCaller.set(
        caller,
        toRelyingParty({
          id: row.id,
          name: row.name,
          client_id: row.client_id,
          config: row.config,
          created_at: row.created_at,
          updated_at: row.updated_at,
        }),
      );
    return caller;
  }

  /**
   * The caller's relying party, or undefined: as read with the caller's API key when this request
   * authenticated it (the same request, hence the same reading), else read now.
   */
  async ofCaller(caller: RpCaller): Promise<RelyingParty | undefined> {
    const read = partyReadWithCaller.get(caller);
    return read !== undefined && read.id === caller.relyingPartyId ? read : this.get(caller.relyingPartyId);
  }
}

/** Most stored configurations whose parsed form is kept (one per relying party in a deployment, in practice). */
const PARSED_CONFIG_CACHE_SIZE = 512;
/** Stored configuration text → its parsed, frozen form. */
const parsedConfigs = new Map<string, RelyingPartyConfig>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * The configuration stored as `text`, parsed — and parsed again only when the text differs: every request of a
 * relying party reads its row, and validating the same text with zod on each was a tenth of the verifier's time
 * under load (`npm run bench verifier-http`). Keyed by the text itself, the cache can never serve a stale
 * configuration: a changed row is a different key. The parsed form is frozen, so no caller can alter another's.
 */
function storedConfig(text: string): RelyingPartyConfig {
  let config = parsedConfigs.get(text);
  if (config === undefined) {
    // Stored after validation; parsed again so a configuration from an older schema gets today's defaults.
    config = deepFreeze(parseConfig(JSON.parse(text)));
    if (parsedConfigs.size >= PARSED_CONFIG_CACHE_SIZE) parsedConfigs.clear();
    parsedConfigs.set(text, config);
  }
  return config;
}

function toRelyingParty(row: VerifierDatabase['relying_parties']): RelyingParty {
  return {
    id: row.id,
    name: row.name,
    clientId: row.client_id,
    config: storedConfig(row.config),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
