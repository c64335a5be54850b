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
 */
import { type Check, check } from '@mynakit/report';
import type { Certificate } from './certificate.js';
import { parseName } from './name.js';
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

/** ISO 18013-5 Annex B.1.4 document signer profile checks. */
export function checkDocumentSignerProfile(cert: Certificate, policy: ValidationPolicy = 'lenient'): Check[] {
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
  r.rule(
    'eku',
    (cert.extKeyUsage ?? []).includes(OID.mdlDocumentSigner) && critical(cert, OID.extKeyUsage),
    'extKeyUsage critical 1.0.18013.5.1.2',
    'extKeyUsage should be critical with 1.0.18013.5.1.2 (mdoc document signer)',
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
