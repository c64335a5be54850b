import { type Certificate, parseCertificate } from '@mynakit/pki';
import { Oid4vpError } from '../errors.js';
import { DER_TAG, derItems, derOid, derOne, derSequence, derUtf8, readUtf8 } from './der.js';
import {
  CERTIFICATE_POLICIES_OID,
  DEFAULT_MY_NUMBER_BASIS_OIDS,
  type MyNumberBasisOids,
} from './reader-auth-oids.js';

/**
 * A relying party's declaration, in its reader-authentication certificate, of a legal basis to receive
 * the holder's My Number (番号法 §19 lists when specific personal information may be provided; a
 * business may only collect it with such a basis, §15, §20 — DOMAIN.md §2). The wallet reads it in its
 * consent logic: without a declaration it never discloses `individual_number_unicode`.
 *
 * Encoding (RFC 5280 §4.2.1.4): one PolicyInformation in certificatePolicies, the policy OID of
 * `MyNumberBasisOids.policy`, with one PolicyQualifierInfo whose qualifier is:
 *
 * ```asn1
 * MyNumberLegalBasis ::= SEQUENCE {
 *   provision  UTF8String,  -- the statute and article, e.g. "行政手続における特定の個人を識別するための番号の利用等に関する法律 第19条"
 *   basisCode  UTF8String   -- the relying party's basis under it: the item (号) or a code its regulator assigned
 * }
 * ```
 * The qualifier says what the relying party claims; whether the claim is true is vouched for by the CA
 * that issued the certificate, i.e. by the wallet's choice of reader trust anchors.
 */
export interface MyNumberLegalBasis {
  readonly provision: string;
  readonly basisCode: string;
}

export type MyNumberLegalBasisDeclaration =
  | { readonly declared: false }
  | ({ readonly declared: true; readonly policyOid: string } & MyNumberLegalBasis);

/** The certificatePolicies extension value (DER) declaring `basis`, plus any other plain policy OIDs. */
export function encodeMyNumberBasisPolicies(
  basis: MyNumberLegalBasis,
  otherPolicies: readonly string[] = [],
  oids: MyNumberBasisOids = DEFAULT_MY_NUMBER_BASIS_OIDS,
): Uint8Array {
  if (basis.provision.trim() === '' || basis.basisCode.trim() === '') {
    throw new Oid4vpError('invalid_request', 'a My Number legal basis needs a provision and a basis code');
  }
  const qualifier = derSequence(
    derOid(oids.qualifier),
    derSequence(derUtf8(basis.provision), derUtf8(basis.basisCode)),
  );
  return derSequence(
    derSequence(derOid(oids.policy), derSequence(qualifier)),
    ...otherPolicies.map((p) => derSequence(derOid(p))),
  );
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Reads the declaration from a certificate. Absent policy → `{declared: false}`. The policy present
 * but its qualifier missing or malformed → DECODE (a certificate that half-declares a basis is refused,
 * never read as a basis).
 */
export function readMyNumberLegalBasis(
  certificate: Certificate | Uint8Array,
  oids: MyNumberBasisOids = DEFAULT_MY_NUMBER_BASIS_OIDS,
): MyNumberLegalBasisDeclaration {
  const cert = certificate instanceof Uint8Array ? parseCertificate(certificate) : certificate;
  const ext = cert.extensions.find((e) => e.oid === CERTIFICATE_POLICIES_OID);
  if (!ext) return { declared: false };
  const policyOid = derOid(oids.policy);
  const qualifierOid = derOid(oids.qualifier);
  for (const info of derItems(derOne(ext.value, DER_TAG.SEQUENCE, 'certificatePolicies').content)) {
    const [id, qualifiers] = derItems(info.content);
    if (!id || !equalBytes(id.raw, policyOid)) continue;
    if (!qualifiers || qualifiers.tag !== DER_TAG.SEQUENCE) {
      throw new Oid4vpError('DECODE', 'the My Number policy has no MyNumberLegalBasis qualifier');
    }
    for (const q of derItems(qualifiers.content)) {
      const [qid, value] = derItems(q.content);
      if (!qid || !equalBytes(qid.raw, qualifierOid)) continue;
      if (!value || value.tag !== DER_TAG.SEQUENCE)
        throw new Oid4vpError('DECODE', 'MyNumberLegalBasis must be a SEQUENCE');
      const [provision, basisCode, ...rest] = derItems(value.content);
      if (!provision || !basisCode || rest.length > 0)
        throw new Oid4vpError('DECODE', 'MyNumberLegalBasis must hold two strings');
      return {
        declared: true,
        policyOid: oids.policy,
        provision: readUtf8(provision, 'MyNumberLegalBasis.provision'),
        basisCode: readUtf8(basisCode, 'MyNumberLegalBasis.basisCode'),
      };
    }
    throw new Oid4vpError('DECODE', 'the My Number policy has no MyNumberLegalBasis qualifier');
  }
  return { declared: false };
}
