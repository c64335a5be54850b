/**
 * JPKI certificate profiles as configuration (DOMAIN.md §3; J-LIS 公的個人認証サービス プロファイル仕様書).
 *
 * Everything here that is not confirmed by a public primary source is a dated, overridable table — never a
 * literal scattered through the code. In particular the policy OIDs of smartphone certificates are not
 * published: callers add them through `JpkiPolicyConfig`.
 */

/** Object identifiers used by JPKI (arc 1.2.392.200149 = J-LIS). */
export const JPKI_OID = {
  /** CertificatePolicies of the signature certificate (署名用電子証明書). [C] */
  signaturePolicy: '1.2.392.200149.8.5.1.1.20',
  /** CertificatePolicies of J-LIS test cards (signature). [C] */
  signaturePolicyTestCard: '1.2.392.200149.8.5.1.0.20',
  /** CertificatePolicies of the user-authentication certificate (利用者証明用電子証明書). [C] */
  userAuthenticationPolicy: '1.2.392.200149.8.5.1.3.30',
  /** SubjectAltName otherName type-ids carrying the basic four facts (UTF8String values). [C] */
  name: '1.2.392.200149.8.5.5.1',
  nameSubstitutionMap: '1.2.392.200149.8.5.5.2',
  sex: '1.2.392.200149.8.5.5.3',
  birthDate: '1.2.392.200149.8.5.5.4',
  address: '1.2.392.200149.8.5.5.5',
  addressSubstitutionMap: '1.2.392.200149.8.5.5.6',
} as const;

/** RFC 5280 / RFC 5246 object identifiers the profiles refer to. */
export const X509_OID = {
  clientAuth: '1.3.6.1.5.5.7.3.2',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  certificatePolicies: '2.5.29.32',
  subjectAltName: '2.5.29.17',
  crlDistributionPoints: '2.5.29.31',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
} as const;

/** Which certificate policies each verification profile accepts. */
export interface JpkiPolicyConfig {
  /** Accepted signature-certificate policy OIDs (add the smartphone OID here once known). */
  readonly signaturePolicyOids: readonly string[];
  /** Accepted user-authentication policy OIDs. */
  readonly userAuthenticationPolicyOids: readonly string[];
}

/**
 * Production default: only the published card policies. J-LIS test cards are not accepted unless the caller
 * opts in with `JPKI_TEST_POLICY_CONFIG` (a relying party must never take a test card for a person).
 */
export const DEFAULT_JPKI_POLICY_CONFIG: JpkiPolicyConfig = {
  signaturePolicyOids: [JPKI_OID.signaturePolicy],
  userAuthenticationPolicyOids: [JPKI_OID.userAuthenticationPolicy],
};

/** Also accepts the J-LIS test-card signature policy: for test environments and the sandbox. */
export const JPKI_TEST_POLICY_CONFIG: JpkiPolicyConfig = {
  signaturePolicyOids: [JPKI_OID.signaturePolicy, JPKI_OID.signaturePolicyTestCard],
  userAuthenticationPolicyOids: [JPKI_OID.userAuthenticationPolicy],
};

/** An X.501 Name as an ordered list of attributes, most significant first (C first), one attribute per RDN. */
export type NameAttributes = readonly (readonly [
  type: 'C' | 'O' | 'OU' | 'L' | 'ST' | 'CN',
  value: string,
])[];

export type JpkiCertificatePurpose = 'signature' | 'userAuthentication';

const JLIS_OU = 'Japan Agency for Local Authority Information Systems';

/** Subject of the JPKI signature CA. [C] */
export const JPKI_SIGNATURE_CA_NAME: NameAttributes = [
  ['C', 'JP'],
  ['O', 'JPKI'],
  ['OU', 'JPKI for digital signature'],
  ['OU', JLIS_OU],
];

/** Subject of the JPKI user-authentication CA. [C] */
export const JPKI_USER_AUTHENTICATION_CA_NAME: NameAttributes = [
  ['C', 'JP'],
  ['O', 'JPKI'],
  ['OU', 'JPKI for user authentication'],
  ['OU', JLIS_OU],
];

export function caNameFor(purpose: JpkiCertificatePurpose): NameAttributes {
  return purpose === 'signature' ? JPKI_SIGNATURE_CA_NAME : JPKI_USER_AUTHENTICATION_CA_NAME;
}

/**
 * CA generations. J-LIS renews each CA key on a schedule and the generations overlap, so several CA
 * certificates with the same subject are current at once; a verifier trusts all current ones and picks the
 * issuer of a given certificate by AuthorityKeyIdentifier = SubjectKeyIdentifier, never by name alone.
 * Years are the published generation labels [C]; exact days and key identifiers come from the CA
 * certificates themselves (configuration), not from this table.
 */
export interface JpkiCaGeneration {
  readonly purpose: JpkiCertificatePurpose;
  readonly label: string;
  readonly fromYear: number;
  readonly toYear: number;
}

export const JPKI_CA_GENERATIONS: readonly JpkiCaGeneration[] = [
  { purpose: 'signature', label: '2015', fromYear: 2015, toYear: 2025 },
  { purpose: 'signature', label: '2019', fromYear: 2019, toYear: 2029 },
  { purpose: 'signature', label: '2023', fromYear: 2023, toYear: 2033 },
  { purpose: 'userAuthentication', label: '2015', fromYear: 2015, toYear: 2025 },
  { purpose: 'userAuthentication', label: '2019', fromYear: 2019, toYear: 2029 },
  { purpose: 'userAuthentication', label: '2023', fromYear: 2023, toYear: 2033 },
];

/** Generations whose labelled span contains the given year (coarse: the CA certificates decide exactly). */
export function caGenerationsCurrentIn(
  year: number,
  purpose: JpkiCertificatePurpose,
  table: readonly JpkiCaGeneration[] = JPKI_CA_GENERATIONS,
): JpkiCaGeneration[] {
  return table.filter((g) => g.purpose === purpose && g.fromYear <= year && year <= g.toYear);
}

/** A CA certificate as far as issuer selection needs it. */
export interface KeyIdentified {
  readonly subjectKeyIdentifier?: string | undefined;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/**
 * Picks the CA generation that issued a certificate: the candidate whose SubjectKeyIdentifier equals the
 * certificate's AuthorityKeyIdentifier (hex, case-insensitive), preferring one valid at `at`.
 */
export function selectIssuerGeneration<T extends KeyIdentified>(
  authorityKeyIdentifier: string | undefined,
  candidates: readonly T[],
  at?: Date,
): T | undefined {
  if (authorityKeyIdentifier === undefined) return undefined;
  const aki = authorityKeyIdentifier.toLowerCase();
  const matching = candidates.filter((c) => c.subjectKeyIdentifier?.toLowerCase() === aki);
  if (at !== undefined) {
    const current = matching.find((c) => c.notBefore <= at && at <= c.notAfter);
    if (current !== undefined) return current;
  }
  return matching[0];
}

/**
 * The CRL distribution point of a user-authentication certificate: a directoryName partitioned by
 * municipality [C], e.g. `C=JP, O=JPKI, OU=JPKI for user authentication, OU=CRL Distribution Points,
 * OU=Ibaraki-ken, CN=Tsukuba-shi CRLDP`.
 */
export function userAuthenticationCrlDistributionPoint(
  prefecture: string,
  municipality: string,
): NameAttributes {
  return [
    ['C', 'JP'],
    ['O', 'JPKI'],
    ['OU', 'JPKI for user authentication'],
    ['OU', 'CRL Distribution Points'],
    ['OU', prefecture],
    ['CN', `${municipality} CRLDP`],
  ];
}

/** The CRL distribution point of signature certificates (one CRL for the CA; [S] shape, configuration). */
export function signatureCrlDistributionPoint(): NameAttributes {
  return [
    ['C', 'JP'],
    ['O', 'JPKI'],
    ['OU', 'JPKI for digital signature'],
    ['OU', 'CRL Distribution Points'],
  ];
}

/**
 * The string form of a name in encoding order (`C=JP, O=JPKI, OU=…`), as OpenSSL prints names, as J-LIS
 * documents write them, and as @mynakit/pki reads name strings.
 */
export function formatName(name: NameAttributes): string {
  return name.map(([t, v]) => `${t}=${escapeValue(v)}`).join(', ');
}

/** The same name as RDNs of attributes (one attribute per RDN), the structured NameInput of @mynakit/pki. */
export function nameToRdns(name: NameAttributes): { type: string; value: string }[][] {
  return name.map(([type, value]) => [{ type, value }]);
}

function escapeValue(value: string): string {
  let out = value.replace(/([,+"\\<>;=])/g, '\\$1');
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}
