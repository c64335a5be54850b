/**
 * The few DER encodings the JPKI extensions of this package need that `@mynakit/pki` does not offer as
 * extension inputs yet: the full AuthorityKeyIdentifier (RFC 5280 §4.2.1.1), IssuerAltName (§4.2.1.7)
 * and certificate policies with a CPS qualifier (§4.2.1.4). Reading goes through pki's DER reader; only
 * this writing is local, and it belongs in pki's extension writer (one implementation per format) — when
 * pki grows these inputs, this file goes.
 *
 * X.690 §8.1: identifier octet, definite length (short form below 128, else long form), contents.
 */
import { encodeName, type NameInput } from '@mynakit/pki';
import { JpkiError } from './errors.js';

/** One TLV with a low tag number (all we write) and a definite, minimal length (X.690 §10.1). */
export function tlv(tag: number, ...content: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const c of content) length += c.length;
  const head: number[] = [tag];
  if (length < 0x80) head.push(length);
  else {
    const bytes: number[] = [];
    for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
    head.push(0x80 | bytes.length, ...bytes);
  }
  const out = new Uint8Array(head.length + length);
  out.set(head, 0);
  let p = head.length;
  for (const c of content) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

export const sequence = (...items: readonly Uint8Array[]): Uint8Array => tlv(0x30, ...items);

/** OBJECT IDENTIFIER (X.690 §8.19): first two arcs as 40·a + b, then base-128 arcs. */
export function objectIdentifier(dotted: string): Uint8Array {
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(dotted))
    throw new JpkiError('INVALID_ARGUMENT', 'an object identifier must be dotted decimal');
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const [a = 0n, b = 0n] = arcs;
  if (a < 2n && b > 39n) throw new JpkiError('INVALID_ARGUMENT', 'object identifier arc out of range');
  const body: number[] = [];
  for (const arc of [a * 40n + b, ...arcs.slice(2)]) {
    const groups: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) groups.unshift(Number(v & 0x7fn) | 0x80);
    body.push(...groups);
  }
  return tlv(0x06, Uint8Array.from(body));
}

/** IA5String contents are 7-bit (X.680 §41); a URI or mail address beyond that is refused. */
export function ia5Bytes(text: string): Uint8Array {
  for (let i = 0; i < text.length; i++)
    if (text.charCodeAt(i) > 0x7f)
      throw new JpkiError('INVALID_ARGUMENT', 'an IA5String (URI, mail address) must be ASCII');
  return new TextEncoder().encode(text);
}

/** INTEGER contents of a non-negative serial number given as hex of its magnitude (pki's text form). */
export function positiveIntegerBytes(hex: string): Uint8Array {
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw new JpkiError('INVALID_ARGUMENT', 'a serial number must be hex');
  const even = hex.length % 2 === 0 ? hex : `0${hex}`;
  let bytes = Uint8Array.from(Buffer.from(even, 'hex'));
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0 && (bytes[i + 1] ?? 0) < 0x80) i++;
  bytes = bytes.subarray(i);
  return (bytes[0] ?? 0) >= 0x80 ? Uint8Array.from([0, ...bytes]) : bytes;
}

/** GeneralName choices this package writes (RFC 5280 §4.2.1.6). */
export type WritableGeneralName =
  | { readonly type: 'directoryName'; readonly value: NameInput }
  | { readonly type: 'rfc822Name' | 'dNSName' | 'uniformResourceIdentifier'; readonly value: string };

const IA5_TAG = { rfc822Name: 0x81, dNSName: 0x82, uniformResourceIdentifier: 0x86 } as const;

/** GeneralName: directoryName is `[4] EXPLICIT Name` (a CHOICE is always explicitly tagged); the rest IMPLICIT. */
export function generalName(n: WritableGeneralName): Uint8Array {
  if (n.type === 'directoryName') return tlv(0xa4, encodeName(n.value));
  return tlv(IA5_TAG[n.type], ia5Bytes(n.value));
}

/** The contents of a GeneralNames SEQUENCE (for IMPLICIT tagging, e.g. authorityCertIssuer [1]). */
export function generalNamesContents(names: readonly WritableGeneralName[]): Uint8Array[] {
  if (names.length === 0) throw new JpkiError('INVALID_ARGUMENT', 'GeneralNames needs at least one name');
  return names.map(generalName);
}
