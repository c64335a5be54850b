import { encode } from '@mynakit/cbor';

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
 * holds no parameters, see `bodyProtected()` in headers.ts).
 */
export function sigStructure1(
  bodyProtected: Uint8Array,
  externalAad: Uint8Array,
  payload: Uint8Array,
): Uint8Array {
  return encode(['Signature1', bodyProtected, externalAad, payload]);
}
