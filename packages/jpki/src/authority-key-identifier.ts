/**
 * The whole AuthorityKeyIdentifier (RFC 5280 §4.2.1.1), as real JPKI end certificates carry it:
 *
 *   AuthorityKeyIdentifier ::= SEQUENCE {
 *      keyIdentifier             [0] KeyIdentifier           OPTIONAL,
 *      authorityCertIssuer       [1] GeneralNames            OPTIONAL,
 *      authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL  }
 *
 * "the identification MAY be based on either the key identifier … or the issuer name and serial number"
 * (§4.2.1.1); J-LIS writes all three: the CA's SKI, the CA certificate's issuer name (for a self-signed
 * CA its own name) and the CA certificate's serial. @mynakit/pki reads only keyIdentifier (all path
 * building needs); this file reads the rest with pki's DER and GeneralNames readers, and asks pki's
 * certificate builder for the whole extension.
 */
import {
  type Certificate,
  DerTag,
  derChildren,
  type ExtensionInput,
  type GeneralName,
  normaliseSerialNumber,
  readBigInt,
  readDer,
  readGeneralNames,
} from '@mynakit/pki';
import { JpkiError } from './errors.js';

export const AUTHORITY_KEY_IDENTIFIER_OID = '2.5.29.35';

export interface AuthorityKeyIdentifier {
  /** Lowercase hex. */
  readonly keyIdentifier?: string;
  readonly authorityCertIssuer?: readonly GeneralName[];
  /** Lowercase hex of the magnitude, as @mynakit/pki writes serial numbers. */
  readonly authorityCertSerialNumber?: string;
}

/** Decodes the extension value (the DER inside extnValue). Throws on malformed input. */
export function readAuthorityKeyIdentifier(value: Uint8Array): AuthorityKeyIdentifier {
  const seq = readDer(value, 'AuthorityKeyIdentifier');
  if (seq.tag !== DerTag.SEQUENCE)
    throw new JpkiError('EXTENSION_MALFORMED', 'AuthorityKeyIdentifier is not a SEQUENCE');
  const r = derChildren(seq, 'AuthorityKeyIdentifier');
  const kid = r.optional(0x80);
  const issuer = r.optional(0xa1);
  const serial = r.optional(0x82);
  r.finish('AuthorityKeyIdentifier');
  if ((issuer === undefined) !== (serial === undefined)) {
    // §4.2.1.1 (ASN.1 comment in §A.2): authorityCertIssuer and authorityCertSerialNumber go together.
    throw new JpkiError(
      'EXTENSION_MALFORMED',
      'AuthorityKeyIdentifier: authorityCertIssuer and authorityCertSerialNumber must both be present or both absent',
    );
  }
  return {
    ...(kid !== undefined ? { keyIdentifier: Buffer.from(kid.value).toString('hex') } : {}),
    // authorityCertIssuer [1] IMPLICIT GeneralNames: its contents are the GeneralName elements.
    ...(issuer !== undefined ? { authorityCertIssuer: readGeneralNames(issuer.value) } : {}),
    ...(serial !== undefined ? { authorityCertSerialNumber: normaliseSerialNumber(readBigInt(serial)) } : {}),
  };
}

/** The AuthorityKeyIdentifier of a certificate, or undefined when it has none. Throws when malformed. */
export function authorityKeyIdentifierOf(
  cert: Pick<Certificate, 'extensions'>,
): AuthorityKeyIdentifier | undefined {
  const ext = cert.extensions.find((e) => e.oid === AUTHORITY_KEY_IDENTIFIER_OID);
  return ext === undefined ? undefined : readAuthorityKeyIdentifier(ext.value);
}

/**
 * The AuthorityKeyIdentifier a certificate issued by `issuer` carries in the J-LIS form: the issuer's key
 * identifier (its SKI, as @mynakit/pki would write it), the issuer certificate's own issuer name (copied
 * byte for byte, as one directoryName) and its serial number. An issuer whose serial is negative — which
 * RFC 5280 §4.1.2.2 forbids ("MUST be a positive integer") — is named by its key identifier only.
 */
export function fullAuthorityKeyIdentifier(issuer: Certificate, keyIdentifier: string): ExtensionInput {
  if (issuer.serialNumber.startsWith('-')) return { type: 'authorityKeyIdentifier', keyIdentifier };
  return {
    type: 'authorityKeyIdentifier',
    keyIdentifier,
    authorityCertIssuer: [{ type: 'directoryName', value: issuer.issuerDer }],
    authorityCertSerialNumber: issuer.serialNumber,
  };
}
