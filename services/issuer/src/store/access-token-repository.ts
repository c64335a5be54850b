import type { Kysely } from 'kysely';
import { HashedTokenTable } from './hashed-token-table.js';
import type { IssuerDatabase } from './schema.js';

/** What an access token grants: the installation whose credentials it may fetch, until when. */
export interface AccessTokenGrant {
  installationId: string;
  expiresAt: number;
}

/**
 * OpenID4VCI access tokens (RFC 6749 §1.4, bearer per RFC 6750), stored only as SHA-256 so a leaked
 * database holds no usable token. Opaque random tokens need no slow hash: they carry ≥ 128 bits.
 */
export class AccessTokenRepository {
  readonly #tokens: HashedTokenTable;

  constructor(db: Kysely<IssuerDatabase>) {
    this.#tokens = new HashedTokenTable(db, 'oid4vci_access_tokens', 'this token was stored before');
  }

  /** Stores a token for an installation. ISSUER_DUPLICATE when the same token was stored before. */
  create(input: { token: string; installationId: string; expiresAt: number }, now: number): Promise<void> {
    return this.#tokens.create(input, now);
  }

  /** The grant of an unexpired token, or undefined (unknown or expired alike: RFC 6750 §3.1 invalid_token). */
  find(token: string, now: number): Promise<AccessTokenGrant | undefined> {
    return this.#tokens.find(token, now);
  }

  /** Deletes tokens that expired before `before`; returns how many. */
  purgeExpired(before: number): Promise<number> {
    return this.#tokens.purgeExpired(before);
  }
}
