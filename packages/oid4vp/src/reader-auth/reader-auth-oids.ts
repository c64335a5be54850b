/**
 * Object identifiers of the mynakit reader-authentication profile — configuration, not scattered
 * literals (DOMAIN.md: facts that are inferences or our own choices live in one place).
 *
 * mynakit has no IANA Private Enterprise Number yet. Until it has one, the private arc is
 * 1.3.6.1.4.1.32473, the PEN that RFC 5612 reserves for documentation and examples: certificates made
 * with it are test certificates by construction. A deployment with its own PEN passes its OIDs in
 * `MyNumberBasisOids`; readers accept whatever OIDs they are configured with.
 *
 *   1.3.6.1.4.1.32473          placeholder PEN (RFC 5612)
 *   1.3.6.1.4.1.32473.1        mynakit
 *   1.3.6.1.4.1.32473.1.1      certificate policy: "this relying party declares a legal basis to receive My Number"
 *   1.3.6.1.4.1.32473.1.2      policy qualifier: MyNumberLegalBasis (the provision and the basis code)
 */
export const PLACEHOLDER_PRIVATE_ARC = '1.3.6.1.4.1.32473';

export interface MyNumberBasisOids {
  /** CertPolicyId whose presence declares a legal basis to receive `individual_number_unicode`. */
  readonly policy: string;
  /** PolicyQualifierId of the MyNumberLegalBasis qualifier. */
  readonly qualifier: string;
}

export const DEFAULT_MY_NUMBER_BASIS_OIDS: MyNumberBasisOids = {
  policy: `${PLACEHOLDER_PRIVATE_ARC}.1.1`,
  qualifier: `${PLACEHOLDER_PRIVATE_ARC}.1.2`,
};

/** ISO/IEC 18013-5 Annex B: extended key usage of an mdoc reader authentication certificate. */
export const MDOC_READER_AUTH_EKU = '1.0.18013.5.1.6';

/** RFC 5280 §4.2.1.4 certificatePolicies. */
export const CERTIFICATE_POLICIES_OID = '2.5.29.32';
