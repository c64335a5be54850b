/**
 * The secure area: where the phone's private keys live and are used, never exported — the secure element
 * or TEE of a real phone (Android Keystore / StrongBox, the iOS Secure Enclave), a set of encrypted files
 * in the sandbox. Every key carries a user-authentication policy set when it is created; a key with a
 * policy signs only with a ticket from `authenticate`, which is short-lived and single use, as Android's
 * per-operation authentication (`setUserAuthenticationParameters(0, …)`) and LAContext evaluation bound to
 * one Secure Enclave operation are. DOMAIN.md §1 "Two-factor use": the signature key accepts only its
 * password, the user-authentication key its PIN or a biometric, the record's device key the owner's
 * biometric.
 */
import type { KeyObject } from 'node:crypto';

/** How a holder proves presence for one key operation. */
export type UserAuthenticationMethod = 'biometric' | 'pin' | 'password';

/**
 * A key's user-authentication policy: `'none'`, or the methods any one of which unlocks one operation
 * (e.g. `['pin', 'biometric']` for the JPKI user-authentication key, `['password']` for the signature key).
 */
export type KeyAuthenticationPolicy = 'none' | readonly UserAuthenticationMethod[];

/** The key types the wallet makes: P-256 for the mdoc device key, RSA-2048 for the JPKI keys. */
export type SecureKeyType = 'ec-p256' | 'rsa-2048';

/**
 * Signature algorithms of `sign`:
 * - `ES256` — ECDSA P-256 SHA-256 over the message, `r ‖ s` (JWS RFC 7518 §3.4, COSE RFC 9053 §2.1);
 * - `RS256` — RSASSA-PKCS1-v1_5 SHA-256 over the message (RFC 8017 §8.2; CSRs, CMS, JWS);
 * - `RSA-PKCS1-DigestInfo` — PKCS #1 v1.5 over a DER DigestInfo the caller built (RFC 8017 §9.2 steps 3–5),
 *   what a JPKI key receives for user authentication (DOMAIN.md §3 "Signatures").
 */
export type SecureSignatureAlgorithm = 'ES256' | 'RS256' | 'RSA-PKCS1-DigestInfo';

/** What to create. */
export interface SecureKeySpec {
  /** A name unique on the device, `[a-z0-9-]{1,64}`. */
  readonly alias: string;
  readonly type: SecureKeyType;
  readonly userAuthentication: KeyAuthenticationPolicy;
}

/** A key as the secure area describes it (never the private half). */
export interface SecureKeyInfo {
  readonly alias: string;
  readonly type: SecureKeyType;
  readonly userAuthentication: KeyAuthenticationPolicy;
  readonly publicKey: KeyObject;
  readonly createdAt: Date;
}

/**
 * Evidence of one user authentication: a PIN or password as typed (the secure area has it checked and
 * counted by the wallet's secrets, never keeps it), or a biometric match reported by the platform
 * (sandbox: the emulator's explicit `matched` flag).
 */
export type UserAuthentication =
  | { readonly method: 'pin'; readonly value: string }
  | { readonly method: 'password'; readonly value: string }
  | { readonly method: 'biometric'; readonly matched: boolean };

/** An authentication result for one operation of one key: expires soon, and `sign` consumes it. */
export interface AuthTicket {
  /** Opaque, unguessable. */
  readonly id: string;
  readonly alias: string;
  readonly method: UserAuthenticationMethod;
  readonly expiresAt: Date;
}

/** Input of `attest`. */
export interface AttestKeysInput {
  /** The keys to attest in one JWT (their public halves go into `attested_keys`). */
  readonly aliases: readonly string[];
  /** The issuer's nonce (a c_nonce or an installation's key-attestation nonce). */
  readonly nonce?: string;
  /** Lifetime of the attestation (Appendix D.1: `exp` is required inside a `jwt` key proof); default 10 min. */
  readonly lifetimeSeconds?: number;
}

/** The interface every platform implements (README "Secure area" for Android and iOS). */
export interface SecureArea {
  /** Creates a key; WALLET_KEY_EXISTS when the alias is taken. */
  createKey(spec: SecureKeySpec): Promise<SecureKeyInfo>;
  /** The key's description, or undefined. */
  getKey(alias: string): Promise<SecureKeyInfo | undefined>;
  /** Deletes a key (re-installation, a wiped device). Absent keys are ignored. */
  deleteKey(alias: string): Promise<void>;
  /**
   * Authenticates the holder for one operation of `alias`: the method must be in the key's policy and
   * succeed. Returns a ticket (short-lived, single use); throws WalletError otherwise.
   */
  authenticate(alias: string, evidence: UserAuthentication): Promise<AuthTicket>;
  /**
   * Signs `data` with the key. A key whose policy is not `'none'` needs a fresh, unused ticket for it
   * (WALLET_AUTHENTICATION_REQUIRED / WALLET_TICKET_INVALID).
   */
  sign(
    alias: string,
    data: Uint8Array,
    algorithm: SecureSignatureAlgorithm,
    ticket?: AuthTicket,
  ): Promise<Uint8Array>;
  /**
   * A key attestation JWT (OpenID4VCI 1.0 Appendix D.1) by the platform over the keys: their storage and
   * user authentication levels (Appendix D.2), signed by the platform's attestation key.
   */
  attest(input: AttestKeysInput): Promise<string>;
}
