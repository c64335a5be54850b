import { encode } from '@mynakit/cbor';

/**
 * The bytes a COSE_Mac0 tag covers (RFC 9052 §6.3):
 *
 *   MAC_structure = [
 *     context : "MAC" / "MAC0",
 *     protected : empty_or_serialized_map,
 *     external_aad : bstr,
 *     payload : bstr
 *   ]
 */
export function macStructure0(
  protectedBytes: Uint8Array,
  externalAad: Uint8Array,
  payload: Uint8Array,
): Uint8Array {
  return encode(['MAC0', protectedBytes, externalAad, payload]);
}
