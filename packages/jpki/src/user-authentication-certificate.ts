import type { KeyObject } from 'node:crypto';
import {
  type Certificate,
  createCertificate,
  createCertificateWithSigner,
  type ExtensionInput,
  type GeneralNameInput,
  type Issuer,
  type SignerIssuer,
  toCertificate,
} from '@mynakit/pki';
import { assertJpkiSigner, crlDistributionPointOfCa, JPKI_SIGNING_ALGORITHM } from './ca-certificate.js';
import { certificatePoliciesExtension } from './certificate-policies.js';
import { JpkiError } from './errors.js';
import { type IssuerLinkOptions, issuerLinkedExtensions } from './issuer-linked-extensions.js';
import { JPKI_OID, type NameAttributes, nameToRdns, SANDBOX_CPS_URI, X509_OID } from './profiles.js';

/**
 * The JPKI user-authentication certificate (利用者証明用電子証明書; DOMAIN.md §3), which carries no personal
 * data:
 *   subject               C=JP, CN=<opaque 23-character id>
 *   keyUsage              critical  digitalSignature
 *   extKeyUsage                     clientAuth
 *   certificatePolicies   critical  1.2.392.200149.8.5.1.3.30, with a CPS pointer qualifier
 *   issuerAltName                   the CA's Japanese directoryName (issuer-linked-extensions.ts)
 *   cRLDistributionPoints           directoryName partitioned by municipality, under the CA's name
 *                                   (`C=JP, O=JPKI, OU=JPKI for user authentication, OU=CRL Distribution Points,
 *                                   OU=<prefecture>, CN=<municipality> CRLDP` under J-LIS's CA)
 *   authorityInfoAccess             OCSP responder URL
 *   authorityKeyIdentifier          keyIdentifier, authorityCertIssuer, authorityCertSerialNumber
 *   subjectKeyIdentifier
 */
export const USER_ID_LENGTH = 23;
const USER_ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A fresh opaque subject id: 23 characters of 0-9A-Z (uniform: rejection sampling). [S: shape] */
export function createUserId(
  random: (b: Uint8Array) => Uint8Array = (b) => globalThis.crypto.getRandomValues(b),
): string {
  let id = '';
  while (id.length < USER_ID_LENGTH) {
    for (const byte of random(new Uint8Array(32))) {
      if (byte < 252 && id.length < USER_ID_LENGTH) id += USER_ID_ALPHABET[byte % 36];
    }
  }
  return id;
}

export interface UserAuthenticationCertificateOptions extends IssuerLinkOptions {
  readonly issuer: Issuer;
  readonly publicKey: KeyObject | Uint8Array;
  readonly userId: string;
  /** Municipality partition of the CRL, e.g. `{ prefecture: 'Ibaraki-ken', municipality: 'Tsukuba-shi' }`. */
  readonly crlPartition: { readonly prefecture: string; readonly municipality: string };
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber?: string | bigint;
  readonly policyOid?: string;
  /** The CPS pointer qualifier of the policy. Default: the sandbox's URN; `null`: no qualifier. */
  readonly cpsUri?: string | null;
  /**
   * The CRL distribution point's directoryName. Default: the municipality partition under the issuing
   * CA's name (profiles.ts `crlDistributionPointUnder`).
   */
  readonly crlDistributionPoint?: NameAttributes;
  readonly crlUrls?: readonly string[];
  readonly ocspUrls?: readonly string[];
  readonly extraExtensions?: readonly ExtensionInput[];
  readonly random?: (bytes: Uint8Array) => Uint8Array;
}

/** A user-authentication certificate signed with the CA's private key in hand. */
export function createUserAuthenticationCertificate(o: UserAuthenticationCertificateOptions): Uint8Array {
  return createCertificate({
    ...userAuthenticationCertificateBody(o, o.issuer.certificate),
    issuer: o.issuer,
    signingAlgorithm: JPKI_SIGNING_ALGORITHM,
  });
}

/** UserAuthenticationCertificateOptions with the CA's key behind a CertificateSigner. */
export interface UserAuthenticationCertificateWithSignerOptions
  extends Omit<UserAuthenticationCertificateOptions, 'issuer'> {
  readonly issuer: SignerIssuer;
}

/**
 * The same user-authentication certificate as createUserAuthenticationCertificate (one extension list),
 * signed through the CA's CertificateSigner, which must sign sha256WithRSAEncryption (else INVALID_ARGUMENT).
 */
export async function createUserAuthenticationCertificateWithSigner(
  o: UserAuthenticationCertificateWithSignerOptions,
): Promise<Uint8Array> {
  assertJpkiSigner(o.issuer.signer);
  return createCertificateWithSigner({
    ...userAuthenticationCertificateBody(o, o.issuer.certificate),
    issuer: o.issuer,
  });
}

/** Everything of a user-authentication certificate but its signing. */
function userAuthenticationCertificateBody(
  o: Omit<UserAuthenticationCertificateOptions, 'issuer'>,
  issuerCertificate: Certificate | Uint8Array | string,
) {
  if (!/^[0-9A-Za-z]+$/.test(o.userId) || o.userId.length !== USER_ID_LENGTH) {
    throw new JpkiError('INVALID_USER_ID', `the subject id must be ${USER_ID_LENGTH} letters or digits`);
  }
  const issuerCert = toCertificate(issuerCertificate);
  const dp =
    o.crlDistributionPoint !== undefined
      ? nameToRdns(o.crlDistributionPoint)
      : crlDistributionPointOfCa(issuerCert, o.crlPartition);
  const dpNames: GeneralNameInput[] = [
    ...(dp !== undefined ? [{ type: 'directoryName' as const, value: dp }] : []),
    ...(o.crlUrls ?? []).map((value) => ({ type: 'uniformResourceIdentifier' as const, value })),
  ];
  const link = issuerLinkedExtensions(issuerCert, o.publicKey, o);
  const cpsUri = o.cpsUri === undefined ? SANDBOX_CPS_URI : o.cpsUri;
  const extensions: ExtensionInput[] = [
    { type: 'keyUsage', usages: ['digitalSignature'], critical: true },
    { type: 'extKeyUsage', usages: [X509_OID.clientAuth], critical: false },
    certificatePoliciesExtension(
      [{ policy: o.policyOid ?? JPKI_OID.userAuthenticationPolicy, ...(cpsUri !== null ? { cpsUri } : {}) }],
      true,
    ),
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
    subject: nameToRdns([
      ['C', 'JP'],
      ['CN', o.userId],
    ]),
    publicKey: o.publicKey,
    ...(o.serialNumber !== undefined ? { serialNumber: o.serialNumber } : {}),
    ...(o.random !== undefined ? { random: o.random } : {}),
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    keyIdentifiers: false,
    extensions,
  };
}
