import {
  base64urlToBytes,
  bytesToBase64url,
  type CborMap,
  type CborValue,
  decode,
  encode,
} from '@mynakit/cbor';
import { coseKeyToP256Jwk, p256JwkToCoseKey } from '../cose-key-p256.js';
import type { P256PublicJwk } from '../ec-keys.js';
import { Oid4vpError } from '../errors.js';

/**
 * EncryptionInfo — ISO/IEC 18013-7 Annex C (restated in the EU Age Verification spec, Annex A):
 *
 * ```cddl
 * EncryptionInfo = [
 *   "dcapi",                        ; type
 *   EncryptionParameters
 * ]
 * EncryptionParameters = {
 *   "nonce": bstr,                  ; verifier nonce, at least 16 bytes
 *   "recipientPublicKey": COSE_Key  ; the verifier's HPKE key, EC2 P-256
 * }
 * ```
 * It travels base64url-encoded in the request's `encryptionInfo` member, and that *string* is what
 * the `dcapi` handover hashes, so the parsed form keeps it.
 */
export interface EncryptionInfo {
  readonly nonce: Uint8Array;
  readonly recipientPublicKey: P256PublicJwk;
  /** The base64url text as sent (or as built): the dcapi handover hashes exactly this. */
  readonly encoded: string;
}

export const MIN_ANNEX_C_NONCE_LENGTH = 16;

export function encodeEncryptionInfo(input: {
  nonce: Uint8Array;
  recipientPublicKey: P256PublicJwk;
}): EncryptionInfo {
  if (input.nonce.length < MIN_ANNEX_C_NONCE_LENGTH) {
    throw new Oid4vpError(
      'invalid_request',
      `the EncryptionInfo nonce must be at least ${MIN_ANNEX_C_NONCE_LENGTH} bytes`,
    );
  }
  const params: CborMap = new Map<CborValue, CborValue>([
    ['nonce', input.nonce],
    ['recipientPublicKey', p256JwkToCoseKey(input.recipientPublicKey)],
  ]);
  const encoded = bytesToBase64url(encode(['dcapi', params]));
  return { nonce: input.nonce, recipientPublicKey: input.recipientPublicKey, encoded };
}

/** Parses the base64url EncryptionInfo text; throws DECODE / KEY_INVALID. */
export function parseEncryptionInfo(encoded: string): EncryptionInfo {
  let value: CborValue;
  try {
    value = decode(base64urlToBytes(encoded));
  } catch (e) {
    throw new Oid4vpError('DECODE', 'encryptionInfo is not base64url CBOR', { cause: e });
  }
  if (!Array.isArray(value) || value.length !== 2 || value[0] !== 'dcapi' || !(value[1] instanceof Map)) {
    throw new Oid4vpError('DECODE', 'encryptionInfo must be ["dcapi", {nonce, recipientPublicKey}]');
  }
  const params = value[1] as CborMap;
  const nonce = params.get('nonce');
  if (!(nonce instanceof Uint8Array) || nonce.length === 0)
    throw new Oid4vpError('DECODE', 'encryptionInfo nonce must be a bstr');
  const recipientPublicKey = coseKeyToP256Jwk(
    params.get('recipientPublicKey'),
    'encryptionInfo.recipientPublicKey',
  );
  return { nonce, recipientPublicKey, encoded };
}
