import {
  base64urlToBytes,
  bytesToBase64url,
  type CborMap,
  type CborValue,
  decode,
  encode,
} from '@mynakit/cbor';
import { buildDcapiSessionTranscript, type DcapiSessionTranscript } from '@mynakit/mdoc';
import { type P256PrivateKeyInput, publicPart, samePublicKey, toP256PrivateJwk } from '../ec-keys.js';
import { Oid4vpError } from '../errors.js';
import { hpkeOpen, hpkeSeal } from '../hpke.js';
import { type EncryptionInfo, parseEncryptionInfo } from './encryption-info.js';

/**
 * The ISO/IEC 18013-7 Annex C response — the `data` of the DigitalCredential the browser returns:
 *
 * ```cddl
 * response = { "response": base64url(CBOR EncryptedResponse) }
 * EncryptedResponse = [
 *   "dcapi",
 *   { "enc": bstr,          ; HPKE encapsulated key: the 65-byte uncompressed ephemeral P-256 point
 *     "cipherText": bstr }  ; HPKE ciphertext of the DeviceResponse
 * ]
 * ```
 * HPKE (RFC 9180) base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, to the
 * EncryptionInfo `recipientPublicKey`; `info` = the bare CBOR SessionTranscript with the `dcapi`
 * handover (not its tag-24 form), `aad` empty — what walt.id, multipaz and id-verifier do and the
 * only way the published walt.id vector decrypts.
 */
export interface EncryptAnnexCResponseInput {
  /** DeviceResponse CBOR, made with `annexCSessionTranscript(...).sessionTranscriptBytes`. */
  readonly deviceResponse: Uint8Array;
  /** The request's `encryptionInfo`, the base64url string exactly as received. */
  readonly encryptionInfoB64: string;
  /** The origin the browser reports for the requesting page. */
  readonly origin: string;
  /** Only to reproduce vectors: RFC 9180 ikmE for the ephemeral key. */
  readonly ephemeralKeyMaterial?: Uint8Array;
}

/** The SessionTranscript both sides derive for an Annex C exchange. */
export function annexCSessionTranscript(encryptionInfoB64: string, origin: string): DcapiSessionTranscript {
  return buildDcapiSessionTranscript({ encryptionInfo: encryptionInfoB64, origin });
}

/** Wallet side: seals the DeviceResponse to the verifier. */
export async function encryptAnnexCResponse(
  input: EncryptAnnexCResponseInput,
): Promise<{ response: string }> {
  const info = parseEncryptionInfo(input.encryptionInfoB64);
  const { sessionTranscript } = annexCSessionTranscript(input.encryptionInfoB64, input.origin);
  const sealed = await hpkeSeal({
    recipientPublicKey: info.recipientPublicKey,
    info: sessionTranscript,
    plaintext: input.deviceResponse,
    ...(input.ephemeralKeyMaterial ? { ephemeralKeyMaterial: input.ephemeralKeyMaterial } : {}),
  });
  const params: CborMap = new Map<CborValue, CborValue>([
    ['enc', sealed.enc],
    ['cipherText', sealed.ciphertext],
  ]);
  return { response: bytesToBase64url(encode(['dcapi', params])) };
}

export interface EncryptedResponseParts {
  readonly enc: Uint8Array;
  readonly cipherText: Uint8Array;
}

export function parseEncryptedResponse(responseB64: string): EncryptedResponseParts {
  let value: CborValue;
  try {
    value = decode(base64urlToBytes(responseB64));
  } catch (e) {
    throw new Oid4vpError('DECODE', 'response is not base64url CBOR', { cause: e });
  }
  if (!Array.isArray(value) || value.length !== 2 || value[0] !== 'dcapi' || !(value[1] instanceof Map)) {
    throw new Oid4vpError('DECODE', 'response must be ["dcapi", {enc, cipherText}]');
  }
  const m = value[1] as CborMap;
  const enc = m.get('enc');
  const cipherText = m.get('cipherText');
  if (!(enc instanceof Uint8Array) || !(cipherText instanceof Uint8Array)) {
    throw new Oid4vpError('DECODE', 'response needs enc and cipherText byte strings');
  }
  return { enc, cipherText };
}

export interface DecryptAnnexCResponseInput {
  /** The `response` member of the DigitalCredential data (base64url EncryptedResponse). */
  readonly response: string;
  /** The `encryptionInfo` string the verifier sent. */
  readonly encryptionInfoB64: string;
  /** The origin of the verifier's own page. */
  readonly origin: string;
  readonly recipientPrivateKey: P256PrivateKeyInput;
}

export interface DecryptedAnnexCResponse {
  readonly deviceResponse: Uint8Array;
  /** Tag-24 SessionTranscriptBytes, for verifying device authentication. */
  readonly sessionTranscriptBytes: Uint8Array;
  /** The bare SessionTranscript (the HPKE info). */
  readonly sessionTranscript: Uint8Array;
  /** The verifier's EncryptionInfo, parsed (its nonce is the request's one-time value). */
  readonly encryptionInfo: EncryptionInfo;
}

/**
 * Verifier side: rebuilds the SessionTranscript from what it sent (its EncryptionInfo and origin)
 * and opens the response. Throws HPKE_KEY_MISMATCH when the private key is not the EncryptionInfo's,
 * HPKE_OPEN_FAILED when the response was sealed to another key or another transcript (e.g. another origin).
 */
export async function decryptAnnexCResponse(
  input: DecryptAnnexCResponseInput,
): Promise<DecryptedAnnexCResponse> {
  const info = parseEncryptionInfo(input.encryptionInfoB64);
  const key = toP256PrivateJwk(input.recipientPrivateKey);
  if (!samePublicKey(publicPart(key), info.recipientPublicKey)) {
    throw new Oid4vpError(
      'HPKE_KEY_MISMATCH',
      'the private key does not belong to the EncryptionInfo recipientPublicKey',
    );
  }
  const parts = parseEncryptedResponse(input.response);
  const t = annexCSessionTranscript(input.encryptionInfoB64, input.origin);
  const deviceResponse = await hpkeOpen({
    // The scalar: the key is already checked, and HPKE needs nothing else of it.
    recipientPrivateKey: base64urlToBytes(key.d),
    enc: parts.enc,
    info: t.sessionTranscript,
    ciphertext: parts.cipherText,
  });
  return {
    deviceResponse,
    sessionTranscriptBytes: t.sessionTranscriptBytes,
    sessionTranscript: t.sessionTranscript,
    encryptionInfo: info,
  };
}
