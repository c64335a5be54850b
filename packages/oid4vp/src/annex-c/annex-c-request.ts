import { base64urlToBytes, bytesToBase64url } from '@mynakit/cbor';
import { type DeviceRequest, decodeDeviceRequestBytes } from '@mynakit/mdoc';
import { type P256PublicKeyInput, toP256PublicJwk } from '../ec-keys.js';
import { Oid4vpError } from '../errors.js';
import { type EncryptionInfo, encodeEncryptionInfo, parseEncryptionInfo } from './encryption-info.js';

/**
 * The ISO/IEC 18013-7 Annex C request — the `data` of a Digital Credentials API request with protocol
 * `org-iso-mdoc`:
 *
 * ```
 * { "deviceRequest": base64url(CBOR DeviceRequest), "encryptionInfo": base64url(CBOR EncryptionInfo) }
 * ```
 * The DeviceRequest itself is built by @mynakit/mdoc: version "1.1" with `readerAuthAll` is what
 * Apple's wallet requires; version "1.0" requests carry `readerAuth` in each DocRequest. Both parse here.
 */
export const ANNEX_C_PROTOCOL = 'org-iso-mdoc';

export interface AnnexCRequestData {
  readonly deviceRequest: string;
  readonly encryptionInfo: string;
}

export interface BuildAnnexCRequestInput {
  /** DeviceRequest CBOR bytes (from mdoc's request builder, reader authentication included). */
  readonly deviceRequest: Uint8Array;
  /** The verifier's HPKE public key (P-256); keep the private key for `decryptAnnexCResponse`. */
  readonly recipientKey: P256PublicKeyInput;
  /** The EncryptionInfo nonce; 32 random bytes when omitted. */
  readonly nonce?: Uint8Array;
  readonly random?: (bytes: Uint8Array) => Uint8Array;
}

export interface BuiltAnnexCRequest extends AnnexCRequestData {
  readonly nonce: Uint8Array;
}

export function buildAnnexCRequest(input: BuildAnnexCRequestInput): BuiltAnnexCRequest {
  if (input.deviceRequest.length === 0) throw new Oid4vpError('invalid_request', 'deviceRequest is empty');
  const random = input.random ?? ((b: Uint8Array) => crypto.getRandomValues(b));
  const nonce = input.nonce ?? random(new Uint8Array(32));
  const info = encodeEncryptionInfo({ nonce, recipientPublicKey: toP256PublicJwk(input.recipientKey) });
  return { deviceRequest: bytesToBase64url(input.deviceRequest), encryptionInfo: info.encoded, nonce };
}

export type ReaderAuthenticationForm = 'readerAuthAll' | 'readerAuth' | 'none';

export interface ParsedAnnexCRequest {
  readonly deviceRequest: DeviceRequest;
  /** The DeviceRequest bytes as sent. */
  readonly deviceRequestBytes: Uint8Array;
  readonly encryptionInfo: EncryptionInfo;
  /** How the reader authenticated: v1.1 `readerAuthAll`, v1.0 per-DocRequest `readerAuth`, or not at all. */
  readonly readerAuthentication: ReaderAuthenticationForm;
}

/** Wallet side: reads the `org-iso-mdoc` request data; throws DECODE / KEY_INVALID. */
export function parseAnnexCRequest(data: unknown): ParsedAnnexCRequest {
  if (typeof data !== 'object' || data === null)
    throw new Oid4vpError('DECODE', 'the org-iso-mdoc request must be an object');
  const { deviceRequest, encryptionInfo } = data as Record<string, unknown>;
  if (typeof deviceRequest !== 'string' || typeof encryptionInfo !== 'string') {
    throw new Oid4vpError(
      'DECODE',
      'the org-iso-mdoc request needs deviceRequest and encryptionInfo strings',
    );
  }
  let deviceRequestBytes: Uint8Array;
  let parsed: DeviceRequest;
  try {
    deviceRequestBytes = base64urlToBytes(deviceRequest);
    parsed = decodeDeviceRequestBytes(deviceRequestBytes);
  } catch (e) {
    throw new Oid4vpError('DECODE', 'deviceRequest is not a base64url DeviceRequest', { cause: e });
  }
  const readerAuthentication: ReaderAuthenticationForm =
    parsed.readerAuthAll !== undefined && parsed.readerAuthAll.length > 0
      ? 'readerAuthAll'
      : parsed.docRequests.some((d) => d.readerAuth !== undefined)
        ? 'readerAuth'
        : 'none';
  return {
    deviceRequest: parsed,
    deviceRequestBytes,
    encryptionInfo: parseEncryptionInfo(encryptionInfo),
    readerAuthentication,
  };
}
