/**
 * Smartphone JPKI certificates issued by the sandbox CAs, through the KeySource, with @mynakit/jpki's
 * builders (the J-LIS profile, DOMAIN.md §3):
 *
 *   signature certificate            subject C=JP, L=<the holder's municipality>, CN=<23-character id>;
 *                                    the basic four in SubjectAltName otherNames; never under 15
 *   user-authentication certificate  subject C=JP, CN=<23-character id>; no personal data
 *   both                             issuerAltName (the CA's Japanese directoryName), AKI with keyIdentifier
 *                                    + issuer name + serial, critical certificatePolicies (the sandbox
 *                                    policy) with a CPS qualifier, a CRL distribution point directoryName
 *                                    partitioned by municipality under the CA's name, OCSP in AIA
 *
 * Validity is @mynakit/jpki's rule: from issuance to 23:59:59 JST on the holder's 5th birthday after it,
 * capped by the card's expiry — and here also by the issuing CA's own notAfter.
 */
import type { KeyObject } from 'node:crypto';
import {
  type BasicFourInput,
  type CalendarDate,
  computeCertificateValidity,
  createSignatureCertificateWithSigner,
  createUserAuthenticationCertificateWithSigner,
  createUserId,
  crlDistributionPointOfCa,
  encodeBasicFour,
  type JpkiCertificatePurpose,
  type NameAttributes,
} from '@mynakit/jpki';
import { type Certificate, parseCertificate } from '@mynakit/pki';
import type { SandboxHierarchy, SandboxJpkiCa } from './sandbox-hierarchy.js';
import { randomSerial } from './sandbox-hierarchy.js';
import { SANDBOX_JPKI_CPS_URI, SANDBOX_JPKI_POLICY_OID, SANDBOX_URL_PATH } from './sandbox-names.js';

/**
 * The municipality a holder is registered in, romanised as J-LIS writes CRL partitions
 * (`{ prefecture: 'Ibaraki-ken', name: 'Tsukuba-shi' }`): the CRL partition of both certificates, and
 * the `L=` of the signature certificate's subject.
 */
export interface JpkiMunicipality {
  readonly prefecture: string;
  readonly name: string;
}

/** What the issuance of one certificate needs besides the holder. */
export interface IssueJpkiCertificateOptions {
  /** The key the phone generated, from its CSR (KeyObject or SPKI DER). */
  readonly publicKey: KeyObject | Uint8Array;
  /** Issuance instant: notBefore, and the start of the validity rule. */
  readonly issuedAt: Date;
  /** The card's own expiry: no certificate outlives it. */
  readonly cardExpiresAt?: Date;
  /** Default: a fresh random one (createUserId). */
  readonly userId?: string;
  /** Randomness for the serial number and the subject id (default crypto.getRandomValues). */
  readonly random?: (bytes: Uint8Array) => Uint8Array;
  /** Default: the sandbox's OCSP URL under the hierarchy's base URL. */
  readonly ocspUrls?: readonly string[];
}

/** A certificate issued to a holder, with what the issuer records about it. */
export interface IssuedJpkiCertificate {
  readonly der: Uint8Array;
  readonly certificate: Certificate;
  /** Lowercase hex, as @mynakit/pki writes serial numbers (the credentials table's `serial`). */
  readonly serialNumber: string;
  /** The subject's CN. */
  readonly userId: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The issuing CA generation's certificate (the path to the sandbox root is this one certificate). */
  readonly issuer: Certificate;
  /** The issuing CA generation's hierarchy name (`jpki-auth-ca-g0`): the credential's `issuerCertificate`. */
  readonly issuerName: string;
}

/** The holder of a signature certificate: the basic four (birth date as a calendar date) and municipality. */
export interface JpkiSignatureHolder {
  readonly basicFour: BasicFourInput & { readonly birthDate: CalendarDate };
  readonly municipality: JpkiMunicipality;
}

/** The holder of a user-authentication certificate: no personal data goes into it, only the partition. */
export interface JpkiUserAuthenticationHolder {
  readonly birthDate: CalendarDate;
  readonly municipality: JpkiMunicipality;
}

/**
 * Issues a signature certificate from the current sandbox signature CA. Throws JpkiError
 * SIGNATURE_CERTIFICATE_UNDER_15 for a holder under 15 and VALIDITY_EMPTY when the card has expired,
 * and the basic four's JpkiError codes for data J-LIS would refuse.
 */
export async function issueSandboxSignatureCertificate(
  hierarchy: SandboxHierarchy,
  holder: JpkiSignatureHolder,
  o: IssueJpkiCertificateOptions,
): Promise<IssuedJpkiCertificate> {
  const ca = hierarchy.jpki.signature;
  const validity = validityFor('signature', holder.basicFour.birthDate, o, ca);
  const userId = o.userId ?? createUserId(o.random);
  const subject: NameAttributes = [
    ['C', 'JP'],
    ['L', holder.municipality.name],
    ['CN', userId],
  ];
  const serialNumber = randomSerial(o.random ?? defaultRandom);
  const der = await createSignatureCertificateWithSigner({
    issuer: { certificate: ca.ca.certificate, signer: ca.ca.signer },
    publicKey: o.publicKey,
    basicFour: encodeBasicFour(holder.basicFour),
    subject,
    serialNumber,
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    policyOid: SANDBOX_JPKI_POLICY_OID.signature,
    cpsUri: SANDBOX_JPKI_CPS_URI,
    ...partitionedCrlDistributionPoint(ca, holder.municipality),
    ocspUrls: o.ocspUrls ?? [ocspUrl(hierarchy)],
  });
  return issued(der, userId, ca, serialNumber, validity);
}

/**
 * Issues a user-authentication certificate from the current sandbox user-authentication CA (any age).
 * Throws JpkiError VALIDITY_EMPTY when the card has expired.
 */
export async function issueSandboxUserAuthenticationCertificate(
  hierarchy: SandboxHierarchy,
  holder: JpkiUserAuthenticationHolder,
  o: IssueJpkiCertificateOptions,
): Promise<IssuedJpkiCertificate> {
  const ca = hierarchy.jpki.userAuthentication;
  const validity = validityFor('userAuthentication', holder.birthDate, o, ca);
  const userId = o.userId ?? createUserId(o.random);
  const serialNumber = randomSerial(o.random ?? defaultRandom);
  const der = await createUserAuthenticationCertificateWithSigner({
    issuer: { certificate: ca.ca.certificate, signer: ca.ca.signer },
    publicKey: o.publicKey,
    userId,
    crlPartition: { prefecture: holder.municipality.prefecture, municipality: holder.municipality.name },
    serialNumber,
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    policyOid: SANDBOX_JPKI_POLICY_OID.userAuthentication,
    cpsUri: SANDBOX_JPKI_CPS_URI,
    ocspUrls: o.ocspUrls ?? [ocspUrl(hierarchy)],
  });
  return issued(der, userId, ca, serialNumber, validity);
}

function defaultRandom(bytes: Uint8Array): Uint8Array {
  return globalThis.crypto.getRandomValues(bytes);
}

function ocspUrl(hierarchy: SandboxHierarchy): string {
  return `${hierarchy.baseUrl}${SANDBOX_URL_PATH.jpkiOcsp}`;
}

function validityFor(
  purpose: JpkiCertificatePurpose,
  birthDate: CalendarDate,
  o: IssueJpkiCertificateOptions,
  ca: SandboxJpkiCa,
): { notBefore: Date; notAfter: Date } {
  const caEnd = ca.ca.certificate.notAfter;
  const cap = o.cardExpiresAt !== undefined && o.cardExpiresAt < caEnd ? o.cardExpiresAt : caEnd;
  return computeCertificateValidity({ purpose, birthDate, issuedAt: o.issuedAt, cardExpiresAt: cap });
}

/**
 * `…, OU=CRL Distribution Points, OU=<prefecture>, CN=<municipality> CRLDP` under the CA's name, as the
 * user-authentication certificate's (the sandbox partitions both CRLs by municipality).
 */
function partitionedCrlDistributionPoint(
  ca: SandboxJpkiCa,
  m: JpkiMunicipality,
): { crlDistributionPoint?: NameAttributes } {
  const rdns = crlDistributionPointOfCa(ca.ca.certificate, {
    prefecture: m.prefecture,
    municipality: m.name,
  });
  if (rdns === undefined) return {};
  return {
    crlDistributionPoint: rdns.map(
      (rdn) => [rdn[0]!.type as NameAttributes[number][0], rdn[0]!.value] as const,
    ),
  };
}

/**
 * What was just signed, from what went into it: the serial as written (randomSerial: lower-case hex whose
 * first byte is 0x40–0x7f, so exactly @mynakit/pki's serialNumberHex of it) and the validity in whole
 * seconds (DER times drop the milliseconds, RFC 5280 §4.1.2.5). The parsed certificate is made only when
 * someone asks for it — the issuer itself never does.
 */
function issued(
  der: Uint8Array,
  userId: string,
  ca: SandboxJpkiCa,
  serialNumber: string,
  validity: { notBefore: Date; notAfter: Date },
): IssuedJpkiCertificate {
  let certificate: Certificate | undefined;
  return {
    der,
    get certificate() {
      certificate ??= parseCertificate(der);
      return certificate;
    },
    serialNumber,
    userId,
    notBefore: wholeSeconds(validity.notBefore),
    notAfter: wholeSeconds(validity.notAfter),
    issuer: ca.ca.certificate,
    issuerName: ca.ca.name,
  };
}

function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}
