import type { KeyObject } from 'node:crypto';
import {
  type Certificate,
  createCertificate,
  createCertificateWithSigner,
  type ExtensionInput,
  type GeneralNameInput,
  type Issuer,
  type NameInput,
  type SignerIssuer,
  toCertificate,
} from '@mynakit/pki';
import { type BasicFour, basicFourToOtherNames } from './basic-four.js';
import { parseJpkiBirthDate } from './birth-date.js';
import { assertJpkiSigner, crlDistributionPointOfCa, JPKI_SIGNING_ALGORITHM } from './ca-certificate.js';
import { certificatePoliciesExtension } from './certificate-policies.js';
import { JpkiError } from './errors.js';
import { type IssuerLinkOptions, issuerLinkedExtensions } from './issuer-linked-extensions.js';
import { JPKI_OID, type NameAttributes, nameToRdns, SANDBOX_CPS_URI } from './profiles.js';
import { createUserId } from './user-authentication-certificate.js';
import { checkIssuanceEligibility } from './validity-rules.js';

/**
 * The JPKI signature certificate (署名用電子証明書; DOMAIN.md §3, J-LIS profile):
 *   keyUsage              critical  digitalSignature, nonRepudiation
 *   certificatePolicies   critical  1.2.392.200149.8.5.1.1.20 (configurable: test cards, smartphone)
 *                                   with a CPS pointer qualifier
 *   subjectAltName                  the basic four as otherNames (UTF8String), see basic-four.ts
 *   issuerAltName                   the CA's Japanese directoryName (issuer-linked-extensions.ts)
 *   cRLDistributionPoints           a directoryName (and/or URIs) of the CA's CRL
 *   authorityInfoAccess             OCSP responder URL
 *   authorityKeyIdentifier          keyIdentifier, authorityCertIssuer, authorityCertSerialNumber
 *   subjectKeyIdentifier
 * Never issued to a holder under 15 (checked against notBefore when the birth date is known in full).
 */
export interface SignatureCertificateOptions extends IssuerLinkOptions {
  readonly issuer: Issuer;
  readonly publicKey: KeyObject | Uint8Array;
  readonly basicFour: BasicFour;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber?: string | bigint;
  /** Default `C=JP, CN=<opaque 23-character id>`: the subject carries no personal data, the SAN does. */
  readonly subject?: NameAttributes;
  readonly policyOid?: string;
  /** The CPS pointer qualifier of the policy. Default: the sandbox's URN; `null`: no qualifier. */
  readonly cpsUri?: string | null;
  /**
   * Directory-name CRL distribution point. Default: `OU=CRL Distribution Points` under the issuing CA's
   * name (profiles.ts `crlDistributionPointUnder`); `null`: none.
   */
  readonly crlDistributionPoint?: NameAttributes | null;
  readonly crlUrls?: readonly string[];
  readonly ocspUrls?: readonly string[];
  readonly extraExtensions?: readonly ExtensionInput[];
  readonly random?: (bytes: Uint8Array) => Uint8Array;
}

/** A signature certificate signed with the CA's private key in hand (see SignatureCertificateOptions). */
export function createSignatureCertificate(o: SignatureCertificateOptions): Uint8Array {
  return createCertificate({
    ...signatureCertificateBody(o, o.issuer.certificate),
    issuer: o.issuer,
    signingAlgorithm: JPKI_SIGNING_ALGORITHM,
  });
}

/** SignatureCertificateOptions with the CA's key behind a CertificateSigner (HSM, KMS, encrypted store). */
export interface SignatureCertificateWithSignerOptions extends Omit<SignatureCertificateOptions, 'issuer'> {
  readonly issuer: SignerIssuer;
}

/**
 * The same signature certificate as createSignatureCertificate (one extension list), signed through the
 * CA's CertificateSigner, which must sign sha256WithRSAEncryption (else INVALID_ARGUMENT).
 */
export async function createSignatureCertificateWithSigner(
  o: SignatureCertificateWithSignerOptions,
): Promise<Uint8Array> {
  assertJpkiSigner(o.issuer.signer);
  return createCertificateWithSigner({
    ...signatureCertificateBody(o, o.issuer.certificate),
    issuer: o.issuer,
  });
}

/** Everything of a signature certificate but its signing. */
function signatureCertificateBody(
  o: Omit<SignatureCertificateOptions, 'issuer'>,
  issuerCertificate: Certificate | Uint8Array | string,
) {
  const birth = parseJpkiBirthDate(o.basicFour.birthDate);
  if (birth.date !== undefined) {
    const e = checkIssuanceEligibility('signature', birth.date, o.notBefore);
    if (!e.eligible)
      throw new JpkiError('SIGNATURE_CERTIFICATE_UNDER_15', 'no signature certificate under age 15');
  }
  const issuerCert = toCertificate(issuerCertificate);
  const subject: NameAttributes = o.subject ?? [
    ['C', 'JP'],
    ['CN', createUserId(o.random)],
  ];
  const dpNames: GeneralNameInput[] = [];
  const dp: NameInput | undefined | null =
    o.crlDistributionPoint === undefined
      ? crlDistributionPointOfCa(issuerCert)
      : o.crlDistributionPoint === null
        ? null
        : nameToRdns(o.crlDistributionPoint);
  if (dp !== null && dp !== undefined) dpNames.push({ type: 'directoryName', value: dp });
  for (const url of o.crlUrls ?? []) dpNames.push({ type: 'uniformResourceIdentifier', value: url });
  const link = issuerLinkedExtensions(issuerCert, o.publicKey, o);
  const cpsUri = o.cpsUri === undefined ? SANDBOX_CPS_URI : o.cpsUri;
  const extensions: ExtensionInput[] = [
    { type: 'keyUsage', usages: ['digitalSignature', 'nonRepudiation'], critical: true },
    certificatePoliciesExtension(
      [{ policy: o.policyOid ?? JPKI_OID.signaturePolicy, ...(cpsUri !== null ? { cpsUri } : {}) }],
      true,
    ),
    {
      type: 'subjectAltName',
      names: basicFourToOtherNames(o.basicFour).map((n) => ({
        type: 'otherName' as const,
        typeId: n.typeId,
        value: n.value,
      })),
      critical: false,
    },
    ...(link.issuerAltName !== undefined ? [link.issuerAltName] : []),
    ...(dpNames.length > 0
      ? [{ type: 'crlDistributionPoints' as const, points: [{ fullName: dpNames }] }]
      : []),
    ...(o.ocspUrls !== undefined && o.ocspUrls.length > 0
      ? [{ type: 'authorityInfoAccess' as const, ocsp: o.ocspUrls }]
      : []),
    ...link.keyIdentifiers,
    ...(o.extraExtensions ?? []),
  ];
  return {
    subject: nameToRdns(subject),
    publicKey: o.publicKey,
    ...(o.serialNumber !== undefined ? { serialNumber: o.serialNumber } : {}),
    ...(o.random !== undefined ? { random: o.random } : {}),
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    keyIdentifiers: false,
    extensions,
  };
}
