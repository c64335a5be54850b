/**
 * What the issuer hands @mynakit/mdoc's issueMdoc to sign an MSO with a sandbox document signer whose
 * key stays in the KeySource: the certificate chain for `x5chain` and an `issuerSigner`.
 *
 * COSE (RFC 9053 §2.1) carries an ECDSA signature as r ‖ s, each left-padded to the curve size — IEEE
 * P1363 — whereas the KeySource answers in the X.509 / CMS form, a DER
 *
 *   Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }      (RFC 5758 §3.2, RFC 3279 §2.2.3)
 *
 * so this adapter converts.
 */
import {
  type Certificate,
  DerTag,
  derChildren,
  readBigInt,
  readDer,
  type SigningAlgorithm,
} from '@mynakit/pki';
import { IssuerError } from '../errors.js';
import type { SandboxHierarchy, SandboxMdocIssuer } from './sandbox-hierarchy.js';

/** A COSE signer over a held-elsewhere key: what issueMdoc's `issuerSigner` takes. */
export interface CoseIssuerSigner {
  /** The COSE algorithm name (ES256: ECDSA P-256 with SHA-256, RFC 9053 §2.1). */
  readonly algorithm: 'ES256';
  /** Signs the COSE Sig_structure bytes; returns r ‖ s (64 bytes). */
  sign(tbs: Uint8Array): Promise<Uint8Array>;
}

/** A document signer of the sandbox, ready for issueMdoc. */
export interface SandboxMdocSigner {
  readonly docType: string;
  /**
   * `x5chain` (ISO/IEC 18013-5 §9.1.2.4): the DS certificate alone; the IACA is the verifier's
   * configured trust anchor and is not sent (a verifier never trusts a root the message carries).
   */
  readonly issuerCertificateChain: readonly Uint8Array[];
  readonly documentSigner: Certificate;
  /** The DS's issuer: the trust anchor of records signed now. */
  readonly iaca: Certificate;
  readonly issuerSigner: CoseIssuerSigner;
}

const P256_SIZE = 32;
const ES256: SigningAlgorithm = 'ecdsa-with-SHA256';

/**
 * The current document signer for `docType` (org.iso.23220.1.jp.mnc or org.iso.18013.5.1.mDL).
 * ISSUER_CA_UNAVAILABLE for any other docType.
 */
export function sandboxMdocSigner(hierarchy: SandboxHierarchy, docType: string): SandboxMdocSigner {
  const issuer: SandboxMdocIssuer | undefined =
    docType === hierarchy.mnc.docType
      ? hierarchy.mnc
      : docType === hierarchy.mdl.docType
        ? hierarchy.mdl
        : undefined;
  if (issuer === undefined)
    throw new IssuerError('ISSUER_CA_UNAVAILABLE', `the sandbox has no document signer for ${docType}`);
  const ds = issuer.documentSigner;
  const keys = hierarchy.keySource;
  return {
    docType,
    issuerCertificateChain: [ds.der],
    documentSigner: ds.certificate,
    iaca: issuer.iaca.certificate,
    issuerSigner: {
      algorithm: 'ES256',
      sign: async (tbs) => ecdsaDerToP1363(await keys.sign(ds.name, tbs, ES256), P256_SIZE),
    },
  };
}

/** DER Ecdsa-Sig-Value → r ‖ s, each unsigned big-endian in exactly `size` bytes (RFC 9053 §2.1). */
export function ecdsaDerToP1363(der: Uint8Array, size: number): Uint8Array {
  const r = derChildren(readDer(der, 'Ecdsa-Sig-Value'), 'Ecdsa-Sig-Value');
  const rs = [readBigInt(r.expect(DerTag.INTEGER, 'r')), readBigInt(r.expect(DerTag.INTEGER, 's'))];
  r.finish('Ecdsa-Sig-Value');
  const out = new Uint8Array(2 * size);
  rs.forEach((v, i) => {
    const hex = v.toString(16);
    if (v <= 0n || hex.length > 2 * size) throw new RangeError('ECDSA signature value out of range');
    out.set(Buffer.from(hex.padStart(2 * size, '0'), 'hex'), i * size);
  });
  return out;
}
