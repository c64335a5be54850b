import type { KeyObject } from 'node:crypto';
import { createCertificate, type ExtensionInput, type GeneralNameInput, type Issuer } from '@mynakit/pki';
import { JpkiError } from './errors.js';
import { JPKI_OID, nameToRdns, userAuthenticationCrlDistributionPoint, X509_OID } from './profiles.js';

/**
 * The JPKI user-authentication certificate (利用者証明用電子証明書; DOMAIN.md §3), which carries no personal
 * data:
 *   subject               C=JP, CN=<opaque 23-character id>
 *   keyUsage              critical  digitalSignature
 *   extKeyUsage                     clientAuth
 *   certificatePolicies   critical  1.2.392.200149.8.5.1.3.30
 *   cRLDistributionPoints           directoryName partitioned by municipality
 *                                   (`C=JP, O=JPKI, OU=JPKI for user authentication, OU=CRL Distribution Points,
 *                                   OU=<prefecture>, CN=<municipality> CRLDP`)
 *   authorityInfoAccess             OCSP responder URL
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

export interface UserAuthenticationCertificateOptions {
  readonly issuer: Issuer;
  readonly publicKey: KeyObject | Uint8Array;
  readonly userId: string;
  /** Municipality partition of the CRL, e.g. `{ prefecture: 'Ibaraki-ken', municipality: 'Tsukuba-shi' }`. */
  readonly crlPartition: { readonly prefecture: string; readonly municipality: string };
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber?: string | bigint;
  readonly policyOid?: string;
  readonly crlUrls?: readonly string[];
  readonly ocspUrls?: readonly string[];
  readonly extraExtensions?: readonly ExtensionInput[];
  readonly random?: (bytes: Uint8Array) => Uint8Array;
}

export function createUserAuthenticationCertificate(o: UserAuthenticationCertificateOptions): Uint8Array {
  if (!/^[0-9A-Za-z]+$/.test(o.userId) || o.userId.length !== USER_ID_LENGTH) {
    throw new JpkiError('INVALID_USER_ID', `the subject id must be ${USER_ID_LENGTH} letters or digits`);
  }
  const dpNames: GeneralNameInput[] = [
    {
      type: 'directoryName',
      value: nameToRdns(
        userAuthenticationCrlDistributionPoint(o.crlPartition.prefecture, o.crlPartition.municipality),
      ),
    },
    ...(o.crlUrls ?? []).map((value) => ({ type: 'uniformResourceIdentifier' as const, value })),
  ];
  const extensions: ExtensionInput[] = [
    { type: 'keyUsage', usages: ['digitalSignature'], critical: true },
    { type: 'extKeyUsage', usages: [X509_OID.clientAuth], critical: false },
    {
      type: 'certificatePolicies',
      policies: [o.policyOid ?? JPKI_OID.userAuthenticationPolicy],
      critical: true,
    },
    { type: 'crlDistributionPoints', points: [{ fullName: dpNames }] },
    ...(o.ocspUrls !== undefined && o.ocspUrls.length > 0
      ? [{ type: 'authorityInfoAccess' as const, ocsp: o.ocspUrls }]
      : []),
    ...(o.extraExtensions ?? []),
  ];
  return createCertificate({
    subject: nameToRdns([
      ['C', 'JP'],
      ['CN', o.userId],
    ]),
    issuer: o.issuer,
    publicKey: o.publicKey,
    ...(o.serialNumber !== undefined ? { serialNumber: o.serialNumber } : {}),
    ...(o.random !== undefined ? { random: o.random } : {}),
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    signingAlgorithm: 'sha256WithRSAEncryption',
    extensions,
  });
}
