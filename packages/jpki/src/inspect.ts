import {
  type Certificate,
  type GeneralName,
  nameToString,
  parseCertificate,
  parseCms,
  parseCrl,
  parseOcspResponse,
  readPemBlocks,
} from '@mynakit/pki';
import { authorityKeyIdentifierOf } from './authority-key-identifier.js';
import { type BasicFour, basicFourOfCertificate } from './basic-four.js';
import { parseJpkiBirthDate } from './birth-date.js';
import { JpkiError } from './errors.js';
import { policyInformationOf } from './certificate-policies.js';
import { issuerAltNameOf } from './issuer-alt-name.js';
import { eraByCode } from './japanese-era.js';
import { DEFAULT_JPKI_POLICY_CONFIG, JPKI_OID, type JpkiPolicyConfig } from './profiles.js';

/**
 * A readable, JSON-ready description of a certificate, CRL, OCSP response or CMS SignedData, DER or PEM:
 * what `mynakit jpki inspect` prints. Dates are ISO strings, binary values hex. The basic four of a JPKI
 * signature certificate are decoded (the holder's own data, shown to whoever holds the file).
 */
export type Inspection = CertificateInspection | CrlInspection | OcspInspection | CmsInspection;

export interface CertificateInspection {
  readonly kind: 'certificate';
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly signatureAlgorithm: string;
  readonly publicKey: string;
  readonly fingerprint256: string;
  readonly isCa: boolean;
  readonly keyUsage?: readonly string[];
  readonly extKeyUsage?: readonly string[];
  readonly certificatePolicies: readonly string[];
  /** CPS pointers of the policies (RFC 5280 §4.2.1.4), `policy OID → URI`. */
  readonly policyQualifiers: readonly { readonly policy: string; readonly cps: string }[];
  readonly subjectAltName: readonly string[];
  /** RFC 5280 §4.2.1.7: real JPKI end certificates carry the CA's Japanese directoryName here. */
  readonly issuerAltName: readonly string[];
  readonly crlDistributionPoints: readonly string[];
  readonly ocsp: readonly string[];
  readonly subjectKeyIdentifier?: string;
  /** The whole AuthorityKeyIdentifier (RFC 5280 §4.2.1.1). */
  readonly authorityKeyIdentifier?: {
    readonly keyIdentifier?: string;
    readonly authorityCertIssuer?: readonly string[];
    readonly authorityCertSerialNumber?: string;
  };
  readonly criticalExtensions: readonly string[];
  /** Extensions that could not be decoded for display (`OID: reason`); the certificate is still shown. */
  readonly extensionErrors?: readonly string[];
  /** `signature`, `userAuthentication` or undefined (not recognisably JPKI). */
  readonly jpkiRole?: 'signature' | 'userAuthentication' | 'signature (test card)';
  readonly basicFour?: BasicFour & {
    readonly birthDateGregorian?: string;
    readonly era?: string;
    readonly sexText: string;
  };
  readonly basicFourError?: string;
}

export interface CrlInspection {
  readonly kind: 'crl';
  readonly issuer: string;
  readonly thisUpdate: string;
  readonly nextUpdate?: string;
  readonly crlNumber?: string;
  readonly deltaCrlIndicator?: string;
  readonly distributionPoint?: readonly string[];
  readonly signatureAlgorithm: string;
  readonly entries: readonly { serialNumber: string; revocationDate: string; reason?: string }[];
}

export interface OcspInspection {
  readonly kind: 'ocsp-response';
  readonly responseStatus: string;
  readonly producedAt?: string;
  readonly responderId?: string;
  readonly responses: readonly {
    serialNumber: string;
    status: string;
    thisUpdate: string;
    nextUpdate?: string;
    revocationTime?: string;
    reason?: string;
  }[];
  readonly certificates: readonly CertificateInspection[];
}

export interface CmsInspection {
  readonly kind: 'cms';
  readonly contentType: string;
  readonly detached: boolean;
  readonly contentLength?: number;
  readonly signers: readonly {
    signerIdentifier: string;
    digestAlgorithm: string;
    signatureAlgorithm: string;
    signingTime?: string;
    messageDigest?: string;
  }[];
  readonly certificates: readonly CertificateInspection[];
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** Received text indexes only a Map, never a plain object (a `constructor` or `__proto__` key is just a key). */
const SEX_TEXT: ReadonlyMap<string, string> = new Map([
  ['1', 'male'],
  ['2', 'female'],
  ['3', 'unknown'],
]);

/** The JPKI sex code as text (`1` male, `2` female, `3` unknown), or the code itself when it is none of them. */
export function sexText(code: string): string {
  return SEX_TEXT.get(code) ?? code;
}

function generalNameText(n: GeneralName): string {
  switch (n.type) {
    case 'otherName':
      return `otherName ${n.typeId}: ${n.text ?? hex(n.valueDer)}`;
    case 'directoryName':
      return `DirName: ${n.value}`;
    case 'uniformResourceIdentifier':
      return `URI: ${n.value}`;
    case 'rfc822Name':
    case 'dNSName':
    case 'iPAddress':
    case 'registeredID':
      return `${n.type}: ${n.value}`;
    default:
      return n.type;
  }
}

function jpkiRole(c: Certificate, policies: JpkiPolicyConfig): CertificateInspection['jpkiRole'] {
  if (c.certificatePolicies.includes(JPKI_OID.signaturePolicyTestCard)) return 'signature (test card)';
  if (c.certificatePolicies.some((p) => policies.signaturePolicyOids.includes(p))) return 'signature';
  if (c.certificatePolicies.some((p) => policies.userAuthenticationPolicyOids.includes(p)))
    return 'userAuthentication';
  return undefined;
}

export function inspectCertificate(
  c: Certificate,
  policies: JpkiPolicyConfig = DEFAULT_JPKI_POLICY_CONFIG,
): CertificateInspection {
  let basicFour: CertificateInspection['basicFour'];
  let basicFourError: string | undefined;
  try {
    const b = basicFourOfCertificate(c);
    if (b !== undefined) {
      const bd = parseJpkiBirthDate(b.birthDate);
      const era = eraByCode(bd.era);
      basicFour = {
        ...b,
        ...(bd.date !== undefined
          ? {
              birthDateGregorian: `${bd.year}-${String(bd.month).padStart(2, '0')}-${String(bd.day).padStart(2, '0')}`,
            }
          : {}),
        ...(era !== undefined ? { era: `${era.name} (${era.kanji})` } : { era: 'unknown (0)' }),
        sexText: sexText(b.sex),
      };
    }
  } catch (e) {
    basicFourError = e instanceof JpkiError ? `${e.code}: ${e.message}` : 'undecodable';
  }
  const details = c.publicKeyInfo;
  let publicKey = details.algorithm;
  try {
    const k = c.publicKey;
    const d = k.asymmetricKeyDetails;
    publicKey = `${k.asymmetricKeyType ?? details.algorithm}${d?.modulusLength ? ` ${d.modulusLength} bits` : ''}${d?.namedCurve ? ` ${d.namedCurve}` : ''}`;
  } catch {
    /* keep the OID */
  }
  const role = jpkiRole(c, policies);
  const extensionErrors: string[] = [];
  const decode = <T>(oid: string, read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (e) {
      extensionErrors.push(`${oid}: ${e instanceof Error ? e.message : 'malformed'}`);
      return fallback;
    }
  };
  const aki = decode('2.5.29.35', () => authorityKeyIdentifierOf(c), undefined);
  const issuerAltName = decode('2.5.29.18', () => issuerAltNameOf(c).map(generalNameText), []);
  const policyQualifiers = decode(
    '2.5.29.32',
    () => policyInformationOf(c).flatMap((p) => p.cpsUris.map((cps) => ({ policy: p.policy, cps }))),
    [],
  );
  return {
    kind: 'certificate',
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    signatureAlgorithm: c.signatureAlgorithm.name,
    publicKey,
    fingerprint256: c.fingerprint256,
    isCa: c.basicConstraints?.ca === true,
    ...(c.keyUsage !== undefined ? { keyUsage: c.keyUsage } : {}),
    ...(c.extKeyUsage !== undefined ? { extKeyUsage: c.extKeyUsage } : {}),
    certificatePolicies: c.certificatePolicies,
    policyQualifiers,
    subjectAltName: c.subjectAltName.map(generalNameText),
    issuerAltName,
    crlDistributionPoints: c.crlDistributionPoints.flatMap((p) =>
      p.distributionPoint !== undefined && 'fullName' in p.distributionPoint
        ? p.distributionPoint.fullName.map(generalNameText)
        : [],
    ),
    ocsp: c.authorityInfoAccess
      .filter((a) => a.method === '1.3.6.1.5.5.7.48.1')
      .map((a) => generalNameText(a.location)),
    ...(c.subjectKeyIdentifier !== undefined ? { subjectKeyIdentifier: c.subjectKeyIdentifier } : {}),
    ...(aki !== undefined
      ? {
          authorityKeyIdentifier: {
            ...(aki.keyIdentifier !== undefined ? { keyIdentifier: aki.keyIdentifier } : {}),
            ...(aki.authorityCertIssuer !== undefined
              ? { authorityCertIssuer: aki.authorityCertIssuer.map(generalNameText) }
              : {}),
            ...(aki.authorityCertSerialNumber !== undefined
              ? { authorityCertSerialNumber: aki.authorityCertSerialNumber }
              : {}),
          },
        }
      : c.authorityKeyIdentifier !== undefined
        ? { authorityKeyIdentifier: { keyIdentifier: c.authorityKeyIdentifier } }
        : {}),
    criticalExtensions: c.extensions.filter((e) => e.critical).map((e) => e.oid),
    ...(extensionErrors.length > 0 ? { extensionErrors } : {}),
    ...(role !== undefined ? { jpkiRole: role } : {}),
    ...(basicFour !== undefined ? { basicFour } : {}),
    ...(basicFourError !== undefined ? { basicFourError } : {}),
  };
}

function certificatesOf(ders: readonly Uint8Array[]): CertificateInspection[] {
  const out: CertificateInspection[] = [];
  for (const d of ders) {
    try {
      out.push(inspectCertificate(parseCertificate(d)));
    } catch {
      /* not readable: skipped */
    }
  }
  return out;
}

/** DER of the input: the first PEM block when the bytes are PEM text, else the bytes themselves. */
export function derOfInput(input: Uint8Array): { der: Uint8Array; label?: string } {
  const head = new TextDecoder().decode(input.subarray(0, 256));
  if (/-----BEGIN [A-Z0-9 ]+-----/.test(head)) {
    const blocks = readPemBlocks(new TextDecoder().decode(input));
    const first = blocks[0];
    if (first !== undefined) return { der: first.der, label: first.label };
  }
  return { der: input };
}

/** Inspects DER or PEM bytes; throws JpkiError INVALID_ARGUMENT when they are none of the four kinds. */
export function inspectDocument(input: Uint8Array): Inspection {
  const { der } = derOfInput(input);
  const attempts: (() => Inspection)[] = [
    () => inspectCertificate(parseCertificate(der)),
    () => {
      const crl = parseCrl(der);
      const dp = crl.issuingDistributionPoint?.distributionPoint;
      return {
        kind: 'crl',
        issuer: crl.issuer,
        thisUpdate: crl.thisUpdate.toISOString(),
        ...(crl.nextUpdate !== undefined ? { nextUpdate: crl.nextUpdate.toISOString() } : {}),
        ...(crl.crlNumber !== undefined ? { crlNumber: crl.crlNumber.toString() } : {}),
        ...(crl.deltaCrlIndicator !== undefined
          ? { deltaCrlIndicator: crl.deltaCrlIndicator.toString() }
          : {}),
        ...(dp !== undefined && 'fullName' in dp
          ? { distributionPoint: dp.fullName.map(generalNameText) }
          : {}),
        signatureAlgorithm: crl.signatureAlgorithm.name,
        entries: crl.entries.map((e) => ({
          serialNumber: e.serialNumber,
          revocationDate: e.revocationDate.toISOString(),
          ...(e.reason !== undefined ? { reason: e.reason } : {}),
        })),
      };
    },
    () => {
      const r = parseOcspResponse(der);
      const b = r.basic;
      return {
        kind: 'ocsp-response',
        responseStatus: r.responseStatus,
        ...(b !== undefined ? { producedAt: b.producedAt.toISOString() } : {}),
        ...(b !== undefined
          ? {
              responderId:
                'byName' in b.responderId
                  ? `byName ${nameToString(b.responderId.byName)}`
                  : `byKey ${b.responderId.byKey}`,
            }
          : {}),
        responses: (b?.responses ?? []).map((s) => ({
          serialNumber: s.certId.serialNumber,
          status: s.status,
          thisUpdate: s.thisUpdate.toISOString(),
          ...(s.nextUpdate !== undefined ? { nextUpdate: s.nextUpdate.toISOString() } : {}),
          ...(s.revocationTime !== undefined ? { revocationTime: s.revocationTime.toISOString() } : {}),
          ...(s.reason !== undefined ? { reason: s.reason } : {}),
        })),
        certificates: certificatesOf(b?.certificates ?? []),
      };
    },
    () => {
      const cms = parseCms(der);
      return {
        kind: 'cms',
        contentType: cms.contentType,
        detached: cms.content === undefined,
        ...(cms.content !== undefined ? { contentLength: cms.content.length } : {}),
        signers: cms.signers.map((s) => ({
          signerIdentifier:
            'subjectKeyIdentifier' in s.sid
              ? `subjectKeyIdentifier ${s.sid.subjectKeyIdentifier}`
              : `issuer ${nameToString(s.sid.issuerDer)}, serial ${s.sid.serialNumber}`,
          digestAlgorithm: s.digestAlgorithm.oid,
          signatureAlgorithm: s.signatureAlgorithm.name,
          ...(s.signingTime !== undefined ? { signingTime: s.signingTime.toISOString() } : {}),
          ...(s.messageDigest !== undefined ? { messageDigest: hex(s.messageDigest) } : {}),
        })),
        certificates: certificatesOf(cms.certificates),
      };
    },
  ];
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      /* try the next kind */
    }
  }
  throw new JpkiError('INVALID_ARGUMENT', 'not a certificate, CRL, OCSP response or CMS SignedData');
}

/** Era of a JPKI birth date, for display. */
export function describeBirthDate(text: string): string {
  const b = parseJpkiBirthDate(text);
  const era = eraByCode(b.era);
  return b.date === undefined
    ? `${text} (not known in full)`
    : `${text} (${era?.name ?? 'no era'}, ${b.year}-${String(b.month).padStart(2, '0')}-${String(b.day).padStart(2, '0')})`;
}
