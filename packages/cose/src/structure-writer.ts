/**
 * Writing the to-be-signed structures of RFC 9052 (Sig_structure §4.4, MAC_structure §6.3) straight
 * into one buffer: an array of four whose parts after the context are byte strings. The byte-string
 * parts (the protected header as received, external_aad, the payload) are copied, never re-encoded;
 * heads are written in preferred form (RFC 8949 §4.2.1), as `encode` would write them, so the bytes are
 * those of the CDDL structure whatever the payload holds.
 */

/** A payload written in place: its byte length and a writer of exactly that many bytes at `at`. */
export interface PayloadWriter {
  readonly length: number;
  write(out: Uint8Array, at: number): void;
}

/** Size of a definite-length head in preferred form for an argument `n` below 2^32. */
export function headSize(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
}

/** Writes a head of major type `major` (already shifted: 0x40 bstr, 0x60 tstr, 0x80 array…) for `n`. */
export function writeHead(out: Uint8Array, at: number, major: number, n: number): number {
  let o = at;
  if (n < 24) out[o++] = major | n;
  else if (n < 0x100) {
    out[o++] = major | 24;
    out[o++] = n;
  } else if (n < 0x10000) {
    out[o++] = major | 25;
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  } else {
    out[o++] = major | 26;
    out[o++] = n >>> 24;
    out[o++] = (n >>> 16) & 0xff;
    out[o++] = (n >>> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  return o;
}

let scratchBuffer = new Uint8Array(4096);

/**
 * A view of `n` bytes over one shared buffer, for to-be-signed bytes handed to a synchronous
 * verification and dropped right after: it spares an off-heap allocation per verification. The next
 * call overwrites it.
 */
function scratch(n: number): Uint8Array {
  if (scratchBuffer.length < n) scratchBuffer = new Uint8Array(Math.max(n, scratchBuffer.length * 2));
  return scratchBuffer.subarray(0, n);
}

/**
 * `[context, protected, external_aad, payload]`: one allocation (none with `transient`, which writes
 * into the shared scratch buffer — the result is valid until the next transient call).
 */
export function writeToBeSigned(
  context: Uint8Array,
  protectedBytes: Uint8Array,
  externalAad: Uint8Array,
  payload: Uint8Array | PayloadWriter,
  transient: boolean,
): Uint8Array {
  const payloadLength = payload.length;
  const n =
    1 +
    headSize(context.length) +
    context.length +
    headSize(protectedBytes.length) +
    protectedBytes.length +
    headSize(externalAad.length) +
    externalAad.length +
    headSize(payloadLength) +
    payloadLength;
  const out = transient ? scratch(n) : new Uint8Array(n);
  out[0] = 0x84;
  let o = writeHead(out, 1, 0x60, context.length);
  out.set(context, o);
  o = writeHead(out, o + context.length, 0x40, protectedBytes.length);
  out.set(protectedBytes, o);
  o = writeHead(out, o + protectedBytes.length, 0x40, externalAad.length);
  out.set(externalAad, o);
  o = writeHead(out, o + externalAad.length, 0x40, payloadLength);
  if (payload instanceof Uint8Array) out.set(payload, o);
  else payload.write(out, o);
  return out;
}
