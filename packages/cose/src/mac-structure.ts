import type { ToBeSignedOptions } from './sig-structure.js';
import { type PayloadWriter, writeToBeSigned } from './structure-writer.js';

/**
 * The bytes a COSE_Mac0 tag covers (RFC 9052 §6.3):
 *
 *   MAC_structure = [
 *     context : "MAC" / "MAC0",
 *     protected : empty_or_serialized_map,
 *     external_aad : bstr,
 *     payload : bstr
 *   ]
 *
 * Written with one allocation; the byte strings are copied as they are, never re-encoded.
 */
export function macStructure0(
  protectedBytes: Uint8Array,
  externalAad: Uint8Array,
  payload: Uint8Array,
): Uint8Array {
  return writeToBeSigned(MAC0, protectedBytes, externalAad, payload, false);
}

/** MAC_structure for a COSE_Mac0 whose payload is written in place (see `sigStructure1Of`). */
export function macStructure0Of(
  protectedBytes: Uint8Array,
  externalAad: Uint8Array,
  payload: Uint8Array | PayloadWriter,
  options?: ToBeSignedOptions,
): Uint8Array {
  return writeToBeSigned(MAC0, protectedBytes, externalAad, payload, options?.transient === true);
}

const MAC0 = new TextEncoder().encode('MAC0');
