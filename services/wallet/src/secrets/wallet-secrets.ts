/**
 * One phone's secrets: setting them at installation, and each attempt against its try counter in the
 * wallet's database (so counters and locks survive a restart). An attempt takes its try first (atomically,
 * secret-repository.ts), then evaluates the slow salted verifier (@mynakit/jpki scrypt), then gives every
 * try back on success or locks the secret when the last one failed. A locked secret stays locked until the
 * next installation sets it again (DOMAIN.md §3).
 */
import { createPinVerifier, type ScryptParams, verifyPin } from '@mynakit/jpki';
import { WalletError } from '../errors.js';
import type { SecretKind } from '../store/secret-repository.js';
import type { WalletStore } from '../store/wallet-store.js';
import { checkNewSecret, requireFormat } from './new-secret.js';
import { secretPolicy } from './secret-policy.js';

/** A secret's state as the phone may show it. */
export interface SecretStatus {
  readonly set: boolean;
  readonly remaining: number;
  readonly locked: boolean;
}

/** Options of WalletSecrets. */
export interface WalletSecretsOptions {
  /** scrypt parameters of new verifiers (default @mynakit/jpki DEFAULT_SCRYPT_PARAMS). */
  readonly kdf?: ScryptParams;
  readonly clock?: () => Date;
}

/** The secrets of one device. */
export class WalletSecrets {
  readonly #store: WalletStore;
  readonly #deviceId: string;
  readonly #kdf: ScryptParams | undefined;
  readonly #clock: () => Date;

  /** The secrets of `deviceId` in `store`. */
  constructor(store: WalletStore, deviceId: string, options: WalletSecretsOptions = {}) {
    this.#store = store;
    this.#deviceId = deviceId;
    this.#kdf = options.kdf;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** Sets a secret (typed twice) with every try and no lock: what an installation does. */
  async set(kind: SecretKind, entry: string, confirmation: string): Promise<void> {
    checkNewSecret(kind, entry, confirmation);
    const policy = secretPolicy(kind);
    const verifier = await createPinVerifier(policy.pinKind, entry, this.#kdf ? { params: this.#kdf } : {});
    await this.#store.secrets.set(this.#deviceId, kind, verifier, policy.maxTries, this.#now());
  }

  /** The secret's state. */
  async status(kind: SecretKind): Promise<SecretStatus> {
    const s = await this.#store.secrets.get(this.#deviceId, kind);
    if (s === undefined) return { set: false, remaining: 0, locked: false };
    return { set: true, remaining: s.remaining, locked: s.locked };
  }

  /**
   * One attempt. Resolves when `value` is right; otherwise WALLET_SECRET_FORMAT (no try used),
   * WALLET_SECRET_WRONG (with `remainingTries`), WALLET_SECRET_LOCKED, WALLET_SECRET_BUSY or
   * WALLET_SECRET_NOT_SET.
   */
  async verify(kind: SecretKind, value: string): Promise<void> {
    const secret = await this.#require(kind);
    requireFormat(kind, value);
    if (secret.locked) throw locked();
    if (!(await this.#store.secrets.takeTry(this.#deviceId, kind, this.#now()))) {
      const now = await this.#store.secrets.get(this.#deviceId, kind);
      if (now?.locked) throw locked();
      throw new WalletError('WALLET_SECRET_BUSY', 'another attempt holds the last try');
    }
    if (await verifyPin(value, secret.verifier)) {
      if (!(await this.#store.secrets.restoreTries(this.#deviceId, kind, this.#now()))) throw locked();
      return;
    }
    const after = await this.#store.secrets.settleFailure(this.#deviceId, kind, this.#now());
    if (after?.locked) throw locked('wrong; no tries left: the credential is locked');
    const remaining = after?.remaining ?? 0;
    throw new WalletError('WALLET_SECRET_WRONG', `wrong; ${remaining} tries left`, {
      remainingTries: remaining,
    });
  }

  /**
   * Whether the device owner's biometric may stand in for `kind` now: never for the signature password,
   * and not for a locked or unset PIN (a locked credential stays unusable).
   */
  async requireBiometricStandIn(kind: SecretKind): Promise<void> {
    if (!secretPolicy(kind).biometricMayStandIn)
      throw new WalletError(
        'WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED',
        'a biometric never stands in for the signature password',
      );
    const secret = await this.#require(kind);
    if (secret.locked) throw locked();
  }

  async #require(kind: SecretKind) {
    const secret = await this.#store.secrets.get(this.#deviceId, kind);
    if (secret === undefined) throw new WalletError('WALLET_SECRET_NOT_SET', `no ${kind} set on this device`);
    return secret;
  }

  #now(): number {
    return this.#clock().getTime();
  }
}

function locked(
  message = 'no tries left: the credential is locked until it is installed again',
): WalletError {
  return new WalletError('WALLET_SECRET_LOCKED', message, { remainingTries: 0 });
}
