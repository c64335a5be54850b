import type { KeyObject } from 'node:crypto';
import {
  type Certificate,
  createCertificate,
  createCertificateWithSigner,
  type Issuer,
  type NameInput,
  parseCertificate,
  type SignerIssuer,
} from '@mynakit/pki';
import { type Check, ReportBuilder } from '@mynakit/report';
import {
  encodeMyNumberBasisPolicies,
  type MyNumberLegalBasis,
  readMyNumberLegalBasis,
} from './my-number-legal-basis.js';
import {
  CERTIFICATE_POLICIES_OID,
  DEFAULT_MY_NUMBER_BASIS_OIDS,
  MDOC_READER_AUTH_EKU,
  type MyNumberBasisOids,
} from './reader-auth-oids.js';

/**
 * The mynakit reader-authentication certificate profile for relying parties.
 *
 * Base: the mdoc reader authentication certificate of ISO/IEC 18013-5 Annex B — keyUsage
 * digitalSignature (critical), extendedKeyUsage 1.0.18013.5.1.6 (critical), subject and authority key
 * identifiers, end entity (no basicConstraints CA). The same certificate signs ISO 18013-5/Annex C
 * reader authentication (readerAuth / readerAuthAll) and OpenID4VP request objects, so it carries
 * the relying party's DNS names in subjectAltName (`x509_san_dns:` client ids).
 *
 * mynakit addition: an optional certificate policy declaring a legal basis to receive My Number
 * (see my-number-legal-basis.ts), under the private arc of reader-auth-oids.ts.
 */
export interface CreateReaderAuthCertificateInput {
  /** The relying party's name (text, attributes, or Name DER as a CSR carries it). */
  readonly subject: NameInput;
  readonly publicKey: KeyObject | Uint8Array;
  readonly issuer: Issuer;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** dNSName entries (the first is the one `x509_san_dns:` client ids use). */
  readonly dnsNames?: readonly string[];
  readonly myNumberLegalBasis?: MyNumberLegalBasis;
  /** Other certificate policy OIDs to list (plain, without qualifiers). */
  readonly policies?: readonly string[];
  readonly oids?: MyNumberBasisOids;
  readonly crlDistributionPoint?: string;
  readonly serialNumber?: string | bigint;
}

/** The profile's extensions for `input` (shared by both ways of signing). */
function readerAuthExtensions(
  input: Omit<CreateReaderAuthCertificateInput, 'issuer'>,
): Parameters<typeof createCertificate>[0]['extensions'] & unknown[] {
  const oids = input.oids ?? DEFAULT_MY_NUMBER_BASIS_OIDS;
  const extensions: Parameters<typeof createCertificate>[0]['extensions'] & unknown[] = [
    { type: 'keyUsage', usages: ['digitalSignature'], critical: true },
    { type: 'extKeyUsage', usages: [MDOC_READER_AUTH_EKU], critical: true },
  ];
  if (input.dnsNames && input.dnsNames.length > 0) {
    extensions.push({
      type: 'subjectAltName',
      names: input.dnsNames.map((value) => ({ type: 'dNSName' as const, value })),
    });
  }
  if (input.crlDistributionPoint) {
    extensions.push({
      type: 'crlDistributionPoints',
      points: [{ fullName: [{ type: 'uniformResourceIdentifier', value: input.crlDistributionPoint }] }],
    });
  }
  if (input.myNumberLegalBasis) {
    extensions.push({
      type: 'raw',
      oid: CERTIFICATE_POLICIES_OID,
      critical: false,
      valueDer: encodeMyNumberBasisPolicies(input.myNumberLegalBasis, input.policies ?? [], oids),
    });
  } else if (input.policies && input.policies.length > 0) {
    extensions.push({ type: 'certificatePolicies', policies: input.policies });
  }
  return extensions;
}

/** A reader-authentication certificate of the profile above, signed with the CA's private key. */
export function createReaderAuthCertificate(input: CreateReaderAuthCertificateInput): Uint8Array {
  return createCertificate({
    subject: input.subject,
    issuer: input.issuer,
    publicKey: input.publicKey,
    notBefore: input.notBefore,
    notAfter: input.notAfter,
    extensions: readerAuthExtensions(input),
    ...(input.serialNumber !== undefined ? { serialNumber: input.serialNumber } : {}),
  });
}

/** createReaderAuthCertificate's input with the CA's key behind a signer (a key store, an HSM). */
export interface CreateReaderAuthCertificateWithSignerInput
  extends Omit<CreateReaderAuthCertificateInput, 'issuer'> {
  readonly issuer: SignerIssuer;
}

/**
 * The same profile, signed through the CA's CertificateSigner (@mynakit/pki createCertificateWithSigner):
 * how a CA whose key never leaves its key store — the sandbox reader CA — issues a relying party's
 * reader certificate.
 */
export function createReaderAuthCertificateWithSigner(
  input: CreateReaderAuthCertificateWithSignerInput,
): Promise<Uint8Array> {
  return createCertificateWithSigner({
    subject: input.subject,
    issuer: input.issuer,
    publicKey: input.publicKey,
    notBefore: input.notBefore,
    notAfter: input.notAfter,
    extensions: readerAuthExtensions(input),
    ...(input.serialNumber !== undefined ? { serialNumber: input.serialNumber } : {}),
  });
}

/**
 * Profile checks of a reader certificate (beyond RFC 5280 path validation, which is pki's):
 * `reader.certificate_profile` (EKU, keyUsage, not a CA) and `reader.my_number_basis` (declared or not;
 * a malformed declaration fails). Statuses follow the policy: deviations are warnings when lenient.
 */
export function checkReaderAuthProfile(
  certificate: Certificate | Uint8Array,
  options: { policy?: 'lenient' | 'strict'; oids?: MyNumberBasisOids } = {},
): Check[] {
  const cert = certificate instanceof Uint8Array ? parseCertificate(certificate) : certificate;
  const r = new ReportBuilder();
  const problems: string[] = [];
  if (!cert.extKeyUsage?.includes(MDOC_READER_AUTH_EKU))
    problems.push(`extendedKeyUsage lacks ${MDOC_READER_AUTH_EKU}`);
  if (!cert.keyUsage?.includes('digitalSignature')) problems.push('keyUsage lacks digitalSignature');
  if (cert.basicConstraints?.ca) problems.push('a reader certificate must not be a CA');
  if (problems.length === 0)
    r.passed('reader.certificate_profile', 'ISO/IEC 18013-5 Annex B reader authentication profile');
  else if (options.policy === 'strict') r.failed('reader.certificate_profile', problems.join('; '));
  else r.warning('reader.certificate_profile', problems.join('; '));
  try {
    const d = readMyNumberLegalBasis(cert, options.oids);
    if (d.declared)
      r.passed('reader.my_number_basis', 'the relying party declares a legal basis to receive My Number');
    else r.skipped('reader.my_number_basis', 'no legal basis to receive My Number is declared');
  } catch (e) {
    r.failed('reader.my_number_basis', (e as Error).message);
  }
  return r.checks;
}
