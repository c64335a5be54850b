/**
 * Certificate and CRL extensions (RFC 5280 §4.2, §5.2), read and written.
 *
 *   Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
 *   Extension  ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE,
 *                             extnValue OCTET STRING -- contains the DER of the extension value }
 *
 * Readers take the extnValue contents; writers return a complete Extension TLV. Each value type's
 * ASN.1 is quoted at its reader.
 */
import { Buffer } from 'node:buffer';
// A function declaration, so the import cycle with certificate.ts (which reads extensions) is harmless.
import { serialToBigInt } from './certificate.js';
import {
  bitStringAt,
  children,
  contentSpan,
  type DerElement,
  type DerHeader,
  DerReader,
  elementAt,
  expectHeader,
  hexAt,
  newHeader,
  oidAt,
  readBoolean,
  readDer,
  readHeader,
  readOctetString,
  readOid,
  readSmallInt,
  Tag,
  toHex,
} from './der-reader.js';
import {
  bitString,
  boolean,
  explicit,
  ia5String,
  implicit,
  integer,
  nullValue,
  octetString,
  oid,
  sequence,
  tlv,
} from './der-writer.js';
import { PkiError } from './errors.js';
import {
  encodeGeneralName,
  encodeGeneralNames,
  type GeneralName,
  type GeneralNameInput,
  readGeneralName,
  readGeneralNames,
} from './general-name.js';
import { EKU_NAMES, OID } from './oids.js';

export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** extnValue contents: the DER of the extension value. */
  readonly value: Uint8Array;
}

/** Reads `Extensions` given its SEQUENCE element. Duplicate extensions are malformed (§4.2). */
export function readExtensions(seq: DerElement): Extension[] {
  if (!seq.constructed) throw new PkiError('DER_MALFORMED', 'Extensions: expected a constructed element');
  const { buf, start, end } = contentSpan(seq);
  return extensionsAt(buf, start, end);
}

/** The Extension list whose SEQUENCE contents are `buf[start..end)` (read in place, see DerHeader). */
export function extensionsAt(buf: Uint8Array, start: number, end: number): Extension[] {
  const h = newHeader();
  const out: Extension[] = [];
  let p = start;
  while (p < end) {
    expectHeader(buf, p, end, Tag.SEQUENCE, 'Extension', h);
    const eEnd = h.contentEnd;
    p = h.end;
    expectHeader(buf, h.contentStart, eEnd, Tag.OID, 'extnID', h);
    const id = oidAt(buf, h.contentStart, h.contentEnd);
    let q = h.end;
    let critical = false;
    if (q < eEnd && buf[q] === Tag.BOOLEAN) {
      readHeader(buf, q, eEnd, h);
      if (h.contentEnd - h.contentStart !== 1) throw new PkiError('DER_MALFORMED', 'bad BOOLEAN');
      const v = buf[h.contentStart]!;
      // X.690 §11.1: DER writes TRUE as FF
      if (v !== 0 && v !== 0xff) throw new PkiError('DER_MALFORMED', 'BOOLEAN neither 00 nor FF (DER)');
      critical = v !== 0;
      q = h.end;
    }
    expectHeader(buf, q, eEnd, Tag.OCTET_STRING, 'extnValue', h);
    if (h.end !== eEnd) throw new PkiError('DER_MALFORMED', 'Extension: unexpected trailing data');
    for (let i = 0; i < out.length; i++)
      if (out[i]!.oid === id) throw new PkiError('DER_MALFORMED', `duplicate extension ${id}`);
    out.push({ oid: id, critical, value: buf.subarray(h.contentStart, h.contentEnd) });
  }
  return out;
}

// ---- value readers ----

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLength?: number;
}

export function readBasicConstraints(value: Uint8Array): BasicConstraints {
  const r = children(readDer(value, 'BasicConstraints'), 'BasicConstraints');
  const ca = r.optional(Tag.BOOLEAN);
  const pl = r.optional(Tag.INTEGER);
  r.finish('BasicConstraints');
  const pathLength = pl ? readSmallInt(pl) : undefined;
  if (pathLength !== undefined && pathLength < 0)
    throw new PkiError('DER_MALFORMED', 'negative pathLenConstraint');
  return { ca: ca ? readBoolean(ca) : false, ...(pathLength !== undefined ? { pathLength } : {}) };
}

/** KeyUsage ::= BIT STRING { digitalSignature (0), nonRepudiation (1), … decipherOnly (8) } */
export const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGE_NAMES)[number];

/** The one element `value` holds (extension values are exactly one TLV), read in place into `h`. */
function wholeValue(value: Uint8Array, what: string, h: DerHeader): DerHeader {
  readHeader(value, 0, value.length, h);
  if (h.end !== value.length) throw new PkiError('DER_MALFORMED', `${what}: trailing data after the element`);
  return h;
}

function readNamedBits<T extends string>(value: Uint8Array, names: readonly T[]): T[] {
  const bytes = bitStringAt(value, wholeValue(value, 'BIT STRING', newHeader())).bytes;
  const out: T[] = [];
  for (let i = 0; i < names.length; i++) {
    const byte = bytes[i >> 3];
    if (byte !== undefined && (byte & (0x80 >> (i & 7))) !== 0) out.push(names[i]!);
  }
  return out;
}

/** A named-bit BIT STRING in DER: trailing zero bits dropped (X.690 §11.2.2). */
function namedBits<T extends string>(set: readonly T[], names: readonly T[]): Uint8Array {
  let last = -1;
  const bytes = new Uint8Array(Math.ceil(names.length / 8));
  names.forEach((n, i) => {
    if (set.includes(n)) {
      bytes[i >> 3]! |= 0x80 >> (i & 7);
      last = i;
    }
  });
  if (last < 0) return bitString(new Uint8Array(0));
  const len = (last >> 3) + 1;
  return bitString(bytes.subarray(0, len), 7 - (last & 7));
}

export const readKeyUsage = (value: Uint8Array): KeyUsage[] => readNamedBits(value, KEY_USAGE_NAMES);

/** ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId */
export function readExtKeyUsage(value: Uint8Array): string[] {
  const r = children(readDer(value, 'ExtKeyUsageSyntax'));
  const out: string[] = [];
  while (!r.done) out.push(readOid(r.expect(Tag.OID, 'KeyPurposeId')));
  return out;
}

/** SubjectKeyIdentifier ::= KeyIdentifier ::= OCTET STRING */
export function readSubjectKeyIdentifier(value: Uint8Array): string {
  const h = wholeValue(value, 'SubjectKeyIdentifier', newHeader());
  return (h.tag & 0x20) === 0
    ? hexAt(value, h.contentStart, h.contentEnd)
    : toHex(readOctetString(elementAt(value, h)));
}

/**
 * AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] KeyIdentifier OPTIONAL,
 *   authorityCertIssuer [1] GeneralNames OPTIONAL, authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL }
 */
export function readAuthorityKeyIdentifier(value: Uint8Array): { keyIdentifier?: string } {
  const h = wholeValue(value, 'AuthorityKeyIdentifier', newHeader());
  if ((h.tag & 0x20) === 0) throw new PkiError('DER_MALFORMED', 'structure: expected a constructed element');
  if (h.contentStart >= h.contentEnd || value[h.contentStart] !== 0x80) return {};
  readHeader(value, h.contentStart, h.contentEnd, h);
  return { keyIdentifier: hexAt(value, h.contentStart, h.contentEnd) };
}

/**
 * certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation
 * PolicyInformation ::= SEQUENCE { policyIdentifier CertPolicyId, policyQualifiers … OPTIONAL }
 */
export function readCertificatePolicies(value: Uint8Array): string[] {
  const h = wholeValue(value, 'certificatePolicies', newHeader());
  if ((h.tag & 0x20) === 0) throw new PkiError('DER_MALFORMED', 'structure: expected a constructed element');
  const out: string[] = [];
  const end = h.contentEnd;
  let p = h.contentStart;
  while (p < end) {
    expectHeader(value, p, end, Tag.SEQUENCE, 'PolicyInformation', h);
    p = h.end;
    expectHeader(value, h.contentStart, h.contentEnd, Tag.OID, 'policy', h);
    out.push(oidAt(value, h.contentStart, h.contentEnd));
  }
  return out;
}

/** SubjectAltName ::= GeneralNames */
export const readSubjectAltName = (value: Uint8Array): GeneralName[] =>
  readGeneralNames(readDer(value, 'GeneralNames').value);

/**
 * ReasonFlags ::= BIT STRING { unused (0), keyCompromise (1), cACompromise (2), affiliationChanged (3),
 *   superseded (4), cessationOfOperation (5), certificateHold (6), privilegeWithdrawn (7), aACompromise (8) }
 */
export const REASON_FLAG_NAMES = [
  'unused',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
export type ReasonFlag = (typeof REASON_FLAG_NAMES)[number];

/**
 * DistributionPointName ::= CHOICE { fullName [0] GeneralNames,
 *                                    nameRelativeToCRLIssuer [1] RelativeDistinguishedName }
 */
export type DistributionPointName =
  | { readonly fullName: GeneralName[] }
  | { readonly nameRelativeToCRLIssuer: Uint8Array };

/**
 * DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL,
 *   reasons [1] ReasonFlags OPTIONAL, cRLIssuer [2] GeneralNames OPTIONAL }
 */
export interface DistributionPoint {
  readonly distributionPoint?: DistributionPointName;
  readonly reasons?: ReasonFlag[];
  readonly cRLIssuer?: GeneralName[];
}

export function readDistributionPointName(el: DerElement): DistributionPointName {
  const inner = readDer(el.value, 'DistributionPointName');
  if (inner.tag === 0xa0) return { fullName: readGeneralNames(inner.value) };
  if (inner.tag === 0xa1) {
    const rdn = new Uint8Array(inner.bytes);
    rdn[0] = Tag.SET;
    return { nameRelativeToCRLIssuer: rdn };
  }
  throw new PkiError('DER_MALFORMED', 'bad DistributionPointName');
}

/** CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint */
export function readCrlDistributionPoints(value: Uint8Array): DistributionPoint[] {
  const r = children(readDer(value, 'CRLDistributionPoints'));
  const out: DistributionPoint[] = [];
  while (!r.done) {
    const dp = children(r.expect(Tag.SEQUENCE, 'DistributionPoint'));
    const name = dp.optional(0xa0);
    const reasons = dp.optional(0x81);
    const issuer = dp.optional(0xa2);
    out.push({
      ...(name ? { distributionPoint: readDistributionPointName(name) } : {}),
      ...(reasons ? { reasons: readNamedBits(tagAs(reasons, Tag.BIT_STRING), REASON_FLAG_NAMES) } : {}),
      ...(issuer ? { cRLIssuer: readGeneralNames(issuer.value) } : {}),
    });
  }
  return out;
}

/** An IMPLICIT-tagged primitive re-tagged with its universal type, for the primitive readers. */
export function tagAs(el: DerElement, tag: number): Uint8Array {
  const b = new Uint8Array(el.bytes);
  b[0] = tag;
  return b;
}

/**
 * AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
 * AccessDescription ::= SEQUENCE { accessMethod OBJECT IDENTIFIER, accessLocation GeneralName }
 */
export interface AccessDescription {
  readonly method: string;
  readonly location: GeneralName;
}

export function readAuthorityInfoAccess(value: Uint8Array): AccessDescription[] {
  const r = children(readDer(value, 'AuthorityInfoAccessSyntax'));
  const out: AccessDescription[] = [];
  while (!r.done) {
    const ad = children(r.expect(Tag.SEQUENCE, 'AccessDescription'));
    const method = readOid(ad.expect(Tag.OID, 'accessMethod'));
    out.push({ method, location: readGeneralName(ad.next('accessLocation')) });
  }
  return out;
}

/**
 * NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
 *                                excludedSubtrees  [1] GeneralSubtrees OPTIONAL }
 * GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] BaseDistance DEFAULT 0, maximum [1] BaseDistance OPTIONAL }
 */
export interface NameConstraints {
  readonly permitted: GeneralName[];
  readonly excluded: GeneralName[];
}

export function readNameConstraints(value: Uint8Array): NameConstraints {
  const r = children(readDer(value, 'NameConstraints'));
  // GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree
  const subtrees = (el: DerElement | undefined): GeneralName[] => {
    if (!el) return [];
    const s = new DerReader(el.value);
    if (s.done) throw new PkiError('DER_MALFORMED', 'GeneralSubtrees: empty (SIZE (1..MAX))');
    const out: GeneralName[] = [];
    while (!s.done)
      out.push(readGeneralName(children(s.expect(Tag.SEQUENCE, 'GeneralSubtree')).next('base')));
    return out;
  };
  const permitted = subtrees(r.optional(0xa0));
  const excluded = subtrees(r.optional(0xa1));
  r.finish('NameConstraints');
  return { permitted, excluded };
}

// ---- writers ----

/** Extension to encode in a certificate, CSR or CRL. `critical` defaults as noted per type. */
export type ExtensionInput =
  /** critical by default (RFC 5280 §4.2.1.9 for CAs). */
  | {
      readonly type: 'basicConstraints';
      readonly ca: boolean;
      readonly pathLength?: number;
      readonly critical?: boolean;
    }
  /** critical by default. */
  | { readonly type: 'keyUsage'; readonly usages: readonly KeyUsage[]; readonly critical?: boolean }
  /** OIDs or names (`serverAuth`, `clientAuth`, `OCSPSigning`, `mdlDocumentSigner`, …). Not critical by default. */
  | { readonly type: 'extKeyUsage'; readonly usages: readonly string[]; readonly critical?: boolean }
  /** Policy OIDs, each alone or with CPS pointers (RFC 5280 §4.2.1.4). At least one. Not critical by default. */
  | {
      readonly type: 'certificatePolicies';
      readonly policies: readonly (string | PolicyInformationInput)[];
      readonly critical?: boolean;
    }
  | {
      readonly type: 'subjectAltName';
      readonly names: readonly GeneralNameInput[];
      readonly critical?: boolean;
    }
  | {
      readonly type: 'crlDistributionPoints';
      readonly points: readonly DistributionPointInput[];
      readonly critical?: boolean;
    }
  | {
      readonly type: 'authorityInfoAccess';
      readonly ocsp?: readonly string[];
      readonly caIssuers?: readonly string[];
      readonly critical?: boolean;
    }
  /** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1), for delegated OCSP responders. */
  | { readonly type: 'ocspNoCheck'; readonly critical?: boolean }
  /** Overrides the automatic SHA-1 key identifier (RFC 5280 §4.2.1.2 method 1). */
  | { readonly type: 'subjectKeyIdentifier'; readonly keyIdentifier: string }
  /**
   * Overrides the automatic one (RFC 5280 §4.2.1.1; always non-critical): the issuer's key identifier
   * (hex), and/or the issuer certificate's issuer name and serial number — those two together or not at
   * all (§A.2) — as J-LIS writes all three.
   */
  | {
      readonly type: 'authorityKeyIdentifier';
      readonly keyIdentifier?: string;
      /** Usually one directoryName: the issuer certificate's own issuer (as DER, copied byte for byte). */
      readonly authorityCertIssuer?: readonly GeneralNameInput[];
      /** The issuer certificate's serial number: hex as `Certificate.serialNumber`, or a bigint. */
      readonly authorityCertSerialNumber?: string | bigint;
    }
  /** IssuerAltName ::= GeneralNames (RFC 5280 §4.2.1.7): at least one name. Not critical by default. */
  | {
      readonly type: 'issuerAltName';
      readonly names: readonly GeneralNameInput[];
      readonly critical?: boolean;
    }
  | {
      readonly type: 'nameConstraints';
      readonly permitted?: readonly GeneralNameInput[];
      readonly excluded?: readonly GeneralNameInput[];
      readonly critical?: boolean;
    }
  | { readonly type: 'raw'; readonly oid: string; readonly critical: boolean; readonly valueDer: Uint8Array };

/** A certificate policy with its CPS pointers (id-qt-cps qualifiers, CPSuri ::= IA5String). */
export interface PolicyInformationInput {
  readonly policy: string;
  readonly cpsUris?: readonly string[];
}

/** A distribution point: a full name (URIs, a directoryName…) and optionally reasons and a CRL issuer. */
export interface DistributionPointInput {
  readonly fullName?: readonly GeneralNameInput[];
  readonly reasons?: readonly ReasonFlag[];
  readonly cRLIssuer?: readonly GeneralNameInput[];
}

export function encodeExtension(extnId: string, critical: boolean, valueDer: Uint8Array): Uint8Array {
  return critical
    ? sequence(oid(extnId), boolean(true), octetString(valueDer))
    : sequence(oid(extnId), octetString(valueDer));
}

export function encodeDistributionPointName(fullName: readonly GeneralNameInput[]): Uint8Array {
  // distributionPoint [0] DistributionPointName; fullName [0] IMPLICIT GeneralNames
  return explicit(0, implicit(0, encodeGeneralNames(fullName)));
}

export function encodeReasonFlags(reasons: readonly ReasonFlag[]): Uint8Array {
  return namedBits(reasons, REASON_FLAG_NAMES);
}

function encodeDistributionPoint(p: DistributionPointInput): Uint8Array {
  const parts: Uint8Array[] = [];
  if (p.fullName) parts.push(encodeDistributionPointName(p.fullName));
  if (p.reasons) parts.push(implicit(1, encodeReasonFlags(p.reasons)));
  if (p.cRLIssuer) parts.push(implicit(2, encodeGeneralNames(p.cRLIssuer)));
  return sequence(...parts);
}

export const ekuOid = (u: string): string => EKU_NAMES.get(u) ?? u;

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName (RFC 5280 §4.2.1.6). */
function nonEmptyGeneralNames(names: readonly GeneralNameInput[], what: string): Uint8Array {
  if (names.length === 0)
    throw new PkiError('INVALID_ARGUMENT', `${what}: GeneralNames needs at least one name`);
  return encodeGeneralNames(names);
}

/**
 *   PolicyInformation ::= SEQUENCE { policyIdentifier CertPolicyId,
 *        policyQualifiers SEQUENCE SIZE (1..MAX) OF PolicyQualifierInfo OPTIONAL }
 *   PolicyQualifierInfo ::= SEQUENCE { policyQualifierId PolicyQualifierId,
 *        qualifier ANY DEFINED BY policyQualifierId }
 *   Qualifier ::= CHOICE { cPSuri CPSuri, userNotice UserNotice }     CPSuri ::= IA5String
 */
function encodePolicyInformation(p: string | PolicyInformationInput): Uint8Array {
  if (typeof p === 'string') return sequence(oid(p));
  const cps = p.cpsUris ?? [];
  if (cps.length === 0) return sequence(oid(p.policy));
  return sequence(oid(p.policy), sequence(...cps.map((u) => sequence(oid(OID.cps), ia5String(u)))));
}

/**
 *   AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] KeyIdentifier OPTIONAL,
 *      authorityCertIssuer [1] GeneralNames OPTIONAL, authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL }
 *      -- authorityCertIssuer and authorityCertSerialNumber MUST both be present or both be absent (§A.2)
 */
function encodeAuthorityKeyIdentifier(
  e: Extract<ExtensionInput, { type: 'authorityKeyIdentifier' }>,
): Uint8Array {
  const hasIssuer = e.authorityCertIssuer !== undefined;
  if (hasIssuer !== (e.authorityCertSerialNumber !== undefined))
    throw new PkiError(
      'INVALID_ARGUMENT',
      'authorityKeyIdentifier: authorityCertIssuer and authorityCertSerialNumber go together (RFC 5280 §A.2)',
    );
  if (e.keyIdentifier === undefined && !hasIssuer)
    throw new PkiError(
      'INVALID_ARGUMENT',
      'authorityKeyIdentifier: needs a keyIdentifier or an issuer and serial',
    );
  const parts: Uint8Array[] = [];
  if (e.keyIdentifier !== undefined) parts.push(tlv(0x80, hexBytes(e.keyIdentifier)));
  if (e.authorityCertIssuer !== undefined && e.authorityCertSerialNumber !== undefined) {
    parts.push(implicit(1, nonEmptyGeneralNames(e.authorityCertIssuer, 'authorityCertIssuer')));
    parts.push(implicit(2, integer(serialToBigInt(e.authorityCertSerialNumber))));
  }
  return sequence(...parts);
}

/** The extension value DER and criticality for an input (key identifiers are resolved by the caller). */
export function encodeExtensionInput(e: ExtensionInput): {
  oid: string;
  critical: boolean;
  value: Uint8Array;
} {
  switch (e.type) {
    case 'basicConstraints': {
      const parts: Uint8Array[] = [];
      if (e.ca) parts.push(boolean(true));
      if (e.pathLength !== undefined) parts.push(integer(e.pathLength));
      return { oid: OID.basicConstraints, critical: e.critical ?? true, value: sequence(...parts) };
    }
    case 'keyUsage':
      return { oid: OID.keyUsage, critical: e.critical ?? true, value: namedBits(e.usages, KEY_USAGE_NAMES) };
    case 'extKeyUsage':
      return {
        oid: OID.extKeyUsage,
        critical: e.critical ?? false,
        value: sequence(...e.usages.map((u) => oid(ekuOid(u)))),
      };
    case 'certificatePolicies':
      // certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation
      if (e.policies.length === 0)
        throw new PkiError('INVALID_ARGUMENT', 'certificatePolicies needs at least one policy');
      return {
        oid: OID.certificatePolicies,
        critical: e.critical ?? false,
        value: sequence(...e.policies.map(encodePolicyInformation)),
      };
    case 'subjectAltName':
      return { oid: OID.subjectAltName, critical: e.critical ?? false, value: encodeGeneralNames(e.names) };
    case 'crlDistributionPoints':
      return {
        oid: OID.cRLDistributionPoints,
        critical: e.critical ?? false,
        value: sequence(...e.points.map(encodeDistributionPoint)),
      };
    case 'authorityInfoAccess': {
      const ads = [
        ...(e.ocsp ?? []).map((u) =>
          sequence(oid(OID.ocsp), encodeGeneralName({ type: 'uniformResourceIdentifier', value: u })),
        ),
        ...(e.caIssuers ?? []).map((u) =>
          sequence(oid(OID.caIssuers), encodeGeneralName({ type: 'uniformResourceIdentifier', value: u })),
        ),
      ];
      return { oid: OID.authorityInfoAccess, critical: e.critical ?? false, value: sequence(...ads) };
    }
    case 'ocspNoCheck':
      return { oid: OID.ocspNoCheck, critical: e.critical ?? false, value: nullValue() };
    case 'subjectKeyIdentifier':
      return {
        oid: OID.subjectKeyIdentifier,
        critical: false,
        value: octetString(hexBytes(e.keyIdentifier)),
      };
    case 'authorityKeyIdentifier':
      return { oid: OID.authorityKeyIdentifier, critical: false, value: encodeAuthorityKeyIdentifier(e) };
    case 'issuerAltName':
      return {
        oid: OID.issuerAltName,
        critical: e.critical ?? false,
        value: nonEmptyGeneralNames(e.names, 'issuerAltName'),
      };
    case 'nameConstraints': {
      const subtrees = (n: number, names: readonly GeneralNameInput[] | undefined): Uint8Array[] =>
        names && names.length > 0 ? [tlv(0xa0 | n, ...names.map((g) => sequence(encodeGeneralName(g))))] : [];
      return {
        oid: OID.nameConstraints,
        critical: e.critical ?? true,
        value: sequence(...subtrees(0, e.permitted), ...subtrees(1, e.excluded)),
      };
    }
    case 'raw':
      readDer(e.valueDer, 'extension value');
      return { oid: e.oid, critical: e.critical, value: e.valueDer };
  }
}

function hexBytes(h: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})+$/.test(h.replace(/:/g, '')))
    throw new PkiError('INVALID_ARGUMENT', 'bad key identifier');
  return Uint8Array.from(Buffer.from(h.replace(/:/g, ''), 'hex'));
}
