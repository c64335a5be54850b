/**
 * IssuerAltName (RFC 5280 §4.2.1.7): "used to associate Internet style identities with the certificate
 * issuer … MUST be encoded as in 4.2.1.6", i.e. GeneralNames. Real JPKI end certificates carry it with the
 * CA's Japanese directoryName (`C=JP, O=公的個人認証サービス, OU=公的個人認証サービス署名用,
 * OU=地方公共団体情報システム機構`) — the same names as the CA certificate's own subjectAltName.
 *
 *   IssuerAltName ::= GeneralNames
 */
import {
  type Certificate,
  type ExtensionInput,
  type GeneralName,
  type GeneralNameInput,
  readDer,
  readGeneralNames,
} from '@mynakit/pki';
import { JpkiError } from './errors.js';

export const ISSUER_ALT_NAME_OID = '2.5.29.18';
const SUBJECT_ALT_NAME_OID = '2.5.29.17';

/** A name an issuerAltName may carry (written by @mynakit/pki: directoryName, rfc822Name, dNSName, URI…). */
export type WritableGeneralName = GeneralNameInput;

/** The issuer's alternative names; empty when the extension is absent. Throws when malformed. */
export function issuerAltNameOf(cert: Pick<Certificate, 'extensions'>): GeneralName[] {
  const ext = cert.extensions.find((e) => e.oid === ISSUER_ALT_NAME_OID);
  if (ext === undefined) return [];
  const seq = readDer(ext.value, 'IssuerAltName');
  if (seq.tag !== 0x30) throw new JpkiError('EXTENSION_MALFORMED', 'IssuerAltName is not a SEQUENCE');
  return readGeneralNames(seq.value);
}

/**
 * An issuerAltName extension (non-critical, §4.2.1.7 SHOULD NOT be critical) with the given names (at
 * least one: GeneralNames ::= SEQUENCE SIZE (1..MAX), checked by pki when the certificate is built).
 */
export function issuerAltNameExtension(names: readonly WritableGeneralName[]): ExtensionInput {
  return { type: 'issuerAltName', names, critical: false };
}

/**
 * The issuerAltName of a certificate issued by `issuer`: the issuer's own subjectAltName, byte for byte
 * (what J-LIS does), or undefined when the issuer has none.
 */
export function issuerAltNameFromIssuer(issuer: Pick<Certificate, 'extensions'>): ExtensionInput | undefined {
  const san = issuer.extensions.find((e) => e.oid === SUBJECT_ALT_NAME_OID);
  return san === undefined
    ? undefined
    : { type: 'raw', oid: ISSUER_ALT_NAME_OID, critical: false, valueDer: san.value };
}
