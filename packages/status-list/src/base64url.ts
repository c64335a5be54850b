/**
 * base64url without padding (RFC 4648 §5, as used by JOSE: RFC 7515 §2). Decoding is strict about the
 * alphabet (Node's decoder silently skips foreign characters, which would let a damaged `lst` through)
 * but tolerates trailing `=` padding, which some producers add.
 */
import { Buffer } from 'node:buffer';

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

export function base64urlDecode(text: string): Uint8Array | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1) return undefined;
  const buf = Buffer.from(bare, 'base64url');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

export function base64urlEncode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}
