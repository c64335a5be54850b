/**
 * A small DER writer (ITU-T X.690 §10): minimal lengths, minimal INTEGERs, sorted SET OF.
 *
 * Everything mynakit issues — certificates, CRLs, OCSP responses, CMS SignedData — is encoded here, so
 * the output is deterministic and byte-for-byte what gets signed. Each function returns the complete
 * TLV as a fresh Uint8Array.
 */
import { Buffer } from 'node:buffer';
import { concatBytes, fromHex, Tag } from './der-reader.js';
import { PkiError } from './errors.js';

/**
 * A TLV with a low-number identifier octet. The identifier, the length (X.690 §10.1: the definite form,
 * short below 128, else the fewest octets) and the contents are written straight into the one output.
 */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array<ArrayBuffer> {
  return tlvOf(tag, content);
}

function tlvOf(tag: number, content: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let n = 0;
  for (const c of content) n += c.length;
  let lengthOctets = 0;
  if (n >= 0x80) for (let v = n; v > 0; v = Math.floor(v / 256)) lengthOctets++;
  const head = 2 + lengthOctets;
  const out = new Uint8Array(head + n);
  out[0] = tag;
  if (lengthOctets === 0) out[1] = n;
  else {
    out[1] = 0x80 | lengthOctets;
    for (let i = head - 1, v = n; i >= 2; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  }
  let o = head;
  for (const c of content) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export const sequence = (...items: Uint8Array[]): Uint8Array<ArrayBuffer> => tlvOf(Tag.SEQUENCE, items);

/** A TLV over a list of any length (spreading a long list into arguments would overflow the stack). */
export function tlvList(tag: number, items: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  return tlvOf(tag, items);
}

/** SET OF: DER orders the encodings as octet strings (X.690 §11.6). */
export function setOf(...items: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const sorted = [...items].sort(compareBytes);
  return tlv(Tag.SET, ...sorted);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** [n] EXPLICIT: wraps a complete TLV. */
export const explicit = (n: number, ...inner: Uint8Array[]): Uint8Array<ArrayBuffer> =>
  tlv(0xa0 | n, ...inner);

/** [n] IMPLICIT: replaces the identifier of `inner` (a complete TLV), keeping its constructed bit. */
export function implicit(n: number, inner: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(inner);
  out[0] = (inner[0]! & 0x20) | 0x80 | n;
  return out;
}

export function integer(v: bigint | number | Uint8Array): Uint8Array<ArrayBuffer> {
  if (v instanceof Uint8Array) return tlv(Tag.INTEGER, minimalUnsigned(v));
  let n = BigInt(v);
  const bytes: number[] = [];
  if (n >= 0n) {
    do {
      bytes.unshift(Number(n & 0xffn));
      n >>= 8n;
    } while (n > 0n);
    if ((bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  } else {
    do {
      bytes.unshift(Number(n & 0xffn));
      n >>= 8n;
    } while (n < -1n || (bytes[0]! & 0x80) === 0);
  }
  return tlv(Tag.INTEGER, Uint8Array.from(bytes));
}

/** An unsigned magnitude as INTEGER contents: strips leading zeros, adds a sign byte when needed. */
function minimalUnsigned(v: Uint8Array): Uint8Array {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  const m = v.subarray(i);
  if (m.length === 0) return Uint8Array.of(0);
  return (m[0]! & 0x80) !== 0 ? concatBytes([Uint8Array.of(0), m]) : m;
}

export const enumerated = (v: number): Uint8Array<ArrayBuffer> => {
  const i = integer(v);
  i[0] = Tag.ENUMERATED;
  return i;
};

export const boolean = (v: boolean): Uint8Array<ArrayBuffer> => Uint8Array.of(Tag.BOOLEAN, 1, v ? 0xff : 0);
export const nullValue = (): Uint8Array<ArrayBuffer> => Uint8Array.of(Tag.NULL, 0);
export const octetString = (v: Uint8Array): Uint8Array<ArrayBuffer> => tlv(Tag.OCTET_STRING, v);
export const bitString = (v: Uint8Array, unusedBits = 0): Uint8Array<ArrayBuffer> =>
  tlv(Tag.BIT_STRING, Uint8Array.of(unusedBits), v);

const OID_CACHE = new Map<string, Uint8Array<ArrayBuffer>>();

export function oid(dotted: string): Uint8Array<ArrayBuffer> {
  const cached = OID_CACHE.get(dotted);
  if (cached !== undefined) return cached;
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new PkiError('INVALID_ARGUMENT', `bad OID ${dotted}`);
    return BigInt(a);
  });
  if (arcs.length < 2 || arcs[0]! > 2n) throw new PkiError('INVALID_ARGUMENT', `bad OID ${dotted}`);
  const body: number[] = [];
  const push = (n: bigint): void => {
    const tmp: number[] = [Number(n & 0x7fn)];
    for (let v = n >> 7n; v > 0n; v >>= 7n) tmp.unshift(Number(v & 0x7fn) | 0x80);
    body.push(...tmp);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  const out = tlv(Tag.OID, Uint8Array.from(body));
  if (OID_CACHE.size < 512) OID_CACHE.set(dotted, out);
  return out;
}

export const utf8String = (s: string): Uint8Array<ArrayBuffer> =>
  tlv(Tag.UTF8_STRING, new Uint8Array(Buffer.from(s, 'utf8')));
export const ia5String = (s: string): Uint8Array<ArrayBuffer> => tlv(Tag.IA5_STRING, ascii(s, 'IA5String'));

export function printableString(s: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s)) throw new PkiError('INVALID_ARGUMENT', 'not a PrintableString');
  return tlv(Tag.PRINTABLE_STRING, ascii(s, 'PrintableString'));
}

function ascii(s: string, what: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) throw new PkiError('INVALID_ARGUMENT', `not an ${what}`);
    out[i] = c;
  }
  return out;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function timeDigits(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new PkiError('INVALID_ARGUMENT', 'invalid Date');
  return (
    pad(d.getUTCMonth() + 1) +
    pad(d.getUTCDate()) +
    pad(d.getUTCHours()) +
    pad(d.getUTCMinutes()) +
    pad(d.getUTCSeconds())
  );
}

export const utcTime = (d: Date): Uint8Array<ArrayBuffer> =>
  tlv(Tag.UTC_TIME, ascii(pad(d.getUTCFullYear() % 100) + timeDigits(d) + 'Z', 'time'));

export const generalizedTime = (d: Date): Uint8Array<ArrayBuffer> =>
  tlv(Tag.GENERALIZED_TIME, ascii(pad(d.getUTCFullYear(), 4) + timeDigits(d) + 'Z', 'time'));

/** Milliseconds are dropped (DER times here are whole seconds). RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
export const x509Time = (d: Date): Uint8Array<ArrayBuffer> => {
  const y = d.getUTCFullYear();
  return y >= 1950 && y < 2050 ? utcTime(d) : generalizedTime(d);
};

export { fromHex };
