/**
 * Every name, object identifier, URL path and validity period of the sandbox CA hierarchy, in one place.
 *
 * Names say "sandbox" and never imitate J-LIS or the Digital Agency: a relying party that trusts the real
 * CAs must never find a sandbox certificate chaining to them by name, and nobody reading a sandbox
 * certificate may take it for a real one. Policy OIDs sit under 1.3.6.1.4.1.32473 — the private
 * enterprise number RFC 5612 reserves for documentation and examples, the arc @mynakit/pki's
 * STATUS_LIST_SIGNING_EKU and @mynakit/oid4vp's reader-certificate OIDs use:
 *
 *   1.3.6.1.4.1.32473.1          mynakit
 *   1.3.6.1.4.1.32473.1.1–1.3    (oid4vp and pki: legal-basis policy and qualifier, status list EKU)
 *   1.3.6.1.4.1.32473.1.4        sandbox issuer certificate policies
 *   1.3.6.1.4.1.32473.1.4.1      sandbox JPKI signature certificate policy
 *   1.3.6.1.4.1.32473.1.4.2      sandbox JPKI user-authentication certificate policy
 */
import {
  type JpkiPolicyConfig,
  type NameAttributes,
  SANDBOX_CPS_URI,
  SANDBOX_SIGNATURE_CA_ALT_NAME,
  SANDBOX_SIGNATURE_CA_NAME,
  SANDBOX_USER_AUTHENTICATION_CA_ALT_NAME,
  SANDBOX_USER_AUTHENTICATION_CA_NAME,
} from '@mynakit/jpki';

/** The arc of the sandbox issuer's own certificate policies (see the file comment). */
export const SANDBOX_POLICY_ARC = '1.3.6.1.4.1.32473.1.4';

/** Certificate policies of sandbox JPKI end certificates (critical, with a CPS qualifier, as J-LIS's). */
export const SANDBOX_JPKI_POLICY_OID = {
  signature: `${SANDBOX_POLICY_ARC}.1`,
  userAuthentication: `${SANDBOX_POLICY_ARC}.2`,
} as const;

/** What a verifier configures to accept sandbox JPKI certificates (@mynakit/jpki `policies`). */
export const SANDBOX_JPKI_POLICY_CONFIG: JpkiPolicyConfig = {
  signaturePolicyOids: [SANDBOX_JPKI_POLICY_OID.signature],
  userAuthenticationPolicyOids: [SANDBOX_JPKI_POLICY_OID.userAuthentication],
};

/** The CPS pointer qualifier of sandbox JPKI policies: a URN, never fetched (@mynakit/jpki's). */
export const SANDBOX_JPKI_CPS_URI = SANDBOX_CPS_URI;

/** The docTypes the sandbox issues: the card-substitute record and a sample mDL. */
export const SANDBOX_DOCTYPE = {
  /** The card-substitute record (DOMAIN.md §2). */
  mnc: 'org.iso.23220.1.jp.mnc',
  /** A sample ISO/IEC 18013-5 mDL, standing in for a foreign driving licence on the same phone. */
  mdl: 'org.iso.18013.5.1.mDL',
} as const;

/**
 * The country of the sample mDL: ZZ, in the ISO 3166-1 user-assigned range (AA, QM–QZ, XA–XZ, ZZ), so
 * the stand-in licence can pass for no real state's. Its `issuing_country` element must say the same
 * (ISO/IEC 18013-5 §7.2.1: it matches the DS certificate's countryName).
 */
export const SANDBOX_MDL_COUNTRY = 'ZZ';

/** X.501 names, most significant first (one attribute per RDN). */
export const SANDBOX_NAME = {
  /** JPKI signature CA: @mynakit/jpki's sandbox name (`C=JP, O=mynakit sandbox, OU=sandbox digital signature CA`). */
  jpkiSignatureCa: SANDBOX_SIGNATURE_CA_NAME,
  /** Its Japanese directoryName (subjectAltName of the CA, issuerAltName of what it issues). */
  jpkiSignatureCaAlt: SANDBOX_SIGNATURE_CA_ALT_NAME,
  jpkiUserAuthenticationCa: SANDBOX_USER_AUTHENTICATION_CA_NAME,
  jpkiUserAuthenticationCaAlt: SANDBOX_USER_AUTHENTICATION_CA_ALT_NAME,
  jpkiSignatureOcsp: [
    ['C', 'JP'],
    ['O', 'mynakit sandbox'],
    ['OU', 'sandbox digital signature CA'],
    ['CN', 'Sandbox OCSP responder'],
  ],
  jpkiUserAuthenticationOcsp: [
    ['C', 'JP'],
    ['O', 'mynakit sandbox'],
    ['OU', 'sandbox user authentication CA'],
    ['CN', 'Sandbox OCSP responder'],
  ],
  mncIaca: [
    ['C', 'JP'],
    ['O', 'mynakit sandbox'],
    ['CN', 'Sandbox IACA for card-substitute records'],
  ],
  mncDocumentSigner: [
    ['C', 'JP'],
    ['O', 'mynakit sandbox'],
    ['CN', 'Sandbox document signer for card-substitute records'],
  ],
  mncStatusListSigner: [
    ['C', 'JP'],
    ['O', 'mynakit sandbox'],
    ['CN', 'Sandbox status list signer'],
  ],
  mdlIaca: [
    ['C', SANDBOX_MDL_COUNTRY],
    ['O', 'mynakit sandbox'],
    ['CN', 'Sandbox IACA for sample mDLs'],
  ],
  mdlDocumentSigner: [
    ['C', SANDBOX_MDL_COUNTRY],
    ['O', 'mynakit sandbox'],
    ['CN', 'Sandbox document signer for sample mDLs'],
  ],
  attestationRoot: [
    ['C', 'JP'],
    ['O', 'mynakit sandbox'],
    ['CN', 'Sandbox platform attestation root CA'],
  ],
  attestationCa: [
    ['C', 'JP'],
    ['O', 'mynakit sandbox'],
    ['CN', 'Sandbox platform attestation CA'],
  ],
  readerCa: [
    ['C', 'JP'],
    ['O', 'mynakit sandbox'],
    ['CN', 'Sandbox reader CA'],
  ],
} as const satisfies Record<string, NameAttributes>;

/**
 * Where the sandbox issuer publishes what its certificates point to, appended to the hierarchy's base
 * URL. The routes belong to the revocation publishing; these are the names baked into certificates.
 */
export const SANDBOX_URL_PATH = {
  /** A CA's CRL (mdoc CAs carry it as a URI; JPKI CAs, as J-LIS, only as a directoryName). */
  crl: (caName: string): string => `/ca/${caName}.crl`,
  /** The JPKI OCSP responder, for both CAs (requests name their issuer). */
  jpkiOcsp: '/jpki/ocsp',
} as const;

/**
 * The base URL baked into certificates when the caller gives none: under `.invalid` (RFC 2606), so a
 * sandbox certificate never sends anyone to a real host. Verifiers map it to the running sandbox.
 */
export const SANDBOX_DEFAULT_BASE_URL = 'https://issuer.sandbox-mynakit.invalid';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

/**
 * Validity and renewal of each kind of certificate, counted from the hierarchy's epoch (its first start):
 * generation g of a kind covers [epoch + g·period, epoch + (g+1)·period) and is valid `validity` from its
 * start. Roots renew every 4 years and live 10, as the J-LIS generations (2015, 2019, 2023; 10 years
 * each): a 5-year JPKI certificate issued at the end of a generation still ends inside its CA. Document
 * signers, the status-list signer and OCSP responders renew yearly and live 457 days, the longest
 * ISO/IEC 18013-5 Annex B.1.4 allows a DS. The attestation CA renews with its root and lives 6 years.
 */
export const SANDBOX_SCHEDULE = {
  root: { periodMs: 4 * YEAR, validityMs: 10 * YEAR },
  intermediate: { periodMs: 4 * YEAR, validityMs: 6 * YEAR },
  signer: { periodMs: YEAR, validityMs: 457 * DAY },
} as const;
