/**
 * Certificate policies with their qualifiers (RFC 5280 §4.2.1.4). @mynakit/pki reads the policy OIDs
 * (all path validation and the JPKI profiles need) and writes policies with CPS pointers; real JPKI end
 * certificates carry a CPS pointer qualifier, which this file asks pki for and reads for display.
 *
 *   certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation
 *   PolicyInformation ::= SEQUENCE {
 *        policyIdentifier   CertPolicyId,
 *        policyQualifiers   SEQUENCE SIZE (1..MAX) OF PolicyQualifierInfo OPTIONAL }
 *   PolicyQualifierInfo ::= SEQUENCE {
 *        policyQualifierId  PolicyQualifierId,
 *        qualifier          ANY DEFINED BY policyQualifierId }
 *   id-qt-cps      OBJECT IDENTIFIER ::=  { id-qt 1 }     -- 1.3.6.1.5.5.7.2.1
 *   id-qt-unotice  OBJECT IDENTIFIER ::=  { id-qt 2 }
 *   CPSuri ::= IA5String
 */
import { type Certificate, DerTag, derChildren, type ExtensionInput, readDer, readOid } from '@mynakit/pki';
import { JpkiError } from './errors.js';

export const CERTIFICATE_POLICIES_OID = '2.5.29.32';
export const ID_QT_CPS = '1.3.6.1.5.5.7.2.1';
export const ID_QT_UNOTICE = '1.3.6.1.5.5.7.2.2';

export interface PolicyInformationInput {
  readonly policy: string;
  /** A CPS pointer qualifier (CPSuri). */
  readonly cpsUri?: string;
}

export interface PolicyInformation {
  readonly policy: string;
  /** CPS pointers, in order. */
  readonly cpsUris: readonly string[];
  /** OIDs of the other qualifiers (user notices, …), in order. */
  readonly otherQualifiers: readonly string[];
}

/**
 * A certificatePolicies extension whose policies may carry a CPS pointer, written by @mynakit/pki (which
 * also refuses an empty list: SEQUENCE SIZE (1..MAX)).
 */
export function certificatePoliciesExtension(
  policies: readonly PolicyInformationInput[],
  critical: boolean,
): ExtensionInput {
  return {
    type: 'certificatePolicies',
    policies: policies.map((p) =>
      p.cpsUri === undefined ? p.policy : { policy: p.policy, cpsUris: [p.cpsUri] },
    ),
    critical,
  };
}

/** The policies with their qualifiers; empty when the extension is absent. Throws when malformed. */
export function policyInformationOf(cert: Pick<Certificate, 'extensions'>): PolicyInformation[] {
  const ext = cert.extensions.find((e) => e.oid === CERTIFICATE_POLICIES_OID);
  if (ext === undefined) return [];
  const out: PolicyInformation[] = [];
  const seq = readDer(ext.value, 'certificatePolicies');
  if (seq.tag !== DerTag.SEQUENCE)
    throw new JpkiError('EXTENSION_MALFORMED', 'certificatePolicies is not a SEQUENCE');
  const r = derChildren(seq, 'certificatePolicies');
  while (!r.done) {
    const info = derChildren(r.expect(DerTag.SEQUENCE, 'PolicyInformation'), 'PolicyInformation');
    const policy = readOid(info.expect(DerTag.OID, 'policyIdentifier'));
    const cpsUris: string[] = [];
    const otherQualifiers: string[] = [];
    const qualifiers = info.optional(DerTag.SEQUENCE);
    info.finish('PolicyInformation');
    if (qualifiers !== undefined) {
      const q = derChildren(qualifiers, 'policyQualifiers');
      while (!q.done) {
        const pqi = derChildren(q.expect(DerTag.SEQUENCE, 'PolicyQualifierInfo'), 'PolicyQualifierInfo');
        const id = readOid(pqi.expect(DerTag.OID, 'policyQualifierId'));
        const value = pqi.next('qualifier');
        pqi.finish('PolicyQualifierInfo');
        if (id === ID_QT_CPS && value.tag === DerTag.IA5_STRING) cpsUris.push(latin1(value.value));
        else otherQualifiers.push(id);
      }
    }
    out.push({ policy, cpsUris, otherQualifiers });
  }
  return out;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
