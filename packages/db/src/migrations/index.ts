import type { Migration } from 'kysely';
import * as nonces from './0001-nonces.js';

/**
 * Migrations live in code, in order, so a service migrates its own database at start-up on either dialect.
 * Names sort lexicographically; never rename or edit one that has shipped — add a new one.
 */
export const migrations: Record<string, Migration> = {
  '0001-nonces': nonces,
};
