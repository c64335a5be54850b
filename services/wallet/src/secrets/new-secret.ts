/**
 * Choosing a new PIN or password: typed twice, both entries equal and of the required format — checked
 * before anything is stored or sent.
 */
import { checkPinFormat } from '@mynakit/jpki';
import { WalletError } from '../errors.js';
import type { SecretKind } from '../store/secret-repository.js';
import { secretPolicy } from './secret-policy.js';

/** Throws WALLET_SECRET_FORMAT or WALLET_SECRET_MISMATCH unless `entry` is well-formed and `confirmation` equals it. */
export function checkNewSecret(kind: SecretKind, entry: string, confirmation: string): void {
  requireFormat(kind, entry);
  if (entry !== confirmation) throw new WalletError('WALLET_SECRET_MISMATCH', 'the two entries differ');
}

/** Throws WALLET_SECRET_FORMAT when `value` is not of the secret's format (the detail names the rule only). */
export function requireFormat(kind: SecretKind, value: unknown): asserts value is string {
  const format = checkPinFormat(secretPolicy(kind).pinKind, value);
  if (!format.ok) throw new WalletError('WALLET_SECRET_FORMAT', format.detail);
}
