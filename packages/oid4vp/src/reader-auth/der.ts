import { Oid4vpError } from '../errors.js';

/**
 * The little DER this package writes and reads itself: SEQUENCE, OBJECT IDENTIFIER and UTF8String,
 * for the certificatePolicies value of the reader-authentication profile (X.690 §8, DER rules of
 * §10). Certificates themselves are built and parsed by @mynakit/pki.
 */
const SEQUENCE = 0x30;
const OID = 0x06;
const UTF8 = 0x0c;

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

function tlv(tag: number, content: Uint8Array): Uint8Array {
  const head = [tag, ...lengthBytes(content.length)];
  const out = new Uint8Array(head.length + content.length);
  out.set(head, 0);
  out.set(content, head.length);
  return out;
}

export function derSequence(...items: Uint8Array[]): Uint8Array {
  const total = items.reduce((n, i) => n + i.length, 0);
  const content = new Uint8Array(total);
  let o = 0;
  for (const i of items) {
    content.set(i, o);
    o += i.length;
  }
  return tlv(SEQUENCE, content);
}

export function derUtf8(s: string): Uint8Array {
  return tlv(UTF8, new TextEncoder().encode(s));
}

export function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new Oid4vpError('DECODE', 'an OID has a non-numeric arc');
    return BigInt(a);
  });
  if (arcs.length < 2 || (arcs[0] as bigint) > 2n) throw new Oid4vpError('DECODE', 'not an OID');
  const body: number[] = [];
  const push = (v: bigint) => {
    const groups: number[] = [Number(v & 0x7fn)];
    for (let x = v >> 7n; x > 0n; x >>= 7n) groups.unshift(Number(x & 0x7fn) | 0x80);
    body.push(...groups);
  };
  push((arcs[0] as bigint) * 40n + (arcs[1] as bigint));
  for (const a of arcs.slice(2)) push(a);
  return tlv(OID, new Uint8Array(body));
}

export interface DerItem {
  readonly tag: number;
  readonly content: Uint8Array;
  /** The whole TLV. */
  readonly raw: Uint8Array;
}

/** Splits DER content into its TLVs (definite lengths only); throws DECODE on malformed input. */
export function derItems(bytes: Uint8Array): DerItem[] {
  const out: DerItem[] = [];
  let o = 0;
  while (o < bytes.length) {
    const start = o;
    const tag = bytes[o++] as number;
    if (o >= bytes.length) throw new Oid4vpError('DECODE', 'DER item truncated');
    let len = bytes[o++] as number;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4 || o + n > bytes.length) throw new Oid4vpError('DECODE', 'bad DER length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (bytes[o++] as number);
    }
    if (o + len > bytes.length) throw new Oid4vpError('DECODE', 'DER length beyond input');
    out.push({ tag, content: bytes.subarray(o, o + len), raw: bytes.subarray(start, o + len) });
    o += len;
  }
  return out;
}

export function derOne(bytes: Uint8Array, tag: number, what: string): DerItem {
  const items = derItems(bytes);
  if (items.length !== 1 || items[0]!.tag !== tag)
    throw new Oid4vpError('DECODE', `${what}: unexpected DER structure`);
  return items[0]!;
}

export function readUtf8(item: DerItem, what: string): string {
  if (item.tag !== UTF8) throw new Oid4vpError('DECODE', `${what} must be a UTF8String`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(item.content);
  } catch (e) {
    throw new Oid4vpError('DECODE', `${what} is not UTF-8`, { cause: e });
  }
}

export const DER_TAG = { SEQUENCE, OID, UTF8 } as const;
