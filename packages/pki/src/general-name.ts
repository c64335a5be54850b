/**
 * GeneralName (RFC 5280 §4.2.1.6), used by subjectAltName, CRL distribution points, AIA and OCSP:
 *
 *   GeneralName ::= CHOICE {
 *     otherName                 [0] OtherName,
 *     rfc822Name                [1] IA5String,
 *     dNSName                   [2] IA5String,
 *     x400Address               [3] ORAddress,
 *     directoryName             [4] Name,
 *     ediPartyName              [5] EDIPartyName,
 *     uniformResourceIdentifier [6] IA5String,
 *     iPAddress                 [7] OCTET STRING,
 *     registeredID              [8] OBJECT IDENTIFIER }
 *   OtherName ::= SEQUENCE { type-id OBJECT IDENTIFIER, value [0] EXPLICIT ANY DEFINED BY type-id }
 *
 * The module is IMPLICIT-tagged, but directoryName is a CHOICE and so stays explicitly tagged.
 * JPKI signature certificates carry the holder's basic four facts as otherNames whose values are
 * UTF8Strings; `text` exposes such string values, `valueDer` keeps the exact encoding.
 */
import { Buffer } from 'node:buffer';
import {
  children,
  type DerElement,
  type DerHeader,
  elementAt,
  expectHeader,
  isStringTag,
  newHeader,
  oidAt,
  readDer,
  readHeader,
  readOid,
  readString,
  stringAt,
  Tag,
  toHex,
} from './der-reader.js';
import { explicit, ia5String, implicit, oid, sequence, tlv, utf8String } from './der-writer.js';
import { PkiError } from './errors.js';
import { encodeName, type NameInput, nameToString } from './name.js';

export type GeneralName =
  | {
      readonly type: 'otherName';
      readonly typeId: string;
      readonly valueDer: Uint8Array;
      readonly text?: string;
    }
  | { readonly type: 'rfc822Name' | 'dNSName' | 'uniformResourceIdentifier'; readonly value: string }
  | { readonly type: 'directoryName'; readonly value: string; readonly der: Uint8Array }
  | { readonly type: 'iPAddress'; readonly value: string; readonly bytes: Uint8Array }
  | { readonly type: 'registeredID'; readonly value: string }
  | { readonly type: 'x400Address' | 'ediPartyName'; readonly der: Uint8Array };

export type GeneralNameInput =
  | { readonly type: 'otherName'; readonly typeId: string; readonly value: string }
  | { readonly type: 'otherName'; readonly typeId: string; readonly valueDer: Uint8Array }
  | { readonly type: 'rfc822Name' | 'dNSName' | 'uniformResourceIdentifier'; readonly value: string }
  | { readonly type: 'directoryName'; readonly value: NameInput }
  | { readonly type: 'iPAddress'; readonly value: string }
  | { readonly type: 'registeredID'; readonly value: string };

function ia5(el: DerElement): string {
  return Buffer.from(el.value).toString('latin1');
}

function ipToString(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length === 16) {
    const parts: string[] = [];
    for (let i = 0; i < 16; i += 2) parts.push(((b[i]! << 8) | b[i + 1]!).toString(16));
    return parts.join(':');
  }
  return toHex(b); // an address with a mask (name constraints)
}

export function readGeneralName(el: DerElement): GeneralName {
  if (el.tagClass !== 2) throw new PkiError('DER_MALFORMED', 'GeneralName is not context-tagged');
  switch (el.tagNumber) {
    case 0: {
      const r = children(el, 'OtherName');
      const typeId = readOid(r.expect(Tag.OID, 'type-id'));
      const wrapper = r.expect(0xa0, 'OtherName value');
      const inner = readDer(wrapper.value, 'OtherName value');
      let text: string | undefined;
      if (isStringTag(inner.tag)) {
        try {
          text = readString(inner);
        } catch {
          text = undefined;
        }
      }
      return { type: 'otherName', typeId, valueDer: inner.bytes, ...(text !== undefined ? { text } : {}) };
    }
    case 1:
      return { type: 'rfc822Name', value: ia5(el) };
    case 2:
      return { type: 'dNSName', value: ia5(el) };
    case 3:
      return { type: 'x400Address', der: el.bytes };
    case 4: {
      const der = readDer(el.value, 'directoryName').bytes;
      return { type: 'directoryName', value: nameToString(der), der };
    }
    case 5:
      return { type: 'ediPartyName', der: el.bytes };
    case 6:
      return { type: 'uniformResourceIdentifier', value: ia5(el) };
    case 7:
      return { type: 'iPAddress', value: ipToString(el.value), bytes: el.value };
    case 8:
      return { type: 'registeredID', value: readOid(el) };
    default:
      throw new PkiError('DER_MALFORMED', `unknown GeneralName tag [${el.tagNumber}]`);
  }
}

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName, given its contents. */
export function readGeneralNames(value: Uint8Array): GeneralName[] {
  const h = newHeader();
  const out: GeneralName[] = [];
  const end = value.length;
  let p = 0;
  while (p < end) {
    readHeader(value, p, end, h);
    p = h.end;
    // otherNames (JPKI's basic four) are read in place; the other choices are few and rare.
    out.push(
      h.tag === 0xa0
        ? otherNameAt(value, h.contentStart, h.contentEnd, h)
        : readGeneralName(elementAt(value, h)),
    );
  }
  return out;
}

/** OtherName ::= SEQUENCE { type-id OBJECT IDENTIFIER, value [0] EXPLICIT ANY }, given its contents. */
function otherNameAt(buf: Uint8Array, start: number, end: number, h: DerHeader): GeneralName {
  expectHeader(buf, start, end, Tag.OID, 'type-id', h);
  const typeId = oidAt(buf, h.contentStart, h.contentEnd);
  expectHeader(buf, h.end, end, 0xa0, 'OtherName value', h);
  const wrapperEnd = h.contentEnd;
  readHeader(buf, h.contentStart, wrapperEnd, h);
  if (h.end !== wrapperEnd)
    throw new PkiError('DER_MALFORMED', 'OtherName value: trailing data after the element');
  const valueDer = buf.subarray(h.start, h.end);
  let text: string | undefined;
  if (isStringTag(h.tag)) {
    try {
      text =
        (h.tag & 0x20) !== 0
          ? readString(elementAt(buf, h))
          : stringAt(buf, h.tag, h.contentStart, h.contentEnd);
    } catch {
      text = undefined;
    }
  }
  return text !== undefined
    ? { type: 'otherName', typeId, valueDer, text }
    : { type: 'otherName', typeId, valueDer };
}

function ipBytes(s: string): Uint8Array {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(s)) return Uint8Array.from(s.split('.').map(Number));
  if (s.includes(':')) {
    const [head, tail] = s.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    if (groups.length !== 8) throw new PkiError('INVALID_ARGUMENT', 'bad IPv6 address');
    const out = new Uint8Array(16);
    groups.forEach((g, i) => {
      const v = Number.parseInt(g, 16);
      out[2 * i] = v >> 8;
      out[2 * i + 1] = v & 0xff;
    });
    return out;
  }
  throw new PkiError('INVALID_ARGUMENT', 'bad IP address');
}

export function encodeGeneralName(n: GeneralNameInput): Uint8Array {
  switch (n.type) {
    case 'otherName': {
      const value = 'valueDer' in n ? n.valueDer : utf8String(n.value);
      return implicit(0, sequence(oid(n.typeId), explicit(0, value)));
    }
    case 'rfc822Name':
      return implicit(1, ia5String(n.value));
    case 'dNSName':
      return implicit(2, ia5String(n.value));
    case 'directoryName':
      return explicit(4, encodeName(n.value));
    case 'uniformResourceIdentifier':
      return implicit(6, ia5String(n.value));
    case 'iPAddress':
      return tlv(0x87, ipBytes(n.value));
    case 'registeredID':
      return implicit(8, oid(n.value));
  }
}

export const encodeGeneralNames = (names: readonly GeneralNameInput[]): Uint8Array =>
  sequence(...names.map(encodeGeneralName));
