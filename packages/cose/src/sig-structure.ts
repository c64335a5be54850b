import { type PayloadWriter, writeToBeSigned } from './structure-writer.js';

/**
 * The bytes a COSE_Sign1 signature covers (RFC 9052 §4.4):
 *
 *   Sig_structure = [
 *     context : "Signature" / "Signature1",
 *     body_protected : empty_or_serialized_map,
 *     ? sign_protected : empty_or_serialized_map,
 *     external_aad : bstr,
 *     payload : bstr
 *   ]
 *
 * `bodyProtected` is the protected-header bstr content exactly as received (a zero-length bstr when it
 * holds no parameters, see `bodyProtected()` in headers.ts). Written with one allocation; the byte
 * strings are copied as they are, never re-encoded.
 */
export function sigStructure1(
  bodyProtected: Uint8Array,
  externalAad: Uint8Array,
  payload: Uint8Array,
): Uint8Array {
  return writeToBeSigned(SIGNATURE1, bodyProtected, externalAad, payload, false);
}

/** Options of `sigStructure1Of`. */
export interface ToBeSignedOptions {
  /**
   * Write into a buffer shared by every transient call instead of a new one: for bytes handed at once
   * to a synchronous verification and dropped (the next transient call overwrites them).
   */
  readonly transient?: boolean;
}

/**
 * Sig_structure for a COSE_Sign1 whose payload is written in place (e.g. ISO/IEC 18013-5
 * DeviceAuthenticationBytes assembled from the transcript and the received DeviceNameSpacesBytes):
 * the structure and its payload in one buffer, nothing in between.
 */
export function sigStructure1Of(
  bodyProtected: Uint8Array,
  externalAad: Uint8Array,
  payload: Uint8Array | PayloadWriter,
  options?: ToBeSignedOptions,
): Uint8Array {
  return writeToBeSigned(SIGNATURE1, bodyProtected, externalAad, payload, options?.transient === true);
}

const SIGNATURE1 = new TextEncoder().encode('Signature1');
