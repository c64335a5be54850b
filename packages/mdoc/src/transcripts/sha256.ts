import { createHash } from 'node:crypto';

/** SHA-256 of bytes, as a fresh Uint8Array (handover hashes are embedded as CBOR bstr). */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}
