import { CborError } from './errors.js';

/**
 * Byte helpers shared by every package (hex, base64url, comparison). Nothing is imported from Node, so the
 * same code runs in the browser SDK; where the runtime has a `Buffer` (Node.js), the encodings use its
 * native codecs — a 25 KiB DeviceResponse took a fifth of a millisecond each way in JavaScript — and the
 * JavaScript below is the fallback everywhere else. Both give the same results (test/helpers.test.ts).
 */

/** Node's Buffer when the runtime has one; looked up on globalThis so nothing imports it. */
interface NativeBuffer {
  from(data: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: string): string };
  from(text: string, encoding: string): Uint8Array;
}
const NATIVE = (globalThis as { Buffer?: NativeBuffer }).Buffer;
/** Below this many bytes the JavaScript loop is as quick as a call into the native codec. */
const NATIVE_FROM = 48;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function bytesToHex(bytes: Uint8Array): string {
  if (NATIVE !== undefined && bytes.length >= NATIVE_FROM)
    return NATIVE.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return bytesToHexPortable(bytes);
}

/** bytesToHex without the native codec (exported for the tests that compare the two). */
export function bytesToHexPortable(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] as number];
  return s;
}

function hexNibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Hex (upper or lower case) → bytes. Whitespace is ignored; anything else that is not hex fails. */
export function hexToBytes(hex: string): Uint8Array {
  const clean = /\s/.test(hex) ? hex.replace(/\s+/g, '') : hex;
  if (clean.length % 2 !== 0) throw new CborError('CBOR_SHAPE', 'hex text has an odd number of digits');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(clean.charCodeAt(2 * i));
    const lo = hexNibble(clean.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0)
      throw new CborError('CBOR_SHAPE', `hex text has a non-hex character near position ${2 * i}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_DECODE = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) {
    t[B64URL.charCodeAt(i)] = i;
    t[B64.charCodeAt(i)] = i;
  }
  return t;
})();

function toBase64(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    s += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    s += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + (pad ? '==' : '');
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    s += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + (pad ? '=' : '');
  }
  return s;
}

/** Base64url without padding (RFC 4648 §5), as JOSE, OpenID4VP and the DC API use it. */
export function bytesToBase64url(bytes: Uint8Array): string {
  if (NATIVE !== undefined && bytes.length >= NATIVE_FROM)
    return NATIVE.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
  return toBase64(bytes, B64URL, false);
}

/** Standard base64 with padding (RFC 4648 §4). */
export function bytesToBase64(bytes: Uint8Array): string {
  if (NATIVE !== undefined && bytes.length >= NATIVE_FROM)
    return NATIVE.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return toBase64(bytes, B64, true);
}

/** bytesToBase64url / bytesToBase64 without the native codec (exported for the tests that compare the two). */
export function bytesToBase64Portable(bytes: Uint8Array, url: boolean): string {
  return url ? toBase64(bytes, B64URL, false) : toBase64(bytes, B64, true);
}

/** Either alphabet, nothing else: what the native decoder may be given (it skips other characters silently). */
const BASE64_TEXT = /^[A-Za-z0-9+/_-]*$/;

/**
 * Base64url or base64 → bytes. Liberal on input: either alphabet, padding optional, whitespace ignored.
 * Fails with CBOR_SHAPE on other characters or an impossible length.
 */
export function base64urlToBytes(text: string): Uint8Array {
  return base64Decode(text, NATIVE);
}

/** base64urlToBytes without the native codec (exported for the tests that compare the two). */
export function base64urlToBytesPortable(text: string): Uint8Array {
  return base64Decode(text, undefined);
}

function base64Decode(text: string, native: NativeBuffer | undefined): Uint8Array {
  let s = /\s/.test(text) ? text.replace(/\s+/g, '') : text;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x3d /* = */) end--;
  if (s.length - end > 2) throw new CborError('CBOR_SHAPE', 'base64 text has too much padding');
  s = s.slice(0, end);
  if (s.length % 4 === 1) throw new CborError('CBOR_SHAPE', 'base64 text has an impossible length');
  if (native !== undefined && s.length >= NATIVE_FROM && BASE64_TEXT.test(s)) {
    // A Uint8Array of its own: Buffers of a few KiB are views into a shared pool.
    return new Uint8Array(native.from(s, 'base64'));
  }
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? (B64_DECODE[c] as number) : -1;
    if (v < 0) throw new CborError('CBOR_SHAPE', `base64 text has an invalid character at position ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Alias of `base64urlToBytes` (it accepts both alphabets). */
export const base64ToBytes = base64urlToBytes;

/** Byte-for-byte equality. Not constant-time: use it for data, not for secrets (see @mynakit/cose). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Bytewise lexicographic order (RFC 8949 §4.2.1 orders map keys by it). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Input handed to the CLI may be raw bytes, hex text or base64(url) text. Rules, in order:
 * if every non-whitespace byte is a hex digit and their count is even (and non-zero) → hex;
 * else if every non-whitespace byte is in the base64 or base64url alphabet (optional `=` padding) → base64;
 * else the bytes themselves. Raw CBOR that happens to be all hex digits is read as hex: such input
 * cannot be told apart, and hex files are by far the common case.
 */
export function detectBinaryInput(input: Uint8Array): Uint8Array {
  let hexDigits = 0;
  let allHex = true;
  let allB64 = true;
  let padding = 0;
  let nonSpace = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as number;
    if (isSpace(c)) continue;
    nonSpace++;
    if (c === 0x3d) {
      padding++;
      allHex = false;
      continue;
    }
    if (padding > 0) allB64 = false; // text after padding
    if (hexNibble(c) >= 0) {
      hexDigits++;
      continue;
    }
    allHex = false;
    if (c >= 128 || (B64_DECODE[c] as number) < 0) {
      allB64 = false;
      break;
    }
  }
  if (nonSpace === 0) return input;
  const text = () => new TextDecoder().decode(input);
  if (allHex && hexDigits % 2 === 0) return hexToBytes(text());
  if (allB64 && padding <= 2) {
    try {
      return base64urlToBytes(text());
    } catch {
      return input;
    }
  }
  return input;
}
