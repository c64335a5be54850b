/**
 * Certificate revocation lists (RFC 5280 §5):
 *
 *   CertificateList ::= SEQUENCE { tbsCertList TBSCertList, signatureAlgorithm AlgorithmIdentifier,
 *                                  signatureValue BIT STRING }
 *   TBSCertList ::= SEQUENCE {
 *     version Version OPTIONAL (v2), signature AlgorithmIdentifier, issuer Name,
 *     thisUpdate Time, nextUpdate Time OPTIONAL,
 *     revokedCertificates SEQUENCE OF SEQUENCE { userCertificate CertificateSerialNumber,
 *       revocationDate Time, crlEntryExtensions Extensions OPTIONAL } OPTIONAL,
 *     crlExtensions [0] EXPLICIT Extensions OPTIONAL }
 *   CRLReason ::= ENUMERATED { unspecified (0), keyCompromise (1), cACompromise (2), affiliationChanged (3),
 *     superseded (4), cessationOfOperation (5), certificateHold (6), removeFromCRL (8),
 *     privilegeWithdrawn (9), aACompromise (10) }
 *   IssuingDistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL,
 *     onlyContainsUserCerts [1] BOOLEAN DEFAULT FALSE, onlyContainsCACerts [2] BOOLEAN DEFAULT FALSE,
 *     onlySomeReasons [3] ReasonFlags OPTIONAL, indirectCRL [4] BOOLEAN DEFAULT FALSE,
 *     onlyContainsAttributeCerts [5] BOOLEAN DEFAULT FALSE }
 *
 * JPKI partitions its user-authentication CRLs by municipality (a directoryName distribution point per
 * partition, §5.2.5), so scope matters: a CRL only speaks for the certificates its IDP covers.
 * Freshness is judged at the caller's `now`: past nextUpdate a CRL is *stale* — a status of its own,
 * never "good". Large CRLs are indexed by serial on the first lookup.
 */
import type { KeyObject } from 'node:crypto';
import { type Check, check, type Verdict, verdictOf } from '@mynakit/report';
import {
  type AlgorithmIdentifier,
  defaultSigningAlgorithm,
  namedAlgorithm,
  readAlgorithmIdentifier,
  type SignaturePolicy,
  type SigningAlgorithm,
  signData,
  signingAlgorithmIdentifier,
  verifySignature,
} from './algorithm.js';
import { type Certificate, normaliseSerialNumber, serialToBigInt, toCertificate } from './certificate.js';
import { type SignerIssuer, signVerified } from './create-certificate.js';
import {
  bytesEqual,
  children,
  type DerElement,
  readBigInt,
  readBitString,
  readBoolean,
  readDer,
  readIntegerHex,
  readSmallInt,
  readTime,
  Tag,
} from './der-reader.js';
import {
  bitString,
  boolean,
  enumerated,
  explicit,
  generalizedTime as generalized,
  implicit,
  integer,
  sequence,
  tlvList,
  x509Time,
} from './der-writer.js';
import { PkiError } from './errors.js';
import {
  type DistributionPointName,
  type Extension,
  encodeDistributionPointName,
  encodeExtension,
  encodeExtensionInput,
  encodeReasonFlags,
  REASON_FLAG_NAMES,
  type ReasonFlag,
  readAuthorityKeyIdentifier,
  readDistributionPointName,
  readExtensions,
  tagAs,
} from './extensions.js';
import type { GeneralName, GeneralNameInput } from './general-name.js';
import { namesEqual, nameToString } from './name.js';
import { OID } from './oids.js';

export const CRL_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
export type CrlReason = (typeof CRL_REASONS)[number];

/** CRLReason (RFC 5280 §5.3.1). A Map: a reason named by a caller is never an Object.prototype member. */
const REASON_CODE: ReadonlyMap<CrlReason, number> = new Map<CrlReason, number>([
  ['unspecified', 0],
  ['keyCompromise', 1],
  ['cACompromise', 2],
  ['affiliationChanged', 3],
  ['superseded', 4],
  ['cessationOfOperation', 5],
  ['certificateHold', 6],
  ['removeFromCRL', 8],
  ['privilegeWithdrawn', 9],
  ['aACompromise', 10],
]);

export function crlReasonFromCode(code: number): CrlReason | undefined {
  return CRL_REASONS.find((r) => REASON_CODE.get(r) === code);
}

/** The CRLReason code of a reason name; INVALID_ARGUMENT for a name RFC 5280 §5.3.1 does not define. */
export function crlReasonCode(reason: CrlReason): number {
  const code = REASON_CODE.get(reason);
  if (code === undefined) throw new PkiError('INVALID_ARGUMENT', 'unknown CRL reason');
  return code;
}

export interface IssuingDistributionPoint {
  readonly distributionPoint?: DistributionPointName;
  readonly onlyContainsUserCerts: boolean;
  readonly onlyContainsCACerts: boolean;
  readonly onlySomeReasons?: readonly ReasonFlag[];
  readonly indirectCRL: boolean;
  readonly onlyContainsAttributeCerts: boolean;
}

export interface CrlEntry {
  /** Normalised hex, as `Certificate.serialNumber`. */
  readonly serialNumber: string;
  readonly revocationDate: Date;
  readonly reason?: CrlReason;
  readonly invalidityDate?: Date;
  readonly extensions: readonly Extension[];
}

export interface Crl {
  readonly der: Uint8Array;
  readonly version: 1 | 2;
  readonly issuer: string;
  readonly issuerDer: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly crlNumber?: bigint;
  /** Present on a delta CRL: the number of its base CRL (§5.2.4). */
  readonly deltaCrlIndicator?: bigint;
  readonly authorityKeyIdentifier?: string;
  readonly issuingDistributionPoint?: IssuingDistributionPoint;
  readonly extensions: readonly Extension[];
  readonly entries: readonly CrlEntry[];
  readonly signatureAlgorithm: AlgorithmIdentifier & { readonly name: string };
  readonly tbsDer: Uint8Array;
  readonly signatureValue: Uint8Array;
}

// ---- writing ----

export interface IssuingDistributionPointInput {
  /** The partition's name, e.g. a directoryName `C=JP, …, CN=Tsukuba-shi CRLDP`, or URIs. */
  readonly fullName?: readonly GeneralNameInput[];
  readonly onlyContainsUserCerts?: boolean;
  readonly onlyContainsCACerts?: boolean;
  readonly onlySomeReasons?: readonly ReasonFlag[];
  readonly indirectCRL?: boolean;
}

export interface CrlEntryInput {
  readonly serialNumber: string | bigint;
  readonly revocationDate: Date;
  /** Omitted from the encoding when `unspecified` (§5.3.1). */
  readonly reason?: CrlReason;
  readonly invalidityDate?: Date;
}

export interface CreateCrlOptions {
  readonly issuer: {
    readonly certificate: Certificate | Uint8Array | string;
    readonly privateKey: KeyObject;
  };
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly crlNumber: bigint | number;
  readonly entries: readonly CrlEntryInput[];
  readonly issuingDistributionPoint?: IssuingDistributionPointInput;
  /** Makes this a delta CRL over the base CRL with this number. */
  readonly deltaCrlIndicator?: bigint | number;
  readonly signingAlgorithm?: SigningAlgorithm;
  /** Further CRL extensions, encoded by the caller. */
  readonly extraExtensions?: readonly {
    readonly oid: string;
    readonly critical: boolean;
    readonly valueDer: Uint8Array;
  }[];
}

function encodeIdp(idp: IssuingDistributionPointInput): Uint8Array {
  const parts: Uint8Array[] = [];
  if (idp.fullName) parts.push(encodeDistributionPointName(idp.fullName));
  if (idp.onlyContainsUserCerts) parts.push(implicit(1, boolean(true)));
  if (idp.onlyContainsCACerts) parts.push(implicit(2, boolean(true)));
  if (idp.onlySomeReasons) parts.push(implicit(3, encodeReasonFlags(idp.onlySomeReasons)));
  if (idp.indirectCRL) parts.push(implicit(4, boolean(true)));
  return sequence(...parts);
}

/** Issues a v2 CRL signed with a private key in hand; returns its DER. */
export function createCrl(opts: CreateCrlOptions): Uint8Array<ArrayBuffer> {
  const alg = opts.signingAlgorithm ?? defaultSigningAlgorithm(opts.issuer.privateKey);
  const { tbs, algId } = buildTbsCertList(opts, opts.issuer.certificate, alg);
  return sequence(tbs, algId, bitString(signData(alg, tbs, opts.issuer.privateKey)));
}

/** createCrl's options with the CA's key behind a CertificateSigner (a KMS, an HSM, a key store). */
export interface CreateCrlWithSignerOptions extends Omit<CreateCrlOptions, 'issuer' | 'signingAlgorithm'> {
  /** The CA that issues the CRL; its signer's algorithm is the CRL's signature algorithm. */
  readonly issuer: SignerIssuer;
}

/**
 * createCrl for a CA whose key is held elsewhere: the same TBSCertList, signed by
 * `await issuer.signer.sign(tbs)`. The signature is verified under the CA certificate's public key before
 * the CRL is returned; a signer answering with another key or encoding is refused (INVALID_ARGUMENT).
 */
export async function createCrlWithSigner(
  opts: CreateCrlWithSignerOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const { signer } = opts.issuer;
  const { tbs, algId, issuer } = buildTbsCertList(opts, opts.issuer.certificate, signer.algorithm);
  const signature = await signVerified(signer, tbs, algId, issuer.publicKey, "the CRL issuer's");
  return sequence(tbs, algId, bitString(signature));
}

/**
 * The one TBSCertList writer of both paths (RFC 5280 §5.1.2): v2, the issuer's subject byte for byte,
 * thisUpdate/nextUpdate, the entries (reasonCode omitted for `unspecified`, §5.3.1), and the CRL
 * extensions authorityKeyIdentifier (the CA's SKI, §5.2.1), cRLNumber (§5.2.3), deltaCRLIndicator
 * (critical, §5.2.4) and issuingDistributionPoint (critical, §5.2.5).
 */
function buildTbsCertList(
  opts: Omit<CreateCrlOptions, 'issuer' | 'signingAlgorithm'>,
  issuerCertificate: Certificate | Uint8Array | string,
  alg: SigningAlgorithm,
): { readonly tbs: Uint8Array; readonly algId: Uint8Array; readonly issuer: Certificate } {
  const issuer = toCertificate(issuerCertificate);
  const algId = signingAlgorithmIdentifier(alg);
  const entries = opts.entries.map((e) => {
    const ext: Uint8Array[] = [];
    if (e.reason !== undefined && e.reason !== 'unspecified')
      ext.push(encodeExtension(OID.reasonCode, false, enumerated(crlReasonCode(e.reason))));
    if (e.invalidityDate) ext.push(encodeExtension(OID.invalidityDate, false, generalized(e.invalidityDate)));
    return sequence(
      integer(serialToBigInt(e.serialNumber)),
      x509Time(e.revocationDate),
      ...(ext.length ? [sequence(...ext)] : []),
    );
  });
  const crlExts: Uint8Array[] = [];
  const aki = issuer.subjectKeyIdentifier;
  if (aki) {
    const e = encodeExtensionInput({ type: 'authorityKeyIdentifier', keyIdentifier: aki });
    crlExts.push(encodeExtension(e.oid, false, e.value));
  }
  crlExts.push(encodeExtension(OID.cRLNumber, false, integer(opts.crlNumber)));
  if (opts.deltaCrlIndicator !== undefined)
    crlExts.push(encodeExtension(OID.deltaCRLIndicator, true, integer(opts.deltaCrlIndicator)));
  if (opts.issuingDistributionPoint)
    crlExts.push(
      encodeExtension(OID.issuingDistributionPoint, true, encodeIdp(opts.issuingDistributionPoint)),
    );
  for (const e of opts.extraExtensions ?? []) crlExts.push(encodeExtension(e.oid, e.critical, e.valueDer));
  const tbs = sequence(
    integer(1),
    algId,
    issuer.subjectDer,
    x509Time(opts.thisUpdate),
    x509Time(opts.nextUpdate),
    ...(entries.length ? [tlvList(Tag.SEQUENCE, entries)] : []),
    explicit(0, sequence(...crlExts)),
  );
  return { tbs, algId, issuer };
}

// ---- reading ----

function readIdp(value: Uint8Array): IssuingDistributionPoint {
  const r = children(readDer(value, 'IssuingDistributionPoint'));
  const dp = r.optional(0xa0);
  const flag = (el: DerElement | undefined): boolean => (el ? readBoolean(el) : false);
  const user = flag(r.optional(0x81));
  const ca = flag(r.optional(0x82));
  const reasons = r.optional(0x83);
  const indirect = flag(r.optional(0x84));
  const attr = flag(r.optional(0x85));
  r.finish('IssuingDistributionPoint');
  return {
    ...(dp ? { distributionPoint: readDistributionPointName(dp) } : {}),
    onlyContainsUserCerts: user,
    onlyContainsCACerts: ca,
    ...(reasons ? { onlySomeReasons: readReasonFlags(reasons) } : {}),
    indirectCRL: indirect,
    onlyContainsAttributeCerts: attr,
  };
}

function readReasonFlags(el: DerElement): ReasonFlag[] {
  const bs = readBitString(readDer(tagAs(el, Tag.BIT_STRING)));
  return REASON_FLAG_NAMES.filter((_, i) => ((bs.bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0);
}

export function parseCrl(der: Uint8Array): Crl {
  try {
    // Read as DER (§5.1): one signed CRL, one accepted encoding.
    const top = children(readDer(der, 'CertificateList'), 'CertificateList');
    const tbs = top.expect(Tag.SEQUENCE, 'tbsCertList');
    const outerAlg = top.expect(Tag.SEQUENCE, 'signatureAlgorithm');
    const bits = readBitString(top.expect(Tag.BIT_STRING, 'signatureValue'));
    if (bits.unusedBits !== 0)
      throw new PkiError('CRL_MALFORMED', 'signatureValue: a signature BIT STRING with unused bits');
    const sig = bits.bytes;
    top.finish('CertificateList');
    const t = children(tbs, 'TBSCertList');
    const v = t.optional(Tag.INTEGER);
    const version = v ? readSmallInt(v) + 1 : 1;
    if (version !== 1 && version !== 2) throw new PkiError('CRL_MALFORMED', 'unknown CRL version');
    const innerAlg = t.expect(Tag.SEQUENCE, 'signature');
    // §5.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the signature field in
    // the sequence tbsCertList" — byte for byte; verification uses the signed one.
    if (!bytesEqual(innerAlg.bytes, outerAlg.bytes))
      throw new PkiError('CRL_MALFORMED', 'signature algorithm mismatch (§5.1.1.2)');
    const alg = readAlgorithmIdentifier(innerAlg);
    const issuer = t.expect(Tag.SEQUENCE, 'issuer').bytes;
    const thisUpdate = readTime(t.next('thisUpdate'));
    const nu = t.peek();
    const nextUpdate =
      nu && (nu.tag === Tag.UTC_TIME || nu.tag === Tag.GENERALIZED_TIME) ? readTime(t.next()) : undefined;
    const revoked = t.optional(Tag.SEQUENCE);
    const extW = t.optional(0xa0);
    t.finish('TBSCertList');

    const entries: CrlEntry[] = [];
    if (revoked) {
      const rr = children(revoked);
      while (!rr.done) {
        const e = children(rr.expect(Tag.SEQUENCE, 'revokedCertificate'));
        const serial = readIntegerHex(e.expect(Tag.INTEGER, 'userCertificate'));
        const revocationDate = readTime(e.next('revocationDate'));
        const ex = e.optional(Tag.SEQUENCE);
        const extensions = ex ? readExtensions(ex) : [];
        const rc = extensions.find((x) => x.oid === OID.reasonCode);
        const inv = extensions.find((x) => x.oid === OID.invalidityDate);
        const reason = rc ? crlReasonFromCode(readSmallInt(tagEnumerated(rc.value))) : undefined;
        entries.push({
          serialNumber: serial,
          revocationDate,
          ...(reason !== undefined ? { reason } : {}),
          ...(inv ? { invalidityDate: readTime(readDer(inv.value)) } : {}),
          extensions,
        });
      }
    }
    const extensions = extW ? readExtensions(readDer(extW.value, 'crlExtensions')) : [];
    const ext = (o: string): Uint8Array | undefined => extensions.find((e) => e.oid === o)?.value;
    const num = ext(OID.cRLNumber);
    const delta = ext(OID.deltaCRLIndicator);
    const aki = ext(OID.authorityKeyIdentifier);
    const idp = ext(OID.issuingDistributionPoint);
    const akid = aki ? readAuthorityKeyIdentifier(aki).keyIdentifier : undefined;
    return {
      der,
      version: version as 1 | 2,
      issuer: nameToString(issuer),
      issuerDer: issuer,
      thisUpdate,
      ...(nextUpdate ? { nextUpdate } : {}),
      ...(num ? { crlNumber: readBigInt(readDer(num)) } : {}),
      ...(delta ? { deltaCrlIndicator: readBigInt(readDer(delta)) } : {}),
      ...(akid !== undefined ? { authorityKeyIdentifier: akid } : {}),
      ...(idp ? { issuingDistributionPoint: readIdp(idp) } : {}),
      extensions,
      entries,
      signatureAlgorithm: namedAlgorithm(alg),
      tbsDer: tbs.bytes,
      signatureValue: sig,
    };
  } catch (cause) {
    if (cause instanceof PkiError && cause.code === 'CRL_MALFORMED') throw cause;
    throw new PkiError('CRL_MALFORMED', `malformed CRL: ${(cause as Error).message}`, { cause });
  }
}

function tagEnumerated(value: Uint8Array): DerElement {
  const el = readDer(value, 'CRLReason');
  if (el.tag !== Tag.ENUMERATED) throw new PkiError('CRL_MALFORMED', 'CRLReason is not ENUMERATED');
  return el;
}

// ---- lookup ----

const indexes = new WeakMap<Crl, Map<string, CrlEntry>>();

export interface CrlLookup {
  readonly revoked: boolean;
  readonly reason?: CrlReason;
  readonly revocationDate?: Date;
  readonly invalidityDate?: Date;
}

/**
 * Whether `serial` (a certificate, or its serial as hex/bigint) is listed. An entry with reason
 * removeFromCRL (delta CRLs, §5.3.1) reports `revoked: false`.
 */
export function lookupInCrl(crl: Crl, serial: Certificate | string | bigint): CrlLookup {
  let index = indexes.get(crl);
  if (!index) {
    index = new Map(crl.entries.map((e) => [e.serialNumber, e]));
    indexes.set(crl, index);
  }
  const key = typeof serial === 'object' ? serial.serialNumber : normaliseSerialNumber(serial);
  const e = index.get(key);
  if (!e) return { revoked: false };
  return {
    revoked: e.reason !== 'removeFromCRL',
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
    revocationDate: e.revocationDate,
    ...(e.invalidityDate ? { invalidityDate: e.invalidityDate } : {}),
  };
}

// ---- verification ----

export type CrlStatus = 'current' | 'stale' | 'not_yet_valid' | 'invalid';

export interface VerifyCrlOptions extends SignaturePolicy {
  /** The CA that issued the CRL (RFC 5280 §6.3.3 (f): the CRL issuer is the certificate issuer here). */
  readonly issuerCertificate: Certificate;
  readonly now: Date;
  /** The certificate whose status is wanted: enables the scope check against the CRL's IDP. */
  readonly certificate?: Certificate;
  /**
   * Tolerance for thisUpdate / nextUpdate against `now`, in seconds (default 0), as for OCSP responses: a
   * CRL fetched just after the verifier fixed `now`, or signed by a CA whose clock runs slightly ahead, is
   * not from the future in any sense that matters.
   */
  readonly clockToleranceSeconds?: number;
}

export interface CrlVerification {
  readonly verdict: Verdict;
  /** `current` only when every check passed and thisUpdate ≤ now ≤ nextUpdate. */
  readonly status: CrlStatus;
  readonly checks: readonly Check[];
  readonly crl?: Crl;
}

const UNDERSTOOD_CRL_EXTENSIONS = new Set<string>([
  OID.cRLNumber,
  OID.authorityKeyIdentifier,
  OID.issuingDistributionPoint,
  OID.deltaCRLIndicator,
  OID.issuerAltName,
]);
const UNDERSTOOD_ENTRY_EXTENSIONS = new Set<string>([OID.reasonCode, OID.invalidityDate]);

function generalNameEqual(a: GeneralName, b: GeneralName): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'directoryName' && b.type === 'directoryName') return namesEqual(a.der, b.der);
  if ('value' in a && 'value' in b) return a.value === b.value;
  return false;
}

function scopeCheck(crl: Crl, cert: Certificate | undefined, issuer: Certificate): Check {
  const idp = crl.issuingDistributionPoint;
  if (idp === undefined)
    return check('crl.scope', 'passed', 'a complete CRL for every certificate of the issuer');
  if (idp.indirectCRL) return check('crl.scope', 'failed', 'indirect CRLs are not supported');
  if (idp.onlyContainsAttributeCerts)
    return check('crl.scope', 'failed', 'the CRL covers attribute certificates only');
  if (cert === undefined)
    return check('crl.scope', 'skipped', 'partitioned CRL; no certificate given to match its scope');
  if (!namesEqual(cert.issuerDer, issuer.subjectDer))
    return check('crl.scope', 'failed', 'the certificate was not issued by the CRL issuer');
  const isCa = cert.basicConstraints?.ca === true;
  if (idp.onlyContainsUserCerts && isCa)
    return check('crl.scope', 'failed', 'the CRL covers end-entity certificates only');
  if (idp.onlyContainsCACerts && !isCa)
    return check('crl.scope', 'failed', 'the CRL covers CA certificates only');
  const dp = idp.distributionPoint;
  if (dp !== undefined) {
    if (!('fullName' in dp))
      return check('crl.scope', 'failed', 'nameRelativeToCRLIssuer distribution points are not supported');
    const certNames = cert.crlDistributionPoints.flatMap((p) =>
      p.distributionPoint && 'fullName' in p.distributionPoint ? p.distributionPoint.fullName : [],
    );
    if (!certNames.some((n) => dp.fullName.some((m) => generalNameEqual(n, m))))
      return check('crl.scope', 'failed', "the CRL's distribution point does not match the certificate's");
  }
  if (idp.onlySomeReasons)
    return check(
      'crl.scope',
      'warning',
      `the CRL covers only some reasons: ${idp.onlySomeReasons.join(', ')}`,
    );
  return check('crl.scope', 'passed', 'the certificate is within the CRL partition');
}

/** Verifies a CRL (signature, issuer, freshness, scope); reports, never throws on bad input. */
export function verifyCrl(input: Crl | Uint8Array, opts: VerifyCrlOptions): CrlVerification {
  const checks: Check[] = [];
  let crl: Crl;
  try {
    crl = input instanceof Uint8Array ? parseCrl(input) : input;
    checks.push(check('crl.decode', 'passed', `CRL v${crl.version} with ${crl.entries.length} entries`));
  } catch (e) {
    checks.push(check('crl.decode', 'failed', (e as Error).message));
    return { verdict: 'invalid', status: 'invalid', checks };
  }
  const issuer = opts.issuerCertificate;
  const nameOk = namesEqual(crl.issuerDer, issuer.subjectDer);
  const akiOk =
    crl.authorityKeyIdentifier === undefined ||
    issuer.subjectKeyIdentifier === undefined ||
    crl.authorityKeyIdentifier === issuer.subjectKeyIdentifier;
  checks.push(
    nameOk && akiOk
      ? check('crl.issuer', 'passed', `issued by "${issuer.subject}"`)
      : check(
          'crl.issuer',
          'failed',
          nameOk
            ? 'authorityKeyIdentifier does not match the issuer key'
            : `CRL issuer "${crl.issuer}" is not "${issuer.subject}"`,
        ),
  );
  let sigOk = false;
  try {
    sigOk = verifySignature(
      crl.signatureAlgorithm,
      crl.tbsDer,
      crl.signatureValue,
      issuer.publicKey,
      undefined,
      {
        allowSha1: opts.allowSha1 === true,
      },
    );
  } catch (e) {
    checks.push(check('crl.signature', 'failed', (e as Error).message));
  }
  if (!checks.some((c) => c.id === 'crl.signature'))
    checks.push(
      sigOk
        ? check('crl.signature', 'passed', `${crl.signatureAlgorithm.name} signature verified`)
        : check('crl.signature', 'failed', "signature does not verify under the issuer's key"),
    );
  checks.push(
    issuer.keyUsage === undefined || issuer.keyUsage.includes('cRLSign')
      ? check('crl.key_usage', 'passed', 'the issuer may sign CRLs')
      : check('crl.key_usage', 'failed', 'the issuer certificate lacks keyUsage cRLSign'),
  );
  const unknown = [
    ...crl.extensions.filter((e) => e.critical && !UNDERSTOOD_CRL_EXTENSIONS.has(e.oid)).map((e) => e.oid),
    ...crl.entries.flatMap((en) =>
      en.extensions.filter((e) => e.critical && !UNDERSTOOD_ENTRY_EXTENSIONS.has(e.oid)).map((e) => e.oid),
    ),
  ];
  checks.push(
    unknown.length === 0
      ? check('crl.critical_extensions', 'passed', 'every critical extension is understood')
      : check(
          'crl.critical_extensions',
          'failed',
          `unrecognised critical extension: ${[...new Set(unknown)].join(', ')}`,
        ),
  );
  checks.push(scopeCheck(crl, opts.certificate, issuer));
  if (crl.deltaCrlIndicator !== undefined)
    checks.push(
      check(
        'crl.delta',
        'warning',
        `a delta CRL over base CRL ${crl.deltaCrlIndicator}: use it with that base CRL`,
      ),
    );

  const now = opts.now.getTime();
  const tolerance = Math.max(0, opts.clockToleranceSeconds ?? 0) * 1000;
  let freshness: CrlStatus = 'current';
  if (now + tolerance < crl.thisUpdate.getTime()) {
    freshness = 'not_yet_valid';
    checks.push(
      check('crl.freshness', 'undetermined', `thisUpdate ${crl.thisUpdate.toISOString()} is after now`),
    );
  } else if (crl.nextUpdate === undefined) {
    freshness = 'stale';
    checks.push(check('crl.freshness', 'undetermined', 'no nextUpdate: freshness cannot be judged'));
  } else if (now - tolerance > crl.nextUpdate.getTime()) {
    freshness = 'stale';
    checks.push(
      check('crl.freshness', 'undetermined', `stale: nextUpdate ${crl.nextUpdate.toISOString()} has passed`),
    );
  } else {
    checks.push(
      check(
        'crl.freshness',
        'passed',
        `current: ${crl.thisUpdate.toISOString()} ≤ now ≤ ${crl.nextUpdate.toISOString()}`,
      ),
    );
  }
  const verdict = verdictOf(checks);
  return { verdict, status: verdict === 'invalid' ? 'invalid' : freshness, checks, crl };
}

// ---- the status of one certificate from a CRL ----

export interface CrlCertificateStatus {
  /**
   * `unusable`: the CRL is invalid, stale, not yet valid or does not cover the certificate — or it does
   * not list it but is not authoritative for "not revoked" (a delta CRL, a CRL for only some reasons).
   */
  readonly status: 'good' | 'revoked' | 'unusable';
  readonly reason?: CrlReason;
  readonly revocationDate?: Date;
  readonly detail: string;
  readonly checks: readonly Check[];
}

/**
 * The revocation status of `certificate` according to `crl`, failing closed.
 *
 * A CRL can show a certificate revoked on its own, but it shows one *not* revoked only when it is a
 * complete CRL for every reason (RFC 5280 §6.3.3 (b)(2), (j)): a delta CRL (§5.2.4) lists only the
 * changes since its base CRL, and a CRL whose issuingDistributionPoint has onlySomeReasons speaks only
 * for those reasons. Not being listed on such a CRL is `unusable` (check `crl.coverage`), never `good`.
 */
export function checkCertificateAgainstCrl(
  crl: Crl | Uint8Array,
  opts: {
    certificate: Certificate;
    issuerCertificate: Certificate;
    now: Date;
    /** As VerifyCrlOptions.clockToleranceSeconds. */
    clockToleranceSeconds?: number;
  } & SignaturePolicy,
): CrlCertificateStatus {
  const v = verifyCrl(crl, opts);
  const checks = [...v.checks];
  const scope = checks.find((c) => c.id === 'crl.scope');
  if (v.status !== 'current' || !v.crl || scope?.status === 'skipped') {
    const why = checks.find((c) => c.status === 'failed' || c.status === 'undetermined') ?? scope;
    return { status: 'unusable', detail: `CRL not usable: ${why?.detail ?? v.status}`, checks };
  }
  const hit = lookupInCrl(v.crl, opts.certificate);
  if (hit.revoked && hit.revocationDate && hit.revocationDate.getTime() <= opts.now.getTime()) {
    return {
      status: 'revoked',
      ...(hit.reason ? { reason: hit.reason } : {}),
      revocationDate: hit.revocationDate,
      detail: `revoked at ${hit.revocationDate.toISOString()}${hit.reason ? ` (${hit.reason})` : ''}`,
      checks,
    };
  }
  const crlNow = v.crl;
  if (crlNow.deltaCrlIndicator !== undefined) {
    const detail = `a delta CRL (base CRL ${crlNow.deltaCrlIndicator}) alone cannot show that a certificate is not revoked`;
    checks.push(check('crl.coverage', 'undetermined', detail));
    return { status: 'unusable', detail: `CRL not authoritative: ${detail}`, checks };
  }
  const reasons = crlNow.issuingDistributionPoint?.onlySomeReasons;
  if (reasons !== undefined) {
    const detail = `the CRL covers only some reasons (${reasons.join(', ')}), so not being listed proves nothing for the others`;
    checks.push(check('crl.coverage', 'undetermined', detail));
    return { status: 'unusable', detail: `CRL not authoritative: ${detail}`, checks };
  }
  checks.push(check('crl.coverage', 'passed', 'a complete CRL for every reason'));
  return { status: 'good', detail: 'not listed on a current CRL', checks };
}
