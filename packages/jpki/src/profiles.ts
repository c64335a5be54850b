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
 * The Japanese directoryName in the subjectAltName of the real J-LIS CA certificates (and so in the
 * issuerAltName of the certificates they issue). [C: the published CA certificates, vectors/jpki-real]
 */
export const JPKI_SIGNATURE_CA_ALT_NAME: NameAttributes = [
  ['C', 'JP'],
  ['O', '公的個人認証サービス'],
  ['OU', '公的個人認証サービス署名用'],
  ['OU', '地方公共団体情報システム機構'],
];

export const JPKI_USER_AUTHENTICATION_CA_ALT_NAME: NameAttributes = [
  ['C', 'JP'],
  ['O', '公的個人認証サービス'],
  ['OU', '公的個人認証サービス利用者証明用'],
  ['OU', '地方公共団体情報システム機構'],
];

/**
 * The names our own CAs take by default (the sandbox, tests, benchmarks). They have the J-LIS structure
 * but never a J-LIS name: nothing this toolkit issues may pass for J-LIS, and a relying party that trusts
 * the real CAs must never find a sandbox certificate chaining by name to one of them.
 */
export const SANDBOX_SIGNATURE_CA_NAME: NameAttributes = [
  ['C', 'JP'],
  ['O', 'mynakit sandbox'],
  ['OU', 'sandbox digital signature CA'],
];

export const SANDBOX_USER_AUTHENTICATION_CA_NAME: NameAttributes = [
  ['C', 'JP'],
  ['O', 'mynakit sandbox'],
  ['OU', 'sandbox user authentication CA'],
];

export const SANDBOX_SIGNATURE_CA_ALT_NAME: NameAttributes = [
  ['C', 'JP'],
  ['O', 'mynakit サンドボックス'],
  ['OU', 'サンドボックス署名用認証局'],
];

export const SANDBOX_USER_AUTHENTICATION_CA_ALT_NAME: NameAttributes = [
  ['C', 'JP'],
  ['O', 'mynakit サンドボックス'],
  ['OU', 'サンドボックス利用者証明用認証局'],
];

/** A CPS pointer for sandbox certificates: a URN, never fetched, never J-LIS's. */
export const SANDBOX_CPS_URI = 'urn:mynakit:sandbox:jpki:cps';

export function sandboxCaNameFor(purpose: JpkiCertificatePurpose): NameAttributes {
  return purpose === 'signature' ? SANDBOX_SIGNATURE_CA_NAME : SANDBOX_USER_AUTHENTICATION_CA_NAME;
}

export function sandboxCaAltNameFor(purpose: JpkiCertificatePurpose): NameAttributes {
  return purpose === 'signature' ? SANDBOX_SIGNATURE_CA_ALT_NAME : SANDBOX_USER_AUTHENTICATION_CA_ALT_NAME;
}

/** Which J-LIS CA a subject name (string form, as @mynakit/pki prints it) is, if any. */
export function jpkiCaPurposeOf(subject: string): JpkiCertificatePurpose | undefined {
  if (subject === formatName(JPKI_SIGNATURE_CA_NAME)) return 'signature';
  if (subject === formatName(JPKI_USER_AUTHENTICATION_CA_NAME)) return 'userAuthentication';
  return undefined;
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

/** One attribute of a name in the structured NameInput form of @mynakit/pki (type: short name or OID). */
export interface NameRdnAttribute {
  readonly type: string;
  readonly value: string;
}

const OU_TYPES = new Set(['OU', '2.5.4.11']);

/**
 * The directoryName of a CRL distribution point under a CA, in the J-LIS shape [C for user
 * authentication; S for signature]: the CA's name without J-LIS's own organisational unit, then
 * `OU=CRL Distribution Points`, then — user-authentication CRLs are partitioned by municipality —
 * `OU=<prefecture>, CN=<municipality> CRLDP`. Under J-LIS's user-authentication CA this gives
 * `C=JP, O=JPKI, OU=JPKI for user authentication, OU=CRL Distribution Points, OU=Ibaraki-ken,
 * CN=Tsukuba-shi CRLDP`; under a sandbox CA the same shape under the sandbox name.
 */
export function crlDistributionPointUnder(
  caName: readonly (readonly NameRdnAttribute[])[],
  partition?: { readonly prefecture: string; readonly municipality: string },
): NameRdnAttribute[][] {
  const base = caName.map((rdn) => [...rdn]);
  const last = base[base.length - 1];
  if (last?.length === 1 && OU_TYPES.has(last[0]?.type ?? '') && last[0]?.value === JLIS_OU) base.pop();
  base.push([{ type: 'OU', value: 'CRL Distribution Points' }]);
  if (partition !== undefined) {
    base.push([{ type: 'OU', value: partition.prefecture }]);
    base.push([{ type: 'CN', value: `${partition.municipality} CRLDP` }]);
  }
  return base;
}

/**
 * The CRL distribution point of a user-authentication certificate: a directoryName partitioned by
 * municipality [C], by default under J-LIS's user-authentication CA, e.g. `C=JP, O=JPKI, OU=JPKI for user
 * authentication, OU=CRL Distribution Points, OU=Ibaraki-ken, CN=Tsukuba-shi CRLDP`.
 */
export function userAuthenticationCrlDistributionPoint(
  prefecture: string,
  municipality: string,
  caName: NameAttributes = JPKI_USER_AUTHENTICATION_CA_NAME,
): NameAttributes {
  return fromRdns(crlDistributionPointUnder(nameToRdns(caName), { prefecture, municipality }));
}

/** The CRL distribution point of signature certificates (one CRL for the CA; [S] shape, configuration). */
export function signatureCrlDistributionPoint(
  caName: NameAttributes = JPKI_SIGNATURE_CA_NAME,
): NameAttributes {
  return fromRdns(crlDistributionPointUnder(nameToRdns(caName)));
}

const NAME_TYPES = new Set(['C', 'O', 'OU', 'L', 'ST', 'CN']);

function fromRdns(rdns: readonly (readonly NameRdnAttribute[])[]): NameAttributes {
  return rdns.map((rdn) => {
    const a = rdn[0];
    if (rdn.length !== 1 || a === undefined || !NAME_TYPES.has(a.type))
      throw new TypeError('a JPKI name has one C, O, OU, L, ST or CN attribute per RDN');
    return [a.type as NameAttributes[number][0], a.value] as const;
  });
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
