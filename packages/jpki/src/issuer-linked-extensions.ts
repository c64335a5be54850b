import type { KeyObject } from 'node:crypto';
import { type Certificate, type ExtensionInput, keyIdentifierOf } from '@mynakit/pki';
import { fullAuthorityKeyIdentifier } from './authority-key-identifier.js';
import { keyIdentifierOfKey } from './ca-certificate.js';
import {
  issuerAltNameExtension,
  issuerAltNameFromIssuer,
  type WritableGeneralName,
} from './issuer-alt-name.js';

/**
 * The extensions a JPKI end certificate takes from its issuer, as the real ones carry them (DOMAIN.md §3):
 *
 *   issuerAltName            the CA's subjectAltName (its Japanese directoryName), copied byte for byte
 *   authorityKeyIdentifier   keyIdentifier = the CA's SKI, authorityCertIssuer = the CA certificate's
 *                            issuer name, authorityCertSerialNumber = the CA certificate's serial
 *                            (RFC 5280 §4.2.1.1)
 *   subjectKeyIdentifier     SHA-1 of the subject key (§4.2.1.2 method 1)
 */
export interface IssuerLinkOptions {
  /** Default: the issuer's own subjectAltName; `null`: none. */
  readonly issuerAltName?: readonly WritableGeneralName[] | null;
  /** `full` (default, as J-LIS) or `keyIdentifier` only. */
  readonly authorityKeyIdentifier?: 'full' | 'keyIdentifier';
}

export function issuerLinkedExtensions(
  issuer: Certificate,
  subjectPublicKey: KeyObject | Uint8Array,
  o: IssuerLinkOptions,
): { readonly issuerAltName?: ExtensionInput; readonly keyIdentifiers: readonly ExtensionInput[] } {
  const issuerKeyId = issuer.subjectKeyIdentifier ?? keyIdentifierOf(issuer.subjectPublicKey);
  const aki: ExtensionInput =
    o.authorityKeyIdentifier === 'keyIdentifier'
      ? { type: 'authorityKeyIdentifier', keyIdentifier: issuerKeyId }
      : fullAuthorityKeyIdentifier(issuer, issuerKeyId);
  const ian =
    o.issuerAltName === null
      ? undefined
      : o.issuerAltName !== undefined
        ? issuerAltNameExtension(o.issuerAltName)
        : issuerAltNameFromIssuer(issuer);
  return {
    ...(ian !== undefined ? { issuerAltName: ian } : {}),
    keyIdentifiers: [
      aki,
      { type: 'subjectKeyIdentifier', keyIdentifier: keyIdentifierOfKey(subjectPublicKey) },
    ],
  };
}
