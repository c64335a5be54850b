/**
 * The sandbox JPKI CAs as the status services see them (DOMAIN.md §3): every still-valid generation of
 * the signature and user-authentication CAs, found by name (`jpki-auth-ca-g0`, the credentials'
 * `issuer_certificate`), by key identifier, and by OCSP CertID hashes; and the CRL partitions under them.
 *
 * A CRL partition is a municipality: J-LIS partitions its CRLs by municipality with a directoryName
 * distribution point `…, OU=CRL Distribution Points, OU=<prefecture>, CN=<municipality> CRLDP` under the
 * CA's name (@mynakit/jpki crlDistributionPointOfCa). The issuer records the partition as the holder's
 * 全国地方公共団体コード at issuance, in its 6-digit form with the check digit (`crlPartition`); the
 * romanised names come from cards/municipality.ts, exactly as the certificate's distribution point was
 * written, so the CRL's issuingDistributionPoint names what the certificate names.
 */
import { createHash } from 'node:crypto';
import { crlDistributionPointOfCa, type JpkiCertificatePurpose, type NameRdnAttribute } from '@mynakit/jpki';
import { type Certificate, encodeName, isSignedBy, namesEqual, nameToString, OID } from '@mynakit/pki';
import type { SandboxCertificate, SandboxHierarchy } from '../ca/sandbox-hierarchy.js';
import { jpkiMunicipalityOf } from '../cards/municipality.js';
import { withCheckDigit } from '../residents/seed-residents.js';

/** One generation of a sandbox JPKI CA. */
export interface JpkiCaGeneration {
  /** The hierarchy name (`jpki-sign-ca-g0`): the credentials' `issuer_certificate`, the CRL URL's segment. */
  readonly name: string;
  readonly purpose: JpkiCertificatePurpose;
  /** The credentials' kind of the certificates it issues to phones. */
  readonly kind: 'jpki-sign' | 'jpki-auth';
  readonly ca: SandboxCertificate;
  /** Its delegated OCSP responder (id-kp-OCSPSigning, issued by this generation). */
  readonly responder: SandboxCertificate | undefined;
}

/** The JPKI CA generations of a hierarchy, with the look-ups the status services need. */
export interface JpkiCaIndex {
  /** Every generation, signature CA's first, newest first within a purpose. */
  readonly generations: readonly JpkiCaGeneration[];
  /** By hierarchy name. */
  readonly byName: ReadonlyMap<string, JpkiCaGeneration>;
  /** By subjectKeyIdentifier (lower-case hex): what a certificate's AKI names. */
  readonly byKeyId: ReadonlyMap<string, JpkiCaGeneration>;
  /**
   * By OCSP CertID `<hash OID>:<issuerKeyHash hex>` (RFC 6960 §4.1.1; SHA-1, SHA-256, SHA-384, SHA-512),
   * with the issuerNameHash the same CertID must carry.
   */
  readonly byCertIdKeyHash: ReadonlyMap<
    string,
    { readonly generation: JpkiCaGeneration; readonly nameHash: string }
  >;
}

const CERT_ID_HASHES: readonly (readonly [oid: string, node: string])[] = [
  [OID.sha1, 'sha1'],
  [OID.sha256, 'sha256'],
  [OID.sha384, 'sha384'],
  [OID.sha512, 'sha512'],
];

const indexes = new WeakMap<SandboxHierarchy, JpkiCaIndex>();

/** The index of `hierarchy`'s JPKI CAs (built once per hierarchy object). */
export function jpkiCaIndexOf(hierarchy: SandboxHierarchy): JpkiCaIndex {
  const known = indexes.get(hierarchy);
  if (known !== undefined) return known;
  const generations: JpkiCaGeneration[] = [];
  for (const [purpose, kind, jpkiCa] of [
    ['signature', 'jpki-sign', hierarchy.jpki.signature],
    ['userAuthentication', 'jpki-auth', hierarchy.jpki.userAuthentication],
  ] as const)
    for (const ca of jpkiCa.cas)
      generations.push({
        name: ca.name,
        purpose,
        kind,
        ca,
        responder: jpkiCa.ocspResponders.get(ca.certificate.subjectKeyIdentifier ?? ca.name),
      });
  const byName = new Map<string, JpkiCaGeneration>();
  const byKeyId = new Map<string, JpkiCaGeneration>();
  const byCertIdKeyHash = new Map<string, { generation: JpkiCaGeneration; nameHash: string }>();
  for (const g of generations) {
    byName.set(g.name, g);
    const ski = g.ca.certificate.subjectKeyIdentifier;
    if (ski !== undefined) byKeyId.set(ski.toLowerCase(), g);
    for (const [oid, node] of CERT_ID_HASHES) {
      const keyHash = createHash(node).update(g.ca.certificate.subjectPublicKey).digest('hex');
      const nameHash = createHash(node).update(g.ca.certificate.subjectDer).digest('hex');
      byCertIdKeyHash.set(`${oid}:${keyHash}`, { generation: g, nameHash });
    }
  }
  const index: JpkiCaIndex = { generations, byName, byKeyId, byCertIdKeyHash };
  indexes.set(hierarchy, index);
  return index;
}

/**
 * The generation that issued `certificate` — its AKI names the CA's key and the CA's signature verifies —
 * or undefined.
 */
export function issuingGenerationOf(
  index: JpkiCaIndex,
  certificate: Certificate,
): JpkiCaGeneration | undefined {
  const aki = certificate.authorityKeyIdentifier?.toLowerCase();
  const candidates = aki !== undefined ? [index.byKeyId.get(aki)] : index.generations;
  for (const g of candidates) {
    if (g === undefined) continue;
    if (certificateIssuedBy(certificate, g.ca.certificate)) return g;
  }
  return undefined;
}

function certificateIssuedBy(certificate: Certificate, ca: Certificate): boolean {
  try {
    return namesEqual(certificate.issuerDer, ca.subjectDer) && isSignedBy(certificate, ca);
  } catch {
    return false;
  }
}

/**
 * The canonical CRL partition of a municipality code — 6 digits with a valid check digit (a 5-digit code
 * gets its check digit) — or undefined for anything else.
 */
export function canonicalPartition(code: string): string | undefined {
  if (!/^\d{5,6}$/.test(code)) return undefined;
  const six = withCheckDigit(code.slice(0, 5));
  return code.length === 5 || six === code ? six : undefined;
}

/** The distribution point directoryName of a partition under a CA generation, as RDNs and as a string. */
export interface PartitionDistributionPoint {
  readonly rdns: NameRdnAttribute[][];
  /** RFC 4514-like, most significant first as the sandbox writes names (`C=JP, O=…, CN=Mihon-shi CRLDP`). */
  readonly name: string;
}

/** Where `partition`'s CRL of `generation` is named in the certificates, or undefined. */
export function partitionDistributionPoint(
  generation: JpkiCaGeneration,
  partition: string,
): PartitionDistributionPoint | undefined {
  const m = jpkiMunicipalityOf(partition);
  const rdns = crlDistributionPointOfCa(generation.ca.certificate, {
    prefecture: m.prefecture,
    municipality: m.name,
  });
  if (rdns === undefined) return undefined;
  return { rdns, name: nameToString(encodeName(rdns)) };
}
