/**
 * One phone of the wallet engine: its data folder `<dataDir>/wallet/<deviceId>/`, its store (SQLite
 * there, or PostgreSQL schema `wallet`), its secrets and its secure area. Several phones may be open in
 * one process, each with its own id.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScryptParams } from '@mynakit/jpki';
import { WalletError } from '../errors.js';
import type { PlatformAttestation } from '../secure-area/platform-attestation.js';
import { SandboxSecureArea } from '../secure-area/sandbox-secure-area.js';
import type { SecureArea } from '../secure-area/secure-area.js';
import { secretsUserVerifier } from '../secrets/secrets-user-verifier.js';
import { WalletSecrets } from '../secrets/wallet-secrets.js';
import { DEVICE_ID } from '../store/device-repository.js';
import { openWalletStore, type WalletStore } from '../store/wallet-store.js';

/** Options of `openWalletDevice`. */
export interface OpenWalletDeviceOptions {
  /** The service data directory (`MYNAKIT_DATA_DIR`); the phone keeps its files under `<dataDir>/wallet/<deviceId>/`. */
  readonly dataDir: string;
  readonly deviceId: string;
  readonly family: 'iphone' | 'android';
  /** A model name for the issuer's device description (no personal data). */
  readonly model?: string;
  /** `postgres://…`: the store goes to schema `wallet` there (shared by phones) instead of SQLite. */
  readonly databaseUrl?: string;
  /** The platform's attestation signer (sandbox: certified by the sandbox attestation CA). */
  readonly attestation?: PlatformAttestation;
  /** The secure area's key-encryption key (default: `<deviceDir>/kek`). */
  readonly kek?: Uint8Array;
  readonly clock?: () => Date;
  /** scrypt cost of the secrets' verifiers (default @mynakit/jpki DEFAULT_SCRYPT_PARAMS; tests lower it). */
  readonly pinKdf?: ScryptParams;
  /**
   * The reader roots this phone trusts (DER): a request's reader authentication (ISO/IEC 18013-5 §9.1.4)
   * must verify to one of them, or the request is refused (presentation/annex-c-presentation.ts). Absent:
   * none — only unsigned requests are read.
   */
  readonly readerTrustAnchors?: readonly Uint8Array[];
}

/** An open phone. */
export interface WalletDevice {
  readonly id: string;
  readonly family: 'iphone' | 'android';
  readonly model?: string;
  /** `<dataDir>/wallet/<deviceId>`. */
  readonly dir: string;
  readonly store: WalletStore;
  readonly secrets: WalletSecrets;
  readonly secureArea: SecureArea;
  readonly clock: () => Date;
  /** The reader roots this phone trusts (DER; OpenWalletDeviceOptions.readerTrustAnchors). */
  readonly readerTrustAnchors: readonly Uint8Array[];
  /** Closes the store. */
  close(): Promise<void>;
}

/** Opens (creating at the first call) one phone. */
export async function openWalletDevice(options: OpenWalletDeviceOptions): Promise<WalletDevice> {
  if (!DEVICE_ID.test(options.deviceId))
    throw new WalletError('WALLET_INVALID_INPUT', 'a device id is [A-Za-z0-9_-], at most 64');
  const dir = join(options.dataDir, 'wallet', options.deviceId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const clock = options.clock ?? (() => new Date());
  const store = await openWalletStore({ url: options.databaseUrl ?? `sqlite:${join(dir, 'wallet.sqlite')}` });
  try {
    await store.devices.ensure(
      { id: options.deviceId, family: options.family, ...(options.model ? { model: options.model } : {}) },
      clock().getTime(),
    );
    const secrets = new WalletSecrets(store, options.deviceId, {
      clock,
      ...(options.pinKdf ? { kdf: options.pinKdf } : {}),
    });
    const secureArea = await SandboxSecureArea.open({
      deviceDir: dir,
      deviceId: options.deviceId,
      verifier: secretsUserVerifier(secrets),
      clock,
      ...(options.attestation ? { attestation: options.attestation } : {}),
      ...(options.kek ? { kek: options.kek } : {}),
    });
    return {
      id: options.deviceId,
      family: options.family,
      ...(options.model ? { model: options.model } : {}),
      dir,
      store,
      secrets,
      secureArea,
      clock,
      readerTrustAnchors: options.readerTrustAnchors ?? [],
      close: () => store.close(),
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
