/**
 * ISO/IEC 18013-5:2021 Annex B certificate profiles, as a layer separate from RFC 5280 validation.
 *
 * B.1.2 (IACA root): v3; self-issued; countryName in the subject; validity ≤ 20 years;
 *   basicConstraints critical cA=TRUE pathLenConstraint 0; keyUsage critical keyCertSign + cRLSign;
 *   subjectKeyIdentifier; issuerAltName; cRLDistributionPoints; ECDSA/EdDSA signature.
 * B.1.4 (document signer): v3; validity ≤ 457 days; not a CA; keyUsage critical digitalSignature;
 *   extKeyUsage critical id-mdl-kp-mdlDS (1.0.18013.5.1.2); authorityKeyIdentifier; subjectKeyIdentifier;
 *   issuerAltName; cRLDistributionPoints; the issuer's countryName present (and the subject's, when
 *   present, equal to it).
 *
 * Deployed certificates deviate (DS certificates that are CA:TRUE without keyUsage, no CRL distribution
 * point, no issuerAltName), so each rule yields `warning` under the default lenient policy and `failed`
 * under `strict`. Check ids: `profile.iaca.*`, `profile.ds.*`.
 *
 * Beyond the cosmetic profile, the rules that decide *who may sign what* — never mere warnings:
 * - an MSO is signed by a key allowed digitalSignature (`documentSignerKeyUsageProblem`);
 * - the document signer EKU depends on the docType's rulebook (`DocumentSignerEkuTable`), and a
 *   certificate made for another mdoc role (reader authentication, IACA, status list signing) is no
 *   document signer (`documentSignerEku`);
 * - a Status List Token speaks for a document only when its signer is the document signer's key or a
 *   certificate its IACA issued for that purpose (`statusListSignerAuthority`).
 */
import { type Check, check } from '@mynakit/report';
import type { Certificate } from './certificate.js';
import { isSignedBy } from './certificate-signature.js';
import { bytesEqual } from './der-reader.js';
import { namesEqual, parseName } from './name.js';
import { OID } from './oids.js';
import type { ValidationPolicy } from './path-validation.js';

const COUNTRY = '2.5.4.6';
const DAY = 86_400_000;

function country(der: Uint8Array): string | undefined {
  for (const rdn of parseName(der)) for (const a of rdn) if (a.type === COUNTRY) return a.value;
  return undefined;
}

function has(cert: Certificate, oid: string): boolean {
  return cert.extensions.some((e) => e.oid === oid);
}

function critical(cert: Certificate, oid: string): boolean {
  return cert.extensions.some((e) => e.oid === oid && e.critical);
}

const ECDSA_OR_EDDSA = new Set<string>([
  OID.ecdsaWithSHA256,
  OID.ecdsaWithSHA384,
  OID.ecdsaWithSHA512,
  OID.ed25519,
  OID.ed448,
]);

class Rules {
  readonly checks: Check[] = [];
  constructor(
    private readonly prefix: string,
    private readonly policy: ValidationPolicy,
  ) {}
  rule(id: string, ok: boolean, passed: string, deviation: string): void {
    this.checks.push(
      ok
        ? check(`${this.prefix}.${id}`, 'passed', passed)
        : check(`${this.prefix}.${id}`, this.policy === 'strict' ? 'failed' : 'warning', deviation),
    );
  }
}

/** ISO 18013-5 Annex B.1.2 IACA profile checks. */
export function checkIacaProfile(cert: Certificate, policy: ValidationPolicy = 'lenient'): Check[] {
  const r = new Rules('profile.iaca', policy);
  r.rule('version', cert.version === 3, 'X.509 v3', `X.509 v${cert.version}, v3 expected`);
  r.rule(
    'self_issued',
    cert.isSelfIssued,
    'issuer equals subject',
    'an IACA is a root: issuer should equal subject',
  );
  r.rule(
    'country',
    country(cert.subjectDer) !== undefined,
    'subject has countryName',
    'subject lacks countryName',
  );
  const years = (cert.notAfter.getTime() - cert.notBefore.getTime()) / (365.25 * DAY);
  r.rule(
    'validity',
    years <= 20,
    'validity within 20 years',
    `validity of ${years.toFixed(1)} years exceeds 20`,
  );
  const bc = cert.basicConstraints;
  r.rule(
    'basic_constraints',
    bc?.ca === true && bc.pathLength === 0 && critical(cert, OID.basicConstraints),
    'basicConstraints critical, cA, pathLen 0',
    'basicConstraints should be critical with cA=TRUE and pathLenConstraint 0',
  );
  const ku = cert.keyUsage ?? [];
  r.rule(
    'key_usage',
    critical(cert, OID.keyUsage) && ku.length === 2 && ku.includes('keyCertSign') && ku.includes('cRLSign'),
    'keyUsage critical keyCertSign + cRLSign',
    'keyUsage should be critical with exactly keyCertSign and cRLSign',
  );
  r.rule(
    'subject_key_identifier',
    cert.subjectKeyIdentifier !== undefined,
    'subjectKeyIdentifier present',
    'no subjectKeyIdentifier',
  );
  r.rule('issuer_alt_name', has(cert, OID.issuerAltName), 'issuerAltName present', 'no issuerAltName');
  r.rule(
    'crl_distribution_points',
    cert.crlDistributionPoints.length > 0,
    'cRLDistributionPoints present',
    'no cRLDistributionPoints',
  );
  r.rule(
    'signature_algorithm',
    ECDSA_OR_EDDSA.has(cert.signatureAlgorithm.oid),
    `signed with ${cert.signatureAlgorithm.name}`,
    `signature algorithm ${cert.signatureAlgorithm.name} is not ECDSA or EdDSA`,
  );
  return r.checks;
}

/**
 * ISO 18013-5 Annex B.1.4 document signer profile checks. `acceptedEkus` are the DS EKUs of the
 * document's docType (see `DocumentSignerEkuTable`; default: the 18013-5 DS EKU).
 */
export function checkDocumentSignerProfile(
  cert: Certificate,
  policy: ValidationPolicy = 'lenient',
  acceptedEkus: ReadonlySet<string> = ISO_18013_5_DS,
): Check[] {
  const r = new Rules('profile.ds', policy);
  r.rule('version', cert.version === 3, 'X.509 v3', `X.509 v${cert.version}, v3 expected`);
  const days = (cert.notAfter.getTime() - cert.notBefore.getTime()) / DAY;
  r.rule(
    'validity',
    days <= 457,
    'validity within 457 days',
    `validity of ${Math.round(days)} days exceeds 457`,
  );
  r.rule(
    'not_ca',
    cert.basicConstraints?.ca !== true,
    'not a CA certificate',
    'a document signer should not be a CA (cA=TRUE)',
  );
  const ku = cert.keyUsage ?? [];
  r.rule(
    'key_usage',
    critical(cert, OID.keyUsage) && ku.length === 1 && ku[0] === 'digitalSignature',
    'keyUsage critical digitalSignature',
    cert.keyUsage === undefined
      ? 'no keyUsage (digitalSignature expected)'
      : 'keyUsage should be critical digitalSignature only',
  );
  const wanted = [...acceptedEkus].join(' or ');
  const ekus = cert.extKeyUsage ?? [];
  r.rule(
    'eku',
    ekus.some((e) => acceptedEkus.has(e)) && critical(cert, OID.extKeyUsage),
    `extKeyUsage critical ${ekus.filter((e) => acceptedEkus.has(e)).join(', ')}`,
    `extKeyUsage should be critical with ${wanted} (mdoc document signer)`,
  );
  r.rule(
    'authority_key_identifier',
    cert.authorityKeyIdentifier !== undefined,
    'authorityKeyIdentifier present',
    'no authorityKeyIdentifier',
  );
  r.rule(
    'subject_key_identifier',
    cert.subjectKeyIdentifier !== undefined,
    'subjectKeyIdentifier present',
    'no subjectKeyIdentifier',
  );
  r.rule('issuer_alt_name', has(cert, OID.issuerAltName), 'issuerAltName present', 'no issuerAltName');
  r.rule(
    'crl_distribution_points',
    cert.crlDistributionPoints.length > 0,
    'cRLDistributionPoints present',
    'no cRLDistributionPoints',
  );
  const ic = country(cert.issuerDer);
  const sc = country(cert.subjectDer);
  r.rule(
    'issuer_country',
    ic !== undefined && (sc === undefined || sc === ic),
    'issuer countryName present and consistent',
    ic === undefined ? 'issuer lacks countryName' : 'subject countryName differs from the issuer countryName',
  );
  return r.checks;
}

/** Extended key usages of the mdoc certificate roles. */
export const MdocEku = {
  /** ISO/IEC 18013-5 Annex B: document signer (id-mdl-kp-mdlDS). */
  documentSigner: OID.mdlDocumentSigner,
  /** ISO/IEC 23220-4: document signer of ISO/IEC 23220 docTypes. */
  iso23220DocumentSigner: '1.0.23220.4.1.2',
  /** EUDI PID rulebook: id-eudi-iso-pid-kp-DS, under the European Commission arc. */
  euPidDocumentSigner: '1.3.130.2.0.0.1.2',
  /** ISO/IEC 18013-5 Annex B: mdoc reader authentication (id-mdl-kp-mdlReaderAuth). */
  readerAuth: OID.mdlReaderAuth,
  /** ISO/IEC 18013-5: the IACA role, which some IACA certificates name as an EKU. */
  iaca: '1.0.18013.5.1.7',
} as const;

/**
 * The extended key usage of a Status List Token signer. draft-ietf-oauth-status-list defines
 * `id-kp-oauthStatusSigning` with its number still TBD (to be assigned by IANA). Until it is, mynakit
 * uses this OID under its placeholder arc 1.3.6.1.4.1.32473 (the documentation PEN of RFC 5612, the
 * arc @mynakit/oid4vp uses for its reader-certificate OIDs): ONE constant, here, imported by the
 * verifier (mdoc) and the issuer side; verifiers take another value as an option. Replace it with the
 * IANA number once the draft has one.
 */
export const STATUS_LIST_SIGNING_EKU = '1.3.6.1.4.1.32473.1.3';

const ISO_18013_5_DS: ReadonlySet<string> = new Set([MdocEku.documentSigner]);

/**
 * Which extended key usages a document signer may carry, by docType: each docType's rulebook names its
 * own DS EKU, so one fixed OID rejects correctly signed documents (e.g. the EU PID rulebook's DS EKU on
 * an EU reference-wallet mDL). `otherDocTypes` applies to docTypes not listed; `otherRoles` are the EKUs
 * of other mdoc roles, which make a certificate no document signer at all.
 */
export interface DocumentSignerEkuTable {
  readonly byDocType: ReadonlyMap<string, ReadonlySet<string>>;
  readonly otherDocTypes: ReadonlySet<string>;
  readonly otherRoles: ReadonlySet<string>;
}

const DEFAULT_OTHER_ROLES: ReadonlySet<string> = new Set([
  MdocEku.readerAuth,
  MdocEku.iaca,
  STATUS_LIST_SIGNING_EKU,
]);

/** Builds a table from docType → EKUs (the caller's configuration, not received data). */
export function documentSignerEkuTable(
  byDocType: Readonly<Record<string, readonly string[]>> | ReadonlyMap<string, readonly string[]>,
  options: { readonly otherDocTypes?: readonly string[]; readonly otherRoles?: readonly string[] } = {},
): DocumentSignerEkuTable {
  const entries: [string, readonly string[]][] =
    byDocType instanceof Map
      ? [...(byDocType as ReadonlyMap<string, readonly string[]>)]
      : Object.entries(byDocType as Readonly<Record<string, readonly string[]>>);
  return Object.freeze({
    byDocType: new Map<string, ReadonlySet<string>>(
      entries.map(([docType, ekus]) => [docType, new Set(ekus)]),
    ),
    otherDocTypes: new Set(options.otherDocTypes ?? [MdocEku.documentSigner, MdocEku.iso23220DocumentSigner]),
    otherRoles: options.otherRoles ? new Set(options.otherRoles) : DEFAULT_OTHER_ROLES,
  });
}

/**
 * The default table:
 * - `org.iso.18013.5.1.mDL`: the 18013-5 DS EKU (Annex B Table B.3), as its rulebook requires;
 * - ISO/IEC 23220 docTypes (`org.iso.23220.1.jp.mnc`, and any other not listed): the 18013-5 DS EKU or
 *   the ISO/IEC 23220-4 DS EKU — 23220-4 builds on the 18013-5 profile and issuers use either;
 * - `eu.europa.ec.eudi.pid.1`: the EUDI PID rulebook's DS EKU, and also the 18013-5 and 23220-4 ones,
 *   which deployed PID issuers (the EU reference issuer among them) put in their DS certificates;
 * - docTypes not listed: the 18013-5 DS EKU or the 23220-4 one (the two ISO rulebooks for mdocs).
 */
export const DEFAULT_DOCUMENT_SIGNER_EKUS: DocumentSignerEkuTable = documentSignerEkuTable({
  'org.iso.18013.5.1.mDL': [MdocEku.documentSigner],
  'org.iso.23220.1.jp.mnc': [MdocEku.documentSigner, MdocEku.iso23220DocumentSigner],
  'eu.europa.ec.eudi.pid.1': [
    MdocEku.euPidDocumentSigner,
    MdocEku.documentSigner,
    MdocEku.iso23220DocumentSigner,
  ],
});

/** The DS EKUs a document of `docType` may be signed under. */
export function acceptedDocumentSignerEkus(
  table: DocumentSignerEkuTable,
  docType: string,
): ReadonlySet<string> {
  return table.byDocType.get(docType) ?? table.otherDocTypes;
}

/** What a document signer certificate's extendedKeyUsage says about signing a document of one docType. */
export type DocumentSignerEkuOutcome =
  /** It carries an accepted DS EKU (or anyExtendedKeyUsage, RFC 5280 §4.2.1.12). */
  | { readonly verdict: 'accepted'; readonly eku: string }
  /** No extendedKeyUsage: unrestricted by RFC 5280, a deviation from Annex B. */
  | { readonly verdict: 'absent' }
  /** It names another mdoc role: not a document signer. */
  | { readonly verdict: 'other-role'; readonly roles: readonly string[] }
  /** Only purposes outside the docType's table: a profile deviation. */
  | { readonly verdict: 'outside'; readonly ekus: readonly string[] };

/**
 * Decides a DS certificate's extendedKeyUsage against the accepted EKUs of a docType. A certificate
 * that also names another mdoc role is refused even when it carries a DS EKU: Annex B keeps the roles
 * on separate certificates, and a key that may authenticate readers or sign status lists or
 * certificates must not vouch for MSOs too.
 */
export function documentSignerEku(
  cert: Certificate,
  accepted: ReadonlySet<string>,
  otherRoles: ReadonlySet<string> = DEFAULT_OTHER_ROLES,
): DocumentSignerEkuOutcome {
  const ekus = cert.extKeyUsage;
  if (ekus === undefined) return { verdict: 'absent' };
  let roles: string[] | undefined;
  let match: string | undefined;
  let any = false;
  for (const e of ekus) {
    if (accepted.has(e)) match ??= e;
    else if (otherRoles.has(e)) {
      roles ??= [];
      roles.push(e);
    } else if (e === OID.anyExtendedKeyUsage) any = true;
  }
  if (roles) return { verdict: 'other-role', roles };
  if (match !== undefined) return { verdict: 'accepted', eku: match };
  if (any) return { verdict: 'accepted', eku: OID.anyExtendedKeyUsage };
  return { verdict: 'outside', ekus };
}

/**
 * RFC 5280 §4.2.1.3 and ISO/IEC 18013-5 Annex B Table B.3: the key that signs an MSO must be allowed
 * digitalSignature. An IACA (keyCertSign + cRLSign) or a DS whose keyUsage is keyCertSign only may not
 * sign one, whatever the profile policy. No keyUsage at all is unrestricted (a profile deviation).
 */
export function documentSignerKeyUsageProblem(cert: Certificate): string | undefined {
  const ku = cert.keyUsage;
  if (ku === undefined || ku.includes('digitalSignature')) return undefined;
  return `keyUsage (${ku.join(', ') || 'none'}) does not allow digitalSignature, so the key may not sign an MSO (RFC 5280 §4.2.1.3; ISO/IEC 18013-5 Annex B Table B.3)`;
}

export interface StatusListSignerInput {
  /** The certificate whose key verified the Status List Token. */
  readonly signer: Certificate;
  /** The document signer of the document whose status is read. */
  readonly documentSigner: Certificate;
  /** The DS's issuer on its validated path (its IACA); absent when the DS is itself the trust anchor. */
  readonly iaca?: Certificate;
  readonly now: Date;
  /** Default STATUS_LIST_SIGNING_EKU. */
  readonly statusListEku?: string;
  /** EKUs that make a certificate a signer of another role; default: the mdoc roles and DS EKUs. */
  readonly otherRoles?: ReadonlySet<string>;
}

const NOT_STATUS_SIGNERS: ReadonlySet<string> = new Set([
  MdocEku.documentSigner,
  MdocEku.iso23220DocumentSigner,
  MdocEku.euPidDocumentSigner,
  MdocEku.readerAuth,
  MdocEku.iaca,
]);

/**
 * Who may sign the Status List Token of an mdoc (ISO/IEC 18013-5 2nd edition §12.3.6.2 and Table B.9,
 * as the OpenID conformance suite reads them; draft-ietf-oauth-status-list §10 on the EKU): the
 * document signer's key itself, or a certificate issued by the DS's IACA whose extendedKeyUsage is
 * absent or includes the status-list-signing EKU. A signer elsewhere, or one whose EKU names another
 * role (document signer, reader authentication, IACA), does not speak for the document.
 */
export function statusListSignerAuthority(input: StatusListSignerInput): {
  readonly authorised: boolean;
  readonly detail: string;
} {
  const { signer, documentSigner, iaca, now } = input;
  if (bytesEqual(signer.spkiDer, documentSigner.spkiDer))
    return { authorised: true, detail: "signed with the document signer's key" };
  const t = now.getTime();
  if (t < signer.notBefore.getTime() || t > signer.notAfter.getTime())
    return { authorised: false, detail: `status list signer ${signer.subject} is outside its validity` };
  if (iaca === undefined)
    return {
      authorised: false,
      detail: `status list signer ${signer.subject} is not the document signer, which is trusted directly (no IACA to issue another signer)`,
    };
  if (
    bytesEqual(signer.spkiDer, iaca.spkiDer) ||
    !namesEqual(signer.issuerDer, iaca.subjectDer) ||
    !isSignedBy(signer, iaca)
  )
    return {
      authorised: false,
      detail: `status list signer ${signer.subject} was not issued by the document signer's IACA ${iaca.subject}`,
    };
  if (signer.keyUsage !== undefined && !signer.keyUsage.includes('digitalSignature'))
    return { authorised: false, detail: `status list signer ${signer.subject} may not sign (keyUsage)` };
  const eku = signer.extKeyUsage;
  const wanted = input.statusListEku ?? STATUS_LIST_SIGNING_EKU;
  if (eku !== undefined && !eku.includes(wanted)) {
    const others = input.otherRoles ?? NOT_STATUS_SIGNERS;
    const roles = eku.filter((e) => others.has(e));
    return {
      authorised: false,
      detail: `status list signer ${signer.subject} has extendedKeyUsage ${eku.join(', ')}${roles.length ? ' (another role)' : ''}, not the status list signing EKU ${wanted}`,
    };
  }
  return {
    authorised: true,
    detail: `signed by ${signer.subject}, issued by the document signer's IACA${eku ? ` for status list signing` : ''}`,
  };
}
