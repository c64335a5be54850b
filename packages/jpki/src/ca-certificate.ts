import type { KeyObject } from 'node:crypto';
import {
  type Certificate,
  type CertificateSigner,
  createCertificate,
  createCertificateWithSigner,
  type ExtensionInput,
  type Issuer,
  isoTime,
  isSignedBy,
  keyIdentifierOf,
  readBitString,
  readDer,
  derChildren,
  type SignerIssuer,
  spkiOf,
  subjectAttributesOf,
  toCertificate,
} from '@mynakit/pki';
import { type Check, check, type Report, verdictOf } from '@mynakit/report';
import { fullAuthorityKeyIdentifier } from './authority-key-identifier.js';
import { JpkiError } from './errors.js';
import {
  crlDistributionPointUnder,
  JPKI_CA_GENERATIONS,
  type JpkiCaGeneration,
  type JpkiCertificatePurpose,
  jpkiCaPurposeOf,
  type NameAttributes,
  type NameRdnAttribute,
  nameToRdns,
  sandboxCaAltNameFor,
  sandboxCaNameFor,
} from './profiles.js';

/**
 * A JPKI CA certificate (signature CA or user-authentication CA; DOMAIN.md §3), built in the structure of
 * the real J-LIS CA certificates (vectors/jpki-real), extensions in their order:
 *
 *   keyUsage               critical  keyCertSign, cRLSign
 *   subjectAltName                   directoryName, the CA's Japanese name
 *   basicConstraints       critical  cA=TRUE, no pathLenConstraint
 *   cRLDistributionPoints            directoryName = the CA's own name (its authority revocation list)
 *   subjectKeyIdentifier             SHA-1 of the key (RFC 5280 §4.2.1.2 method 1)
 *   (no authorityKeyIdentifier: RFC 5280 §4.2.1.1 lets a self-signed CA omit it, and J-LIS does)
 *
 * RSA-2048 and sha256WithRSAEncryption are the caller's key and this builder's algorithm. Each generation
 * is a new self-signed root under the same name — there are no link certificates; relying parties pick
 * the issuer by AKI = SKI. The default names are the sandbox's (profiles.ts): a J-LIS name is only ever
 * written when a caller passes it explicitly.
 */
export interface JpkiCaCertificateOptions {
  readonly purpose: JpkiCertificatePurpose;
  readonly publicKey: KeyObject;
  /** Self-signed when `issuer` is absent: the CA's own private key. */
  readonly privateKey?: KeyObject;
  /** A CA certificate signed by another CA (then it carries an AKI). J-LIS publishes none. */
  readonly issuer?: Issuer;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber?: string | bigint;
  /** Default: the sandbox CA name of the purpose. */
  readonly name?: NameAttributes;
  /**
   * The directoryName of the subjectAltName. Default: the sandbox Japanese name of the purpose when `name`
   * is defaulted too, else none. `null`: no subjectAltName.
   */
  readonly altName?: NameAttributes | null;
  /** The CRL distribution point's directoryName. Default: the CA's own name. `null`: none. */
  readonly crlDistributionPoint?: NameAttributes | null;
  /** A pathLenConstraint; J-LIS writes none (the default). */
  readonly pathLength?: number;
  readonly extraExtensions?: readonly ExtensionInput[];
}

/** The subjectKeyIdentifier of a public key (RFC 5280 §4.2.1.2 method 1), as @mynakit/pki computes it. */
export function keyIdentifierOfKey(publicKey: KeyObject | Uint8Array): string {
  const spki = derChildren(readDer(spkiOf(publicKey), 'SubjectPublicKeyInfo'), 'SubjectPublicKeyInfo');
  spki.next('algorithm');
  return keyIdentifierOf(readBitString(spki.next('subjectPublicKey')).bytes);
}

/** A JPKI CA certificate signed with a private key in hand (see JpkiCaCertificateOptions). */
export function createJpkiCaCertificate(o: JpkiCaCertificateOptions): Uint8Array {
  return createCertificate({
    ...jpkiCaCertificateBody(o, o.issuer?.certificate),
    ...(o.issuer !== undefined ? { issuer: o.issuer } : {}),
    ...(o.privateKey !== undefined ? { privateKey: o.privateKey } : {}),
    signingAlgorithm: JPKI_SIGNING_ALGORITHM,
  });
}

/**
 * createJpkiCaCertificate's options with the signing key behind a CertificateSigner (an HSM, a KMS, an
 * encrypted key store): `signer` for a self-signed root, `issuer.signer` for a CA another CA signs.
 */
export interface JpkiCaCertificateWithSignerOptions
  extends Omit<JpkiCaCertificateOptions, 'privateKey' | 'issuer'> {
  /** Self-signed when `issuer` is absent: a signer holding the CA's own key. */
  readonly signer?: CertificateSigner;
  /** A CA certificate signed by another CA (then it carries an AKI). */
  readonly issuer?: SignerIssuer;
}

/**
 * The same CA certificate as createJpkiCaCertificate (one extension list), signed through a
 * CertificateSigner. The signer must sign sha256WithRSAEncryption, as every JPKI CA does (else
 * INVALID_ARGUMENT).
 */
export async function createJpkiCaCertificateWithSigner(
  o: JpkiCaCertificateWithSignerOptions,
): Promise<Uint8Array> {
  assertJpkiSigner(o.issuer?.signer ?? o.signer);
  return createCertificateWithSigner({
    ...jpkiCaCertificateBody(o, o.issuer?.certificate),
    ...(o.issuer !== undefined ? { issuer: o.issuer } : {}),
    ...(o.signer !== undefined ? { signer: o.signer } : {}),
  });
}

/** JPKI certificates are signed sha256WithRSAEncryption (DOMAIN.md §3). */
export const JPKI_SIGNING_ALGORITHM = 'sha256WithRSAEncryption' as const;

/** Refuses a signer of another algorithm than JPKI's (an absent signer is pki's to refuse). */
export function assertJpkiSigner(signer: CertificateSigner | undefined): void {
  if (signer !== undefined && signer.algorithm !== JPKI_SIGNING_ALGORITHM)
    throw new JpkiError(
      'INVALID_ARGUMENT',
      `JPKI certificates are signed ${JPKI_SIGNING_ALGORITHM}, not ${signer.algorithm}`,
    );
}

/** Everything of a JPKI CA certificate but its signing. */
function jpkiCaCertificateBody(
  o: Omit<JpkiCaCertificateOptions, 'privateKey' | 'issuer'>,
  issuerCertificate: Certificate | Uint8Array | string | undefined,
) {
  const name = o.name ?? sandboxCaNameFor(o.purpose);
  const altName =
    o.altName !== undefined ? o.altName : o.name === undefined ? sandboxCaAltNameFor(o.purpose) : null;
  const dp = o.crlDistributionPoint !== undefined ? o.crlDistributionPoint : name;
  const ski = keyIdentifierOfKey(o.publicKey);
  const issuerCert = issuerCertificate !== undefined ? toCertificate(issuerCertificate) : undefined;
  const extensions: ExtensionInput[] = [
    { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'], critical: true },
    ...(altName !== null
      ? [
          {
            type: 'subjectAltName' as const,
            names: [{ type: 'directoryName' as const, value: nameToRdns(altName) }],
            critical: false,
          },
        ]
      : []),
    {
      type: 'basicConstraints',
      ca: true,
      ...(o.pathLength !== undefined ? { pathLength: o.pathLength } : {}),
      critical: true,
    },
    ...(dp !== null
      ? [
          {
            type: 'crlDistributionPoints' as const,
            points: [{ fullName: [{ type: 'directoryName' as const, value: nameToRdns(dp) }] }],
          },
        ]
      : []),
    { type: 'subjectKeyIdentifier', keyIdentifier: ski },
    ...(issuerCert !== undefined
      ? [
          fullAuthorityKeyIdentifier(
            issuerCert,
            issuerCert.subjectKeyIdentifier ?? keyIdentifierOf(issuerCert.subjectPublicKey),
          ),
        ]
      : []),
    ...(o.extraExtensions ?? []),
  ];
  return {
    subject: nameToRdns(name),
    publicKey: o.publicKey,
    ...(o.serialNumber !== undefined ? { serialNumber: o.serialNumber } : {}),
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    keyIdentifiers: false,
    extensions,
  };
}

/**
 * The JPKI CA profile, for a certificate configured as a trust anchor. Check ids:
 *
 *   ca.name               a J-LIS CA name (signature or user authentication), or one of `caNames`;
 *                         any other name is a warning (a sandbox or test-card root must be configured)
 *   ca.self_signed        subject = issuer and the signature verifies under its own key
 *   ca.algorithm          RSA of at least 2048 bits, sha256WithRSAEncryption
 *   ca.basic_constraints  critical, cA=TRUE (a pathLenConstraint is allowed, J-LIS writes none)
 *   ca.key_usage          critical, keyCertSign and cRLSign
 *   ca.key_identifier     a subjectKeyIdentifier (issuers are picked by AKI = SKI); an AKI may be absent
 *                         (RFC 5280 §4.2.1.1), and when present names the CA's own key
 *   ca.critical_extensions  no critical extension beyond keyUsage and basicConstraints
 *   ca.validity           (with `now`) notBefore ≤ now ≤ notAfter
 *
 * The real traits — a Japanese directoryName subjectAltName, a CRL distribution point naming the CA
 * itself, no pathLenConstraint, no AKI — are the profile, not deviations.
 */
export interface JpkiCaProfileOptions {
  readonly now?: Date;
  /** Other accepted CA names (string form), e.g. the sandbox's or a J-LIS test-card root's. */
  readonly caNames?: readonly string[];
  readonly generations?: readonly JpkiCaGeneration[];
}

export interface JpkiCaProfileReport extends Report {
  /** Which J-LIS CA the name is, when it is one. */
  readonly purpose?: JpkiCertificatePurpose;
  /** The generation label (`2015`, `2019`, `2023`) whose first year is the certificate's notBefore year. */
  readonly generation?: string;
}

const KNOWN_CRITICAL = new Set(['2.5.29.15', '2.5.29.19']);
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

export function checkJpkiCaCertificate(
  input: Certificate | Uint8Array | string,
  options: JpkiCaProfileOptions = {},
): JpkiCaProfileReport {
  let cert: Certificate;
  try {
    cert = toCertificate(input);
  } catch (e) {
    const checks = [
      check('ca.decode', 'failed', `not a certificate: ${e instanceof Error ? e.message : 'malformed'}`),
    ];
    return { verdict: verdictOf(checks), checks };
  }
  const checks: Check[] = [];
  const purpose = jpkiCaPurposeOf(cert.subject);
  if (purpose !== undefined)
    checks.push(check('ca.name', 'passed', `the J-LIS ${purposeText(purpose)} CA name`));
  else if (options.caNames?.includes(cert.subject) === true)
    checks.push(check('ca.name', 'passed', 'a configured CA name'));
  else
    checks.push(
      check(
        'ca.name',
        'warning',
        `"${cert.subject}" is not a J-LIS CA name (a sandbox or test-card root is trusted only when configured)`,
      ),
    );

  if (!cert.isSelfIssued)
    checks.push(
      check(
        'ca.self_signed',
        'failed',
        'not self-issued: every JPKI CA generation is its own self-signed root',
      ),
    );
  else
    checks.push(
      // Whether the key signed it, whatever the hash: a SHA-1 root is ca.algorithm's warning, and a trust
      // anchor's own signature is never relied on (RFC 5280 §6.1.1 (d)).
      isSignedBy(cert, cert, { allowSha1: true })
        ? check('ca.self_signed', 'passed', 'self-signed; the signature verifies under its own key')
        : check(
            'ca.self_signed',
            'failed',
            'self-issued, but the signature does not verify under its own key',
          ),
    );

  let bits: number | undefined;
  try {
    bits = cert.publicKey.asymmetricKeyDetails?.modulusLength;
  } catch {
    bits = undefined;
  }
  const rsa = cert.publicKeyInfo.algorithm === RSA_ENCRYPTION;
  if (rsa && bits !== undefined && bits >= 2048 && cert.signatureAlgorithm.oid === SHA256_WITH_RSA)
    checks.push(check('ca.algorithm', 'passed', `RSA-${bits}, ${cert.signatureAlgorithm.name}`));
  else
    checks.push(
      check(
        'ca.algorithm',
        'warning',
        `${rsa ? `RSA-${bits ?? '?'}` : `key ${cert.publicKeyInfo.algorithm}`}, ${cert.signatureAlgorithm.name}: JPKI CAs are RSA-2048 with sha256WithRSAEncryption`,
      ),
    );

  const bcExt = cert.extensions.find((e) => e.oid === '2.5.29.19');
  const bc = cert.basicConstraints;
  if (bc?.ca !== true || bcExt === undefined)
    checks.push(check('ca.basic_constraints', 'failed', 'basicConstraints cA=TRUE is required'));
  else if (!bcExt.critical)
    checks.push(
      check('ca.basic_constraints', 'failed', 'basicConstraints must be critical (RFC 5280 §4.2.1.9)'),
    );
  else
    checks.push(
      check(
        'ca.basic_constraints',
        'passed',
        bc.pathLength === undefined
          ? 'critical, cA=TRUE, no pathLenConstraint'
          : `critical, cA=TRUE, pathLenConstraint ${bc.pathLength}`,
      ),
    );

  const kuExt = cert.extensions.find((e) => e.oid === '2.5.29.15');
  const ku = cert.keyUsage ?? [];
  if (kuExt === undefined || !ku.includes('keyCertSign'))
    checks.push(
      check('ca.key_usage', 'failed', `keyUsage keyCertSign is required; has ${ku.join(', ') || 'none'}`),
    );
  else if (!kuExt.critical || !ku.includes('cRLSign'))
    checks.push(
      check(
        'ca.key_usage',
        'warning',
        `keyUsage ${ku.join(', ')}${kuExt.critical ? '' : ' (not critical)'}: JPKI CAs have critical keyCertSign and cRLSign`,
      ),
    );
  else checks.push(check('ca.key_usage', 'passed', `critical, ${ku.join(', ')}`));

  const ski = cert.subjectKeyIdentifier;
  if (ski === undefined)
    checks.push(
      check(
        'ca.key_identifier',
        'failed',
        'no subjectKeyIdentifier: certificates could not name this CA by AKI',
      ),
    );
  else if (cert.authorityKeyIdentifier !== undefined && cert.authorityKeyIdentifier !== ski)
    checks.push(
      check(
        'ca.key_identifier',
        'warning',
        `authorityKeyIdentifier ${cert.authorityKeyIdentifier} ≠ own SKI ${ski}`,
      ),
    );
  else
    checks.push(
      check(
        'ca.key_identifier',
        'passed',
        `subjectKeyIdentifier ${ski}${cert.authorityKeyIdentifier === undefined ? ', no authorityKeyIdentifier' : ''}`,
      ),
    );

  const unknown = cert.extensions.filter((e) => e.critical && !KNOWN_CRITICAL.has(e.oid)).map((e) => e.oid);
  checks.push(
    unknown.length === 0
      ? check('ca.critical_extensions', 'passed', 'critical: keyUsage and basicConstraints only')
      : check('ca.critical_extensions', 'warning', `unexpected critical extension(s): ${unknown.join(', ')}`),
  );

  if (options.now !== undefined) {
    const now = options.now;
    if (now < cert.notBefore)
      checks.push(
        check('ca.validity', 'failed', `not valid before ${isoTime(cert.notBefore)} (now ${isoTime(now)})`),
      );
    else if (now > cert.notAfter)
      checks.push(
        check('ca.validity', 'failed', `expired at ${isoTime(cert.notAfter)} (now ${isoTime(now)})`),
      );
    else
      checks.push(
        check('ca.validity', 'passed', `valid ${isoTime(cert.notBefore)} – ${isoTime(cert.notAfter)}`),
      );
  }

  const year = cert.notBefore.getUTCFullYear();
  const generation =
    purpose === undefined
      ? undefined
      : (options.generations ?? JPKI_CA_GENERATIONS).find((g) => g.purpose === purpose && g.fromYear === year)
          ?.label;
  return {
    verdict: verdictOf(checks),
    checks,
    ...(purpose !== undefined ? { purpose } : {}),
    ...(generation !== undefined ? { generation } : {}),
  };
}

function purposeText(p: JpkiCertificatePurpose): string {
  return p === 'signature' ? 'digital signature' : 'user authentication';
}

/**
 * The CRL distribution point directoryName of a certificate issued by `ca`, in the J-LIS shape under the
 * CA's own name (profiles.ts `crlDistributionPointUnder`). Undefined when the CA's name has a value that
 * is not a character string (then only URLs can name the CRL).
 */
export function crlDistributionPointOfCa(
  ca: Certificate,
  partition?: { readonly prefecture: string; readonly municipality: string },
): NameRdnAttribute[][] | undefined {
  const rdns: NameRdnAttribute[][] = [];
  for (const rdn of subjectAttributesOf(ca)) {
    const out: NameRdnAttribute[] = [];
    for (const a of rdn) {
      if (a.value === undefined) return undefined;
      out.push({ type: a.shortName ?? a.type, value: a.value });
    }
    rdns.push(out);
  }
  return crlDistributionPointUnder(rdns, partition);
}
