/**
 * The sandbox CA hierarchy: created at the first start, reused afterwards, renewed by generation.
 *
 *   mdoc (ISO/IEC 18013-5 Annex B, ECDSA P-256)
 *     IACA for org.iso.23220.1.jp.mnc ─┬─ document signer   (EKUs of the docType, pki DEFAULT_DOCUMENT_SIGNER_EKUS)
 *                                      └─ status list signer (pki STATUS_LIST_SIGNING_EKU)
 *     IACA for org.iso.18013.5.1.mDL ──── document signer   (a sample mDL: a foreign driving licence)
 *   JPKI (RSA-2048, sha256WithRSAEncryption; the structure of the real J-LIS CAs, vectors/jpki-real)
 *     signature CA ─────────── OCSP responder (delegated: id-kp-OCSPSigning, id-pkix-ocsp-nocheck)
 *     user-authentication CA ─ OCSP responder
 *   platform attestation root ─ platform attestation CA (ECDSA P-256; OpenID4VCI key attestations)
 *   reader CA (ECDSA P-256; relying parties' reader-authentication certificates)
 *
 * Every certificate has a name — `<kind>-g<generation>` — that is also the name of its key in the
 * KeySource. Generations count from the hierarchy's epoch (its first start, kept by the CertificateStore)
 * on the schedule of sandbox-names.ts: roots every 4 years (valid 10), signers every year (valid 457
 * days, issued by the root generation current at their start). So `ensureSandboxHierarchy` is
 * deterministic given the epoch and `now`: instances starting together compute the same names, the key
 * source and the store keep whichever key and certificate were written first, and every instance reads
 * those. A later call creates only what a new period needs; the rest is read back, never re-created.
 * Call it again from time to time in a long-running process (it is cheap when nothing is due).
 *
 * Names and policies are the sandbox's own (sandbox-names.ts): nothing here passes for J-LIS or the
 * Digital Agency.
 */
import type { KeyObject } from 'node:crypto';
import {
  acceptedDocumentSignerEkus,
  type Certificate,
  type CertificateSigner,
  createCertificateWithSigner,
  DEFAULT_DOCUMENT_SIGNER_EKUS,
  type ExtensionInput,
  parseCertificate,
  STATUS_LIST_SIGNING_EKU,
  spkiOf,
} from '@mynakit/pki';
import {
  createJpkiCaCertificateWithSigner,
  type JpkiCertificatePurpose,
  keyIdentifierOfKey,
  type NameAttributes,
  nameToRdns,
  X509_OID,
} from '@mynakit/jpki';
import { IssuerError } from '../errors.js';
import {
  type IssuerKeySpec,
  type KeySource,
  keySourceSigner,
  signingAlgorithmFor,
} from '../keys/key-source.js';
import type { CertificateStore } from './certificate-store.js';
import {
  SANDBOX_DEFAULT_BASE_URL,
  SANDBOX_DOCTYPE,
  SANDBOX_NAME,
  SANDBOX_SCHEDULE,
  SANDBOX_URL_PATH,
} from './sandbox-names.js';

/** One certificate of the hierarchy with its key, which stays in the KeySource. */
export interface SandboxCertificate {
  /** The certificate's name in the store, which is also its key's name in the KeySource (`mnc-iaca-g0`). */
  readonly name: string;
  readonly der: Uint8Array;
  readonly certificate: Certificate;
  /** Signs as this certificate's key, through the KeySource (DER signatures; X.509, CMS, OCSP, CRL). */
  readonly signer: CertificateSigner;
}

/** The IACA of one docType and what it issued. */
export interface SandboxMdocIssuer {
  readonly docType: string;
  /** The current IACA generation: the trust anchor of the current document signer. */
  readonly iaca: SandboxCertificate;
  /** Every IACA generation still valid, newest first: what verifiers take as trust anchors. */
  readonly iacas: readonly SandboxCertificate[];
  /** The current document signer (this period's), issued by `iaca`. */
  readonly documentSigner: SandboxCertificate;
}

/** The card-substitute record's IACA, which also issues the status-list signer. */
export interface SandboxMncIssuer extends SandboxMdocIssuer {
  /** Signs the Token Status Lists of the records (issued by the IACA, STATUS_LIST_SIGNING_EKU). */
  readonly statusListSigner: SandboxCertificate;
}

/** One JPKI CA (signature or user authentication) with its OCSP responders. */
export interface SandboxJpkiCa {
  readonly purpose: JpkiCertificatePurpose;
  /** The current generation: issues new certificates. */
  readonly ca: SandboxCertificate;
  /** Every generation still valid, newest first (J-LIS keeps several current; pick by AKI = SKI). */
  readonly cas: readonly SandboxCertificate[];
  /** The current generation's delegated OCSP responder. */
  readonly ocspResponder: SandboxCertificate;
  /** A responder for every generation in `cas`, by the CA's subjectKeyIdentifier. */
  readonly ocspResponders: ReadonlyMap<string, SandboxCertificate>;
}

/** A root with every still-valid generation. */
export interface SandboxRoot {
  readonly root: SandboxCertificate;
  /** Every generation still valid, newest first. */
  readonly roots: readonly SandboxCertificate[];
}

/** The whole sandbox hierarchy at one instant. */
export interface SandboxHierarchy {
  /** The instant of the first start, which generations are counted from. */
  readonly epoch: Date;
  /** The instant the hierarchy was ensured for. */
  readonly now: Date;
  /** The base of the URLs baked into certificates (CRL distribution points, issuerAltName, OCSP). */
  readonly baseUrl: string;
  readonly keySource: KeySource;
  readonly mnc: SandboxMncIssuer;
  readonly mdl: SandboxMdocIssuer;
  readonly jpki: { readonly signature: SandboxJpkiCa; readonly userAuthentication: SandboxJpkiCa };
  /** Platform attestation: a root and the CA under it that vouches for wallets' keys (OpenID4VCI). */
  readonly attestation: SandboxRoot & { readonly ca: SandboxCertificate };
  /** The root of relying parties' reader-authentication certificates. */
  readonly reader: SandboxRoot;
}

/** What ensureSandboxHierarchy needs; nothing else is read (no clock, no environment). */
export interface EnsureSandboxHierarchyOptions {
  readonly keySource: KeySource;
  readonly store: CertificateStore;
  readonly now: Date;
  /** Randomness for serial numbers (default crypto.getRandomValues). */
  readonly random?: (bytes: Uint8Array) => Uint8Array;
  /**
   * Base of the URLs written into certificates (default SANDBOX_DEFAULT_BASE_URL, under `.invalid`). Only
   * certificates created afterwards carry a new value: stored ones are never rewritten.
   */
  readonly baseUrl?: string;
}

interface Context {
  readonly keys: KeySource;
  readonly store: CertificateStore;
  readonly now: Date;
  readonly epoch: Date;
  readonly random: (bytes: Uint8Array) => Uint8Array;
  readonly baseUrl: string;
}

type Schedule = { readonly periodMs: number; readonly validityMs: number };

const EC: IssuerKeySpec = { kind: 'ec-p256' };
const RSA: IssuerKeySpec = { kind: 'rsa-2048' };

/** Creates what is missing of the sandbox hierarchy for `now`, and reads the rest back. */
export async function ensureSandboxHierarchy(
  options: EnsureSandboxHierarchyOptions,
): Promise<SandboxHierarchy> {
  const epoch = await options.store.epoch(options.now);
  const ctx: Context = {
    keys: options.keySource,
    store: options.store,
    now: options.now,
    epoch,
    random: options.random ?? ((b) => globalThis.crypto.getRandomValues(b)),
    baseUrl: (options.baseUrl ?? SANDBOX_DEFAULT_BASE_URL).replace(/\/+$/, ''),
  };

  const mncRoots = await ensureRoot(ctx, 'mnc-iaca', EC, (name, pub, w) =>
    mdocRootCertificate(ctx, name, SANDBOX_NAME.mncIaca, pub, w),
  );
  const mncDs = await ensureSigner(ctx, 'mnc-ds', EC, mncRoots[0]!, (_name, pub, w, iaca) =>
    documentSignerCertificate(ctx, SANDBOX_DOCTYPE.mnc, SANDBOX_NAME.mncDocumentSigner, pub, w, iaca),
  );
  const statusListSigner = await ensureSigner(ctx, 'mnc-status', EC, mncRoots[0]!, (_name, pub, w, iaca) =>
    statusListSignerCertificate(ctx, pub, w, iaca),
  );
  const mdlRoots = await ensureRoot(ctx, 'mdl-iaca', EC, (name, pub, w) =>
    mdocRootCertificate(ctx, name, SANDBOX_NAME.mdlIaca, pub, w),
  );
  const mdlDs = await ensureSigner(ctx, 'mdl-ds', EC, mdlRoots[0]!, (_name, pub, w, iaca) =>
    documentSignerCertificate(ctx, SANDBOX_DOCTYPE.mdl, SANDBOX_NAME.mdlDocumentSigner, pub, w, iaca),
  );

  const signature = await ensureJpkiCa(ctx, 'signature');
  const userAuthentication = await ensureJpkiCa(ctx, 'userAuthentication');

  const attestationRoots = await ensureRoot(ctx, 'attestation-root', EC, (name, pub, w) =>
    plainRootCertificate(ctx, name, SANDBOX_NAME.attestationRoot, pub, w, 1),
  );
  const attestationCa = await ensureChild(
    ctx,
    'attestation-ca',
    EC,
    SANDBOX_SCHEDULE.intermediate,
    attestationRoots[0]!,
    (_name, pub, w, root) => attestationCaCertificate(ctx, pub, w, root),
  );
  const readerRoots = await ensureRoot(ctx, 'reader-ca', EC, (name, pub, w) =>
    mdocRootCertificate(ctx, name, SANDBOX_NAME.readerCa, pub, w),
  );

  return {
    epoch,
    now: options.now,
    baseUrl: ctx.baseUrl,
    keySource: options.keySource,
    mnc: {
      docType: SANDBOX_DOCTYPE.mnc,
      iaca: mncRoots[0]!,
      iacas: mncRoots,
      documentSigner: mncDs,
      statusListSigner,
    },
    mdl: { docType: SANDBOX_DOCTYPE.mdl, iaca: mdlRoots[0]!, iacas: mdlRoots, documentSigner: mdlDs },
    jpki: { signature, userAuthentication },
    attestation: { root: attestationRoots[0]!, roots: attestationRoots, ca: attestationCa },
    reader: { root: readerRoots[0]!, roots: readerRoots },
  };
}

// ---- generations ----

interface Window {
  readonly generation: number;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

function generationAt(ctx: Context, schedule: Schedule, at: Date): number {
  return Math.max(0, Math.floor((at.getTime() - ctx.epoch.getTime()) / schedule.periodMs));
}

function windowOf(ctx: Context, schedule: Schedule, generation: number, cap?: Date): Window {
  const start = ctx.epoch.getTime() + generation * schedule.periodMs;
  const end = start + schedule.validityMs;
  return {
    generation,
    notBefore: new Date(start),
    notAfter: new Date(cap !== undefined ? Math.min(end, cap.getTime()) : end),
  };
}

type Build = (name: string, publicKey: KeyObject, window: Window) => Promise<Uint8Array>;
type BuildUnder = (
  name: string,
  publicKey: KeyObject,
  window: Window,
  issuer: SandboxCertificate,
) => Promise<Uint8Array>;

/**
 * The current generation of a root (created when missing), then every older generation still valid at
 * `now` that the store holds (never created after the fact). At most ⌈validity / period⌉ generations.
 */
async function ensureRoot(
  ctx: Context,
  kind: string,
  spec: IssuerKeySpec,
  build: Build,
): Promise<SandboxCertificate[]> {
  const schedule = SANDBOX_SCHEDULE.root;
  const current = generationAt(ctx, schedule, ctx.now);
  const out = [
    await ensureSlot(ctx, `${kind}-g${current}`, spec, (name, pub) =>
      build(name, pub, windowOf(ctx, schedule, current)),
    ),
  ];
  for (let g = current - 1; g >= 0; g--) {
    if (windowOf(ctx, schedule, g).notAfter.getTime() <= ctx.now.getTime()) break;
    const older = await loadSlot(ctx, `${kind}-g${g}`, spec);
    if (older !== undefined) out.push(older);
  }
  return out;
}

/** This period's signer under `issuer` (created when missing); its validity ends with the issuer's. */
function ensureSigner(
  ctx: Context,
  kind: string,
  spec: IssuerKeySpec,
  issuer: SandboxCertificate,
  build: BuildUnder,
): Promise<SandboxCertificate> {
  return ensureChild(ctx, kind, spec, SANDBOX_SCHEDULE.signer, issuer, build);
}

async function ensureChild(
  ctx: Context,
  kind: string,
  spec: IssuerKeySpec,
  schedule: Schedule,
  issuer: SandboxCertificate,
  build: BuildUnder,
): Promise<SandboxCertificate> {
  const g = generationAt(ctx, schedule, ctx.now);
  const w = windowOf(ctx, schedule, g, issuer.certificate.notAfter);
  return ensureSlot(ctx, `${kind}-g${g}`, spec, (name, pub) => build(name, pub, w, issuer));
}

async function ensureJpkiCa(ctx: Context, purpose: JpkiCertificatePurpose): Promise<SandboxJpkiCa> {
  const kind = purpose === 'signature' ? 'jpki-sign' : 'jpki-auth';
  const cas = await ensureRoot(ctx, `${kind}-ca`, RSA, (name, pub, w) =>
    createJpkiCaCertificateWithSigner({
      purpose,
      publicKey: pub,
      signer: keySourceSigner(ctx.keys, name, 'sha256WithRSAEncryption'),
      name: purpose === 'signature' ? SANDBOX_NAME.jpkiSignatureCa : SANDBOX_NAME.jpkiUserAuthenticationCa,
      altName:
        purpose === 'signature' ? SANDBOX_NAME.jpkiSignatureCaAlt : SANDBOX_NAME.jpkiUserAuthenticationCaAlt,
      serialNumber: randomSerial(ctx.random),
      notBefore: w.notBefore,
      notAfter: w.notAfter,
    }),
  );
  // One delegated responder per still-valid CA generation, renewed with the signers' period.
  const responders = new Map<string, SandboxCertificate>();
  for (const ca of cas) {
    const caGeneration = /-g(\d+)$/.exec(ca.name)?.[1];
    const responder = await ensureSigner(
      ctx,
      `${kind}-ocsp-c${caGeneration}`,
      RSA,
      ca,
      (_name, pub, w, issuer) => ocspResponderCertificate(ctx, purpose, pub, w, issuer),
    );
    responders.set(ca.certificate.subjectKeyIdentifier ?? ca.name, responder);
  }
  return {
    purpose,
    ca: cas[0]!,
    cas,
    ocspResponder: responders.get(cas[0]!.certificate.subjectKeyIdentifier ?? cas[0]!.name)!,
    ocspResponders: responders,
  };
}

// ---- slots: a named key + a named certificate ----

async function ensureSlot(
  ctx: Context,
  name: string,
  spec: IssuerKeySpec,
  build: (name: string, publicKey: KeyObject) => Promise<Uint8Array>,
): Promise<SandboxCertificate> {
  const existing = await loadSlot(ctx, name, spec);
  if (existing !== undefined) return existing;
  const publicKey = await ctx.keys.ensureKey(name, spec);
  const der = await build(name, publicKey);
  // A racing instance may have stored its certificate first (for the same key): that one is kept.
  const stored = await ctx.store.putIfAbsent(name, der);
  return slotOf(ctx, name, spec, stored, publicKey);
}

async function loadSlot(
  ctx: Context,
  name: string,
  spec: IssuerKeySpec,
): Promise<SandboxCertificate | undefined> {
  const der = await ctx.store.get(name);
  if (der === undefined) return undefined;
  return slotOf(ctx, name, spec, der, await ctx.keys.publicKey(name));
}

function slotOf(
  ctx: Context,
  name: string,
  spec: IssuerKeySpec,
  der: Uint8Array,
  publicKey: KeyObject | undefined,
): SandboxCertificate {
  let certificate: Certificate;
  try {
    certificate = parseCertificate(der);
  } catch (e) {
    throw new IssuerError('ISSUER_CA_STORE_CORRUPT', `stored certificate ${name} does not parse`, {
      cause: e,
    });
  }
  if (publicKey === undefined || !Buffer.from(spkiOf(publicKey)).equals(Buffer.from(certificate.spkiDer)))
    throw new IssuerError(
      'ISSUER_CA_KEY_MISMATCH',
      `stored certificate ${name} does not certify the key source's key ${name}${publicKey === undefined ? ' (no such key)' : ''}`,
    );
  return { name, der, certificate, signer: keySourceSigner(ctx.keys, name, signingAlgorithmFor(spec)) };
}

// ---- certificate profiles ----

/** 128 random bits, positive (RFC 5280 §4.1.2.2: at most 20 octets), as hex. */
export function randomSerial(random: (bytes: Uint8Array) => Uint8Array): string {
  const b = random(new Uint8Array(16));
  b[0] = (b[0]! & 0x7f) | 0x40;
  return Buffer.from(b).toString('hex');
}

function crlUrl(ctx: Context, caName: string): string {
  return `${ctx.baseUrl}${SANDBOX_URL_PATH.crl(caName)}`;
}

/**
 * An mdoc root: IACA (ISO/IEC 18013-5 Annex B.1.2) or reader root, self-signed ECDSA P-256 with
 * basicConstraints critical cA pathLen 0, keyUsage critical keyCertSign + cRLSign, a subjectKeyIdentifier
 * (no AKI: RFC 5280 §4.2.1.1 lets a self-signed CA omit it), issuerAltName (a URL of the issuer) and a CRL
 * distribution point.
 */
function mdocRootCertificate(
  ctx: Context,
  name: string,
  subject: NameAttributes,
  publicKey: KeyObject,
  w: Window,
): Promise<Uint8Array> {
  return createCertificateWithSigner({
    subject: nameToRdns(subject),
    publicKey,
    signer: keySourceSigner(ctx.keys, name, 'ecdsa-with-SHA256'),
    serialNumber: randomSerial(ctx.random),
    notBefore: w.notBefore,
    notAfter: w.notAfter,
    keyIdentifiers: false,
    extensions: [
      { type: 'basicConstraints', ca: true, pathLength: 0, critical: true },
      { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'], critical: true },
      { type: 'subjectKeyIdentifier', keyIdentifier: keyIdentifierOfKey(publicKey) },
      { type: 'issuerAltName', names: [{ type: 'uniformResourceIdentifier', value: ctx.baseUrl }] },
      {
        type: 'crlDistributionPoints',
        points: [{ fullName: [{ type: 'uniformResourceIdentifier', value: crlUrl(ctx, name) }] }],
      },
    ],
  });
}

/** A plain self-signed CA (the platform attestation root). */
function plainRootCertificate(
  ctx: Context,
  name: string,
  subject: NameAttributes,
  publicKey: KeyObject,
  w: Window,
  pathLength: number,
): Promise<Uint8Array> {
  return createCertificateWithSigner({
    subject: nameToRdns(subject),
    publicKey,
    signer: keySourceSigner(ctx.keys, name, 'ecdsa-with-SHA256'),
    serialNumber: randomSerial(ctx.random),
    notBefore: w.notBefore,
    notAfter: w.notAfter,
    keyIdentifiers: false,
    extensions: [
      { type: 'basicConstraints', ca: true, pathLength, critical: true },
      { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'], critical: true },
      { type: 'subjectKeyIdentifier', keyIdentifier: keyIdentifierOfKey(publicKey) },
    ],
  });
}

/** The links every certificate an IACA issues carries (Annex B.1.4): its issuerAltName, its CRL. */
function iacaLinks(ctx: Context, iaca: SandboxCertificate): ExtensionInput[] {
  const ian = iaca.certificate.extensions.find((e) => e.oid === '2.5.29.18');
  return [
    ...(ian !== undefined
      ? [{ type: 'raw' as const, oid: ian.oid, critical: false, valueDer: ian.value }]
      : []),
    {
      type: 'crlDistributionPoints',
      points: [{ fullName: [{ type: 'uniformResourceIdentifier', value: crlUrl(ctx, iaca.name) }] }],
    },
  ];
}

/**
 * A document signer (Annex B.1.4): keyUsage critical digitalSignature, extKeyUsage critical with the
 * docType's DS EKUs from @mynakit/pki's DEFAULT_DOCUMENT_SIGNER_EKUS (for org.iso.23220.1.jp.mnc both
 * the 18013-5 and the 23220-4 one, so a verifier that knows either accepts it), AKI + SKI, the IACA's
 * issuerAltName and CRL, the IACA's country.
 */
function documentSignerCertificate(
  ctx: Context,
  docType: string,
  subject: NameAttributes,
  publicKey: KeyObject,
  w: Window,
  iaca: SandboxCertificate,
): Promise<Uint8Array> {
  return createCertificateWithSigner({
    subject: nameToRdns(subject),
    issuer: { certificate: iaca.certificate, signer: iaca.signer },
    publicKey,
    serialNumber: randomSerial(ctx.random),
    notBefore: w.notBefore,
    notAfter: w.notAfter,
    extensions: [
      { type: 'keyUsage', usages: ['digitalSignature'], critical: true },
      {
        type: 'extKeyUsage',
        usages: [...acceptedDocumentSignerEkus(DEFAULT_DOCUMENT_SIGNER_EKUS, docType)],
        critical: true,
      },
      ...iacaLinks(ctx, iaca),
    ],
  });
}

/**
 * The Token Status List signer of the records: issued by their IACA, keyUsage digitalSignature, the
 * status-list-signing EKU — what @mynakit/pki's statusListSignerAuthority accepts (ISO/IEC 18013-5 2nd
 * edition §12.3.6.2, Table B.9).
 */
function statusListSignerCertificate(
  ctx: Context,
  publicKey: KeyObject,
  w: Window,
  iaca: SandboxCertificate,
): Promise<Uint8Array> {
  return createCertificateWithSigner({
    subject: nameToRdns(SANDBOX_NAME.mncStatusListSigner),
    issuer: { certificate: iaca.certificate, signer: iaca.signer },
    publicKey,
    serialNumber: randomSerial(ctx.random),
    notBefore: w.notBefore,
    notAfter: w.notAfter,
    extensions: [
      { type: 'keyUsage', usages: ['digitalSignature'], critical: true },
      { type: 'extKeyUsage', usages: [STATUS_LIST_SIGNING_EKU], critical: false },
      ...iacaLinks(ctx, iaca),
    ],
  });
}

/**
 * A delegated OCSP responder (RFC 6960 §4.2.2.2): issued by the CA whose certificates it answers for,
 * extKeyUsage id-kp-OCSPSigning, id-pkix-ocsp-nocheck (§4.2.2.2.1: clients do not check the responder's
 * own status), keyUsage digitalSignature. Short-lived (a year's period) as nocheck asks.
 */
function ocspResponderCertificate(
  ctx: Context,
  purpose: JpkiCertificatePurpose,
  publicKey: KeyObject,
  w: Window,
  ca: SandboxCertificate,
): Promise<Uint8Array> {
  return createCertificateWithSigner({
    subject: nameToRdns(
      purpose === 'signature' ? SANDBOX_NAME.jpkiSignatureOcsp : SANDBOX_NAME.jpkiUserAuthenticationOcsp,
    ),
    issuer: { certificate: ca.certificate, signer: ca.signer },
    publicKey,
    serialNumber: randomSerial(ctx.random),
    notBefore: w.notBefore,
    notAfter: w.notAfter,
    extensions: [
      { type: 'keyUsage', usages: ['digitalSignature'], critical: true },
      { type: 'extKeyUsage', usages: [X509_OID.ocspSigning], critical: false },
      { type: 'ocspNoCheck' },
    ],
  });
}

/** The platform attestation CA: under its root, pathLen 0 (it certifies devices' attestation keys). */
function attestationCaCertificate(
  ctx: Context,
  publicKey: KeyObject,
  w: Window,
  root: SandboxCertificate,
): Promise<Uint8Array> {
  return createCertificateWithSigner({
    subject: nameToRdns(SANDBOX_NAME.attestationCa),
    issuer: { certificate: root.certificate, signer: root.signer },
    publicKey,
    serialNumber: randomSerial(ctx.random),
    notBefore: w.notBefore,
    notAfter: w.notAfter,
    extensions: [
      { type: 'basicConstraints', ca: true, pathLength: 0, critical: true },
      { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'], critical: true },
    ],
  });
}
