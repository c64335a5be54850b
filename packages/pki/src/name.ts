/**
 * X.501 Name (RFC 5280 §4.1.2.4):
 *
 *   Name ::= CHOICE { rdnSequence RDNSequence }
 *   RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
 *   RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
 *   AttributeTypeAndValue ::= SEQUENCE { type AttributeType, value AttributeValue }
 *
 * String form: RFC 4514 attribute syntax and escaping, but written in the order of the encoding (first
 * RDN first: `C=JP, O=JPKI, OU=…`), as OpenSSL and @peculiar/x509 print names and as JPKI and
 * ISO 18013-5 documents write them. `encodeName` reads the same order back.
 *
 * Comparison (RFC 5280 §7.1): byte-equal encodings match; otherwise attribute types must be equal and
 * string values equal after case folding and whitespace compression, whatever the string type.
 */
import { Buffer } from 'node:buffer';
import {
  bytesEqual,
  elementAt,
  expectHeader,
  isStringTag,
  newHeader,
  oidAt,
  readHeader,
  readString,
  stringAt,
  Tag,
  toHex,
} from './der-reader.js';
import { ia5String, oid, printableString, sequence, setOf, utf8String } from './der-writer.js';
import { PkiError } from './errors.js';

const SHORT_TO_OID: Readonly<Record<string, string>> = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  SURNAME: '2.5.4.4',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  S: '2.5.4.8',
  STREET: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  TITLE: '2.5.4.12',
  POSTALCODE: '2.5.4.17',
  GN: '2.5.4.42',
  GIVENNAME: '2.5.4.42',
  INITIALS: '2.5.4.43',
  GENERATIONQUALIFIER: '2.5.4.44',
  DNQUALIFIER: '2.5.4.46',
  PSEUDONYM: '2.5.4.65',
  ORGANIZATIONIDENTIFIER: '2.5.4.97',
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
  E: '1.2.840.113549.1.9.1',
};

const OID_TO_SHORT: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** Types whose values X.520 / RFC 5280 restrict to PrintableString or IA5String. */
const PRINTABLE_TYPES = new Set(['2.5.4.6', '2.5.4.5', '2.5.4.46']);
const IA5_TYPES = new Set(['0.9.2342.19200300.100.1.25', '1.2.840.113549.1.9.1']);

export interface NameAttribute {
  /** Attribute type OID. */
  readonly type: string;
  /** Short name (`CN`, `O`, …) when the type has one. */
  readonly shortName?: string;
  /** The value as text when it is a character string. */
  readonly value?: string;
  /** The AttributeValue TLV as encoded. */
  readonly valueDer: Uint8Array;
}

export type StringEncoding = 'utf8' | 'printable' | 'ia5';

export interface NameAttributeInput {
  /** Short name (`CN`, `OU`, …) or dotted OID. */
  readonly type: string;
  readonly value: string;
  /** Default: PrintableString for C/serialNumber/dnQualifier, IA5String for DC/emailAddress, else UTF8String. */
  readonly encoding?: StringEncoding;
}

/** A Name as DER, as a string (`C=JP, O=JPKI`, encoding order), or as RDNs of attributes. */
export type NameInput = Uint8Array | string | readonly (readonly NameAttributeInput[])[];

export function parseName(der: Uint8Array): NameAttribute[][] {
  const h = newHeader();
  readHeader(der, 0, der.length, h);
  if (h.end !== der.length) throw new PkiError('DER_MALFORMED', 'Name: trailing data after the element');
  if (h.tag !== Tag.SEQUENCE) throw new PkiError('NAME_MALFORMED', 'Name is not a SEQUENCE');
  const out: NameAttribute[][] = [];
  const end = h.contentEnd;
  let p = h.contentStart;
  while (p < end) {
    expectHeader(der, p, end, Tag.SET, 'RelativeDistinguishedName', h);
    p = h.end;
    const setEnd = h.contentEnd;
    let q = h.contentStart;
    const attrs: NameAttribute[] = [];
    while (q < setEnd) {
      expectHeader(der, q, setEnd, Tag.SEQUENCE, 'AttributeTypeAndValue', h);
      q = h.end;
      const atvEnd = h.contentEnd;
      expectHeader(der, h.contentStart, atvEnd, Tag.OID, 'AttributeType', h);
      const type = oidAt(der, h.contentStart, h.contentEnd);
      if (h.end >= atvEnd) throw new PkiError('DER_MALFORMED', 'missing AttributeValue');
      readHeader(der, h.end, atvEnd, h);
      const shortName = OID_TO_SHORT[type];
      let value: string | undefined;
      if (isStringTag(h.tag)) {
        try {
          value =
            (h.tag & 0x20) !== 0
              ? readString(elementAt(der, h))
              : stringAt(der, h.tag, h.contentStart, h.contentEnd);
        } catch {
          value = undefined;
        }
      }
      const attr: { type: string; shortName?: string; value?: string; valueDer: Uint8Array } = {
        type,
        valueDer: der.subarray(h.start, h.end),
      };
      if (shortName !== undefined) attr.shortName = shortName;
      if (value !== undefined) attr.value = value;
      attrs.push(attr);
    }
    if (attrs.length === 0) throw new PkiError('NAME_MALFORMED', 'empty RelativeDistinguishedName');
    out.push(attrs);
  }
  return out;
}

const SPECIAL = /[\\,+"<>;=]/;

function escapeValue(v: string): string {
  if (!SPECIAL.test(v) && v[0] !== '#' && v[0] !== ' ' && v[v.length - 1] !== ' ') return v;
  let s = v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  if (s.startsWith('#') || s.startsWith(' ')) s = `\\${s}`;
  if (s.endsWith(' ') && s.length > 1) s = `${s.slice(0, -1)}\\ `;
  return s;
}

/** The string form of a DER Name, in encoding order (see the module comment). */
export function nameToString(der: Uint8Array): string {
  return formatName(parseName(der));
}

/** The string form of a parsed Name (see `nameToString`). */
export function formatName(rdns: readonly (readonly NameAttribute[])[]): string {
  let out = '';
  for (let i = 0; i < rdns.length; i++) {
    if (i > 0) out += ', ';
    const rdn = rdns[i]!;
    for (let j = 0; j < rdn.length; j++) {
      const a = rdn[j]!;
      if (j > 0) out += '+';
      out += `${a.shortName ?? a.type}=${a.value !== undefined ? escapeValue(a.value) : `#${toHex(a.valueDer)}`}`;
    }
  }
  return out;
}

/**
 * Checks that `der` is a well-formed Name (the structure `parseName` reads) without decoding any value:
 * certificates check their names when parsed and build the string forms only when asked.
 */
export function checkNameStructure(der: Uint8Array): void {
  const h = newHeader();
  expectHeader(der, 0, der.length, Tag.SEQUENCE, 'Name', h);
  if (h.end !== der.length) throw new PkiError('DER_MALFORMED', 'Name: trailing data after the element');
  const end = h.contentEnd;
  let p = h.contentStart;
  while (p < end) {
    expectHeader(der, p, end, Tag.SET, 'RelativeDistinguishedName', h);
    const setEnd = h.contentEnd;
    p = h.end;
    let q = h.contentStart;
    if (q >= setEnd) throw new PkiError('NAME_MALFORMED', 'empty RelativeDistinguishedName');
    while (q < setEnd) {
      expectHeader(der, q, setEnd, Tag.SEQUENCE, 'AttributeTypeAndValue', h);
      const atvEnd = h.contentEnd;
      q = h.end;
      expectHeader(der, h.contentStart, atvEnd, Tag.OID, 'AttributeType', h);
      if (h.contentEnd === h.contentStart || (der[h.contentEnd - 1]! & 0x80) !== 0)
        throw new PkiError('DER_MALFORMED', 'bad AttributeType');
      if (h.end >= atvEnd) throw new PkiError('DER_MALFORMED', 'missing AttributeValue');
      readHeader(der, h.end, atvEnd, h);
    }
  }
}

/** Issuer names repeat: the same CA name is on every certificate it issues. */
const issuerStrings = new Map<number, { readonly der: Uint8Array; readonly text: string }[]>();
const ISSUER_STRINGS_MAX = 1024;
let issuerStringsSize = 0;

/**
 * `nameToString` through the cache of repeated names (for issuer names), looked up by a hash of the exact
 * encoding and confirmed byte for byte. Bounded: once full, further names are formatted each time.
 */
export function nameToStringCached(der: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < der.length; i++) h = Math.imul(h ^ der[i]!, 0x01000193);
  const bucket = issuerStrings.get(h);
  if (bucket !== undefined) for (const e of bucket) if (bytesEqual(e.der, der)) return e.text;
  const text = nameToString(der);
  if (issuerStringsSize < ISSUER_STRINGS_MAX) {
    issuerStringsSize++;
    const entry = { der: der.slice(), text };
    if (bucket === undefined) issuerStrings.set(h, [entry]);
    else bucket.push(entry);
  }
  return text;
}

/** Splits on an unescaped separator. */
function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

function unescapeValue(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const h = s.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(h)) {
        bytes.push(Number.parseInt(h, 16));
        i += 2;
      } else if (i + 1 < s.length) {
        bytes.push(...Buffer.from(s[i + 1]!, 'utf8'));
        i++;
      }
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Parses `C=JP, O=JPKI, OU=…` (encoding order; `+` joins a multi-valued RDN). */
export function parseNameString(s: string): NameAttributeInput[][] {
  if (s.trim() === '') return [];
  return splitUnescaped(s, ',').map((rdn) =>
    splitUnescaped(rdn, '+').map((atv) => {
      const eq = atv.indexOf('=');
      if (eq < 1) throw new PkiError('NAME_MALFORMED', 'attribute without "="');
      const type = atv.slice(0, eq).trim();
      const raw = atv.slice(eq + 1).trim();
      return { type, value: unescapeValue(raw) };
    }),
  );
}

function typeOid(type: string): string {
  if (/^\d+(\.\d+)+$/.test(type)) return type;
  const o = SHORT_TO_OID[type.toUpperCase()];
  if (o === undefined) throw new PkiError('NAME_MALFORMED', `unknown attribute type ${type}`);
  return o;
}

function encodeValue(type: string, value: string, encoding?: StringEncoding): Uint8Array {
  const enc = encoding ?? (PRINTABLE_TYPES.has(type) ? 'printable' : IA5_TYPES.has(type) ? 'ia5' : 'utf8');
  if (enc === 'printable') return printableString(value);
  if (enc === 'ia5') return ia5String(value);
  return utf8String(value);
}

/** DER of a Name. An empty string or list gives the empty Name. */
export function encodeName(input: NameInput): Uint8Array {
  if (input instanceof Uint8Array) {
    parseName(input);
    return input;
  }
  const rdns = typeof input === 'string' ? parseNameString(input) : input;
  return sequence(
    ...rdns.map((rdn) =>
      setOf(
        ...rdn.map((a) => {
          const t = typeOid(a.type);
          if (a.value.startsWith('#') && /^#([0-9a-fA-F]{2})+$/.test(a.value))
            return sequence(oid(t), Uint8Array.from(Buffer.from(a.value.slice(1), 'hex')));
          return sequence(oid(t), encodeValue(t, a.value, a.encoding));
        }),
      ),
    ),
  );
}

function normalise(v: string): string {
  return v.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** RFC 5280 §7.1 name matching. */
export function namesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (bytesEqual(a, b)) return true;
  let pa: NameAttribute[][];
  let pb: NameAttribute[][];
  try {
    pa = parseName(a);
    pb = parseName(b);
  } catch {
    return false;
  }
  if (pa.length !== pb.length) return false;
  for (let i = 0; i < pa.length; i++) {
    const ra = pa[i]!;
    const rb = pb[i]!;
    if (ra.length !== rb.length) return false;
    const used = new Set<number>();
    for (const x of ra) {
      const j = rb.findIndex((y, k) => !used.has(k) && attributeEqual(x, y));
      if (j < 0) return false;
      used.add(j);
    }
  }
  return true;
}

function attributeEqual(x: NameAttribute, y: NameAttribute): boolean {
  if (x.type !== y.type) return false;
  if (x.value !== undefined && y.value !== undefined) return normalise(x.value) === normalise(y.value);
  return bytesEqual(x.valueDer, y.valueDer);
}
