import { scrypt, timingSafeEqual } from 'node:crypto';
import { JpkiError } from './errors.js';
import { checkPinFormat, type PinKind, policyFor } from './pin-policy.js';

/**
 * PIN verifiers and the try counter.
 *
 * A PIN is never stored: only a salted, memory-hard verifier (scrypt, RFC 7914) in a self-describing string
 *   `scrypt$N$r$p$<salt base64url>$<hash base64url>`
 * with a fresh 16-byte salt per PIN. Parameters travel with the verifier so they can be raised later without
 * invalidating stored ones. Comparison is constant-time. Short PINs (4 digits) cannot be protected by a KDF
 * alone — the try counter is what protects them; the KDF protects them if the store leaks.
 *
 * The try counter is a pure state machine `{ remaining, locked }`: the caller persists the state it returns.
 */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP Password Storage Cheat Sheet scrypt setting (N=2^15, r=8, p=3: 32 MiB per evaluation). */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };

const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Upper bounds accepted from a stored verifier, so a forged string cannot make us allocate unbounded memory. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

export type RandomSource = (bytes: Uint8Array) => Uint8Array;
const defaultRandom: RandomSource = (b) => globalThis.crypto.getRandomValues(b);

function b64u(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function kdf(pin: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    scrypt(
      Buffer.from(pin, 'utf8'),
      salt,
      HASH_BYTES,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 },
      (err, key) =>
        err ? reject(new JpkiError('INVALID_PIN_VERIFIER', 'scrypt failed', { cause: err })) : resolve(key),
    );
  });
}

function assertParams(params: ScryptParams): void {
  const { N, r, p } = params;
  const ok =
    Number.isInteger(N) &&
    N >= 2 &&
    N <= MAX_N &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= MAX_R &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= MAX_P;
  if (!ok) throw new JpkiError('INVALID_PIN_VERIFIER', 'scrypt parameters out of range');
}

/**
 * Makes the stored verifier of a PIN. The PIN must pass its format check first (throws INVALID_ARGUMENT
 * otherwise, without the PIN in the message).
 */
export async function createPinVerifier(
  kind: PinKind,
  pin: string,
  options: { params?: ScryptParams; random?: RandomSource } = {},
): Promise<string> {
  const format = checkPinFormat(kind, pin);
  if (!format.ok)
    throw new JpkiError('INVALID_ARGUMENT', `PIN does not meet the ${kind} format: ${format.detail}`);
  const params = options.params ?? DEFAULT_SCRYPT_PARAMS;
  assertParams(params);
  const salt = (options.random ?? defaultRandom)(new Uint8Array(SALT_BYTES));
  const hash = await kdf(pin, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${b64u(salt)}$${b64u(hash)}`;
}

/** A PIN verifier string taken apart: its scrypt parameters, salt and derived hash. */
export interface ParsedVerifier {
  readonly params: ScryptParams;
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

export function parsePinVerifier(verifier: string): ParsedVerifier {
  const m = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(verifier);
  if (m === null) throw new JpkiError('INVALID_PIN_VERIFIER', 'not a scrypt$N$r$p$salt$hash verifier');
  const params = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  assertParams(params);
  const salt = Buffer.from(m[4] as string, 'base64url');
  const hash = Buffer.from(m[5] as string, 'base64url');
  if (salt.length < SALT_BYTES || hash.length !== HASH_BYTES) {
    throw new JpkiError('INVALID_PIN_VERIFIER', 'salt or hash has the wrong length');
  }
  return { params, salt, hash };
}

/** Whether `pin` matches the stored verifier (constant-time on the hash). Does not touch any try counter. */
export async function verifyPin(pin: string, verifier: string): Promise<boolean> {
  const parsed = parsePinVerifier(verifier);
  const candidate = await kdf(pin, parsed.salt, parsed.params);
  return timingSafeEqual(candidate, parsed.hash);
}

// ---- try counter ----------------------------------------------------------------------------------------

export interface PinState {
  readonly remaining: number;
  readonly locked: boolean;
}

export function initialPinState(kind: PinKind): PinState {
  return { remaining: policyFor(kind).maxTries, locked: false };
}

/** The state after one verified attempt: success restores every try; a failure uses one; none left → locked. */
export function nextPinState(kind: PinKind, state: PinState, success: boolean): PinState {
  if (state.locked) return { remaining: 0, locked: true };
  if (success) return initialPinState(kind);
  const remaining = Math.max(0, Math.min(state.remaining, policyFor(kind).maxTries) - 1);
  return { remaining, locked: remaining === 0 };
}

export type PinAttemptOutcome = 'accepted' | 'wrong' | 'locked' | 'badFormat';

export interface PinAttemptResult {
  readonly outcome: PinAttemptOutcome;
  /** The state to persist (unchanged for `locked` and `badFormat`). */
  readonly state: PinState;
  /** A safe message (never the PIN). */
  readonly detail: string;
}

/**
 * One attempt: refuse when locked (no KDF evaluated), refuse a malformed PIN without using a try, otherwise
 * verify and count.
 */
export async function attemptPin(
  kind: PinKind,
  pin: string,
  verifier: string,
  state: PinState,
): Promise<PinAttemptResult> {
  if (state.locked || state.remaining <= 0) {
    return { outcome: 'locked', state: { remaining: 0, locked: true }, detail: 'locked: no tries left' };
  }
  const format = checkPinFormat(kind, pin);
  if (!format.ok) return { outcome: 'badFormat', state, detail: format.detail };
  const ok = await verifyPin(pin, verifier);
  const next = nextPinState(kind, state, ok);
  if (ok) return { outcome: 'accepted', state: next, detail: 'accepted' };
  return {
    outcome: 'wrong',
    state: next,
    detail: next.locked ? 'wrong PIN; now locked' : `wrong PIN; ${next.remaining} tries left`,
  };
}
