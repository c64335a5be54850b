/**
 * The person a passkey account is bound to, kept without keeping the person: HMAC-SHA256 (RFC 2104) under
 * a server key of the name and birth date the verification record holds (DOMAIN.md §5), compared in
 * constant time when a step-up verification must be of the SAME person. The passkey tables never hold the
 * facts themselves; without the key the hash cannot be tested against guesses (a plain hash of a name and
 * a birth date could be, by enumeration).
 *
 * The key is `passkeyIdentityKey` when configured, else derived from the session key-encryption key with
 * HKDF-SHA256 (RFC 5869) under its own label, so the two keys never coincide. Its short fingerprint is
 * stored beside each hash: a hash made under another key is recognised as not comparable.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { VerifierConfig } from '../context.js';
import { VerifierError } from '../errors.js';
import { canonicalJson, type JsonValue } from '../records/canonical-json.js';

/** The HKDF `info` (and HMAC domain label) of the identity binding. */
const LABEL = 'mynakit passkey identity binding v1';

/** Shortest configured key accepted, bytes (HMAC-SHA256's block-size guidance: at least the output). */
const MIN_KEY_BYTES = 32;

/** The identity-binding key and its fingerprint. */
export interface IdentityKey {
  readonly key: Uint8Array;
  /** 16 hex characters naming the key (HMAC of a fixed label), stored with every hash made under it. */
  readonly id: string;
}

/** The identity-binding key of this deployment; VERIFIER_PASSKEY_NOT_CONFIGURED when there is none. */
export function identityKeyOf(config: VerifierConfig): IdentityKey {
  let key: Uint8Array;
  if (config.passkeyIdentityKey !== undefined) {
    if (config.passkeyIdentityKey.length < MIN_KEY_BYTES)
      throw new VerifierError('VERIFIER_PASSKEY_NOT_CONFIGURED', 'the passkey identity key is too short');
    key = config.passkeyIdentityKey;
  } else if (config.sessionKeyEncryptionKey !== undefined) {
    key = new Uint8Array(hkdfSync('sha256', config.sessionKeyEncryptionKey, new Uint8Array(0), LABEL, 32));
  } else {
    throw new VerifierError(
      'VERIFIER_PASSKEY_NOT_CONFIGURED',
      'no passkey identity key nor session key-encryption key is configured',
    );
  }
  const id = createHmac('sha256', key).update(`${LABEL} key id`, 'utf8').digest('hex').slice(0, 16);
  return { key, id };
}

/** The facts an account is bound by. */
export interface BoundIdentity {
  readonly name: string;
  readonly birthDate: string;
}

/** Longest name or birth date taken from a record, characters. */
const MAX_FACT_LENGTH = 500;

/**
 * Unicode NFC, every run of white space (including the ideographic space U+3000 of Japanese names) as one
 * ASCII space, trimmed: the same person's name written by two verifications compares equal.
 */
function normalise(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** The name and birth date of a verification record's content, or undefined when it holds none. */
export function boundIdentityOf(
  content: { readonly [key: string]: JsonValue } | null | undefined,
): BoundIdentity | undefined {
  if (content === null || content === undefined) return undefined;
  const name = Object.hasOwn(content, 'name') ? content.name : undefined;
  const birthDate = Object.hasOwn(content, 'birthDate') ? content.birthDate : undefined;
  if (typeof name !== 'string' || typeof birthDate !== 'string') return undefined;
  if (name.length > MAX_FACT_LENGTH || birthDate.length > MAX_FACT_LENGTH) return undefined;
  const n = normalise(name);
  const b = normalise(birthDate);
  return n === '' || b === '' ? undefined : { name: n, birthDate: b };
}

/** HMAC-SHA256 hex of the identity (canonical JSON of the label, name and birth date) under `key`. */
export function identityHmac(key: IdentityKey, identity: BoundIdentity): string {
  return createHmac('sha256', key.key)
    .update(canonicalJson([LABEL, identity.name, identity.birthDate]), 'utf8')
    .digest('hex');
}

/** Whether two identity hashes are equal (constant time; false for malformed ones). */
export function sameIdentity(a: string, b: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(a) || !/^[0-9a-f]{64}$/.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
