/**
 * The records' Token Status List signer (`hierarchy.mnc.statusListSigner`: issued by the record IACA with
 * the status-list-signing EKU, ISO/IEC 18013-5 2nd edition §12.3.6.2) as a COSE signer. Its key stays in the
 * KeySource, which answers ECDSA in the X.509 DER form; COSE wants r ‖ s (RFC 9053 §2.1), so the answer is
 * converted (ca/mdoc-signer.ts ecdsaDerToP1363). The certificate goes in `x5chain` alone: a verifier's
 * trust anchor is the IACA, never a root the message carries.
 */
import type { CoseSigner } from '@mynakit/cose';
import { ecdsaDerToP1363 } from '../ca/mdoc-signer.js';
import type { SandboxHierarchy } from '../ca/sandbox-hierarchy.js';

/** A COSE signer and the x5chain to send with its signatures. */
export interface StatusSigner {
  readonly signer: CoseSigner;
  /** DER of the status-list signer's certificate (x5chain, RFC 9360). */
  readonly x5chain: readonly Uint8Array[];
}

/** The status-list signer of the hierarchy (an ES256 key on P-256). */
export function statusListSignerOf(hierarchy: SandboxHierarchy): StatusSigner {
  const certificate = hierarchy.mnc.statusListSigner;
  return {
    signer: {
      algorithm: 'ES256',
      sign: async (tbs) => ecdsaDerToP1363(await certificate.signer.sign(tbs), 32),
    },
    x5chain: [certificate.der],
  };
}
