/**
 * The sandbox secure area: keys made by node:crypto, kept encrypted at rest (key-file.ts) under a
 * per-device KEK in the phone's data folder, `<deviceDir>/keys/<alias>.json`; decrypted only for the one
 * operation that uses them, never returned. User authentication goes through a UserVerifier (the wallet's
 * secrets); signing needs the ticket it produced (auth-tickets.ts).
 */
import { generateKeyPairSync, type KeyObject, createPublicKey } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyAttestationJwt } from '@mynakit/oid4vci';
import { WalletError } from '../errors.js';
import { AuthTickets } from './auth-tickets.js';
import { readOrCreateKek } from './key-encryption-key.js';
import { openKeyFile, readKeyFileMetadata, sealKeyFile } from './key-file.js';
import { signWithKey } from './key-signature.js';
import { type PlatformAttestation, SANDBOX_ATTESTATION_LEVEL } from './platform-attestation.js';
import type {
  AttestKeysInput,
  AuthTicket,
  KeyAuthenticationPolicy,
  SecureArea,
  SecureKeyInfo,
  SecureKeySpec,
  SecureSignatureAlgorithm,
  UserAuthentication,
} from './secure-area.js';
import type { UserVerifier } from './user-verifier.js';

/** Key aliases: safe file names, never `__proto__`. */
export const KEY_ALIAS = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Options of `SandboxSecureArea.open`. */
export interface SandboxSecureAreaOptions {
  /** The phone's data folder (`<dataDir>/wallet/<deviceId>`). */
  readonly deviceDir: string;
  readonly deviceId: string;
  /** Checks PINs, passwords and biometrics before a ticket is issued. */
  readonly verifier: UserVerifier;
  /** The platform's attestation signer; absent: `attest` fails with WALLET_ATTESTATION_UNAVAILABLE. */
  readonly attestation?: PlatformAttestation;
  /** The KEK (32 bytes); absent: `<deviceDir>/kek`, created once. */
  readonly kek?: Uint8Array;
  /** The clock (tickets, creation times, attestations); default the system clock. */
  readonly clock?: () => Date;
  /** Ticket lifetime in ms (default 30 s). */
  readonly ticketLifetimeMs?: number;
}

/** The sandbox implementation of SecureArea (see the file comment). */
export class SandboxSecureArea implements SecureArea {
  readonly #dir: string;
  readonly #deviceId: string;
  readonly #kek: Uint8Array;
  readonly #verifier: UserVerifier;
  readonly #attestation: PlatformAttestation | undefined;
  readonly #clock: () => Date;
  readonly #tickets: AuthTickets;

  private constructor(options: SandboxSecureAreaOptions, kek: Uint8Array) {
    this.#dir = join(options.deviceDir, 'keys');
    this.#deviceId = options.deviceId;
    this.#kek = kek;
    this.#verifier = options.verifier;
    this.#attestation = options.attestation;
    this.#clock = options.clock ?? (() => new Date());
    this.#tickets = new AuthTickets(this.#clock, options.ticketLifetimeMs);
  }

  /** Opens the secure area of one phone (creating its KEK at the first start). */
  static async open(options: SandboxSecureAreaOptions): Promise<SandboxSecureArea> {
    const kek = options.kek ?? (await readOrCreateKek(options.deviceDir));
    if (kek.length !== 32) throw new WalletError('WALLET_KEY_INVALID', 'the KEK must be 32 bytes');
    await mkdir(join(options.deviceDir, 'keys'), { recursive: true, mode: 0o700 });
    return new SandboxSecureArea(options, kek);
  }

  /** Where the key file of `alias` is. */
  keyFilePath(alias: string): string {
    if (!KEY_ALIAS.test(alias)) throw new WalletError('WALLET_KEY_INVALID', 'a key alias is [a-z0-9-]{1,64}');
    return join(this.#dir, `${alias}.json`);
  }

  /** {@inheritDoc SecureArea.createKey} */
  async createKey(spec: SecureKeySpec): Promise<SecureKeyInfo> {
    const path = this.keyFilePath(spec.alias);
    const pair =
      spec.type === 'ec-p256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : spec.type === 'rsa-2048'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : undefined;
    if (pair === undefined) throw new WalletError('WALLET_KEY_INVALID', 'unsupported key type');
    const policy: KeyAuthenticationPolicy =
      spec.userAuthentication === 'none' ? 'none' : Object.freeze([...spec.userAuthentication]);
    if (policy !== 'none' && policy.length === 0)
      throw new WalletError('WALLET_KEY_INVALID', "a policy lists one method or more, or is 'none'");
    const createdAt = this.#clock();
    const metadata = {
      alias: spec.alias,
      type: spec.type,
      userAuthentication: policy,
      createdAt: createdAt.toISOString(),
      publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    };
    try {
      await writeFile(path, sealKeyFile(this.#kek, this.#deviceId, metadata, pair.privateKey), {
        flag: 'wx',
        mode: 0o600,
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST')
        throw new WalletError('WALLET_KEY_EXISTS', 'a key of this alias exists');
      throw e;
    }
    return {
      alias: spec.alias,
      type: spec.type,
      userAuthentication: policy,
      publicKey: pair.publicKey,
      createdAt,
    };
  }

  /** {@inheritDoc SecureArea.getKey} */
  async getKey(alias: string): Promise<SecureKeyInfo | undefined> {
    const text = await this.#read(alias);
    if (text === undefined) return undefined;
    const m = readKeyFileMetadata(text);
    if (m.alias !== alias) throw new WalletError('WALLET_KEY_CORRUPT', 'the key file names another alias');
    return {
      alias,
      type: m.type,
      userAuthentication: m.userAuthentication,
      publicKey: createPublicKey({ key: Buffer.from(m.publicKey, 'base64'), format: 'der', type: 'spki' }),
      createdAt: new Date(m.createdAt),
    };
  }

  /** {@inheritDoc SecureArea.deleteKey} */
  async deleteKey(alias: string): Promise<void> {
    await rm(this.keyFilePath(alias), { force: true });
  }

  /** {@inheritDoc SecureArea.authenticate} */
  async authenticate(alias: string, evidence: UserAuthentication): Promise<AuthTicket> {
    const key = await this.#require(alias);
    if (key.userAuthentication === 'none' || !key.userAuthentication.includes(evidence.method))
      throw new WalletError(
        'WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED',
        `this key does not accept the ${evidence.method} method`,
      );
    await this.#verifier.verify(evidence, key);
    return this.#tickets.issue(alias, evidence.method);
  }

  /** {@inheritDoc SecureArea.sign} */
  async sign(
    alias: string,
    data: Uint8Array,
    algorithm: SecureSignatureAlgorithm,
    ticket?: AuthTicket,
  ): Promise<Uint8Array> {
    const text = await this.#read(alias);
    if (text === undefined) throw new WalletError('WALLET_KEY_NOT_FOUND', 'no key of this alias');
    const m = readKeyFileMetadata(text);
    if (m.userAuthentication !== 'none') this.#tickets.consume(alias, ticket);
    const key: KeyObject = openKeyFile(this.#kek, this.#deviceId, text);
    return signWithKey(key, m.type, data, algorithm);
  }

  /** {@inheritDoc SecureArea.attest} */
  async attest(input: AttestKeysInput): Promise<string> {
    const a = this.#attestation;
    if (a === undefined)
      throw new WalletError('WALLET_ATTESTATION_UNAVAILABLE', 'no platform attestation signer configured');
    const keys = await Promise.all(input.aliases.map((alias) => this.#require(alias)));
    if (keys.length === 0) throw new WalletError('WALLET_KEY_INVALID', 'attest at least one key');
    const iat = this.#clock();
    const guarded = keys.every((k) => k.userAuthentication !== 'none');
    return createKeyAttestationJwt({
      attestationKey: a.key,
      x5c: a.x5c,
      attestedKeys: keys.map((k) => k.publicKey),
      keyStorage: a.keyStorage ?? [SANDBOX_ATTESTATION_LEVEL],
      ...(guarded ? { userAuthentication: a.userAuthentication ?? [SANDBOX_ATTESTATION_LEVEL] } : {}),
      iat,
      exp: new Date(iat.getTime() + (input.lifetimeSeconds ?? 600) * 1000),
      ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
    });
  }

  async #require(alias: string): Promise<SecureKeyInfo> {
    const key = await this.getKey(alias);
    if (key === undefined) throw new WalletError('WALLET_KEY_NOT_FOUND', 'no key of this alias');
    return key;
  }

  async #read(alias: string): Promise<string | undefined> {
    try {
      return await readFile(this.keyFilePath(alias), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
}
