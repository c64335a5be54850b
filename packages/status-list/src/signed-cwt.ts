/**
 * What every signed CWT this package verifies shares — a Status List Token (status-list-cwt.ts) and an
 * issuer's inquiry evidence (record-inquiry-evidence.ts): a COSE_Sign1 (RFC 9052 §4.2), optionally inside
 * the CWT tag 61 (RFC 8392 §6), with an attached payload; its signer either a configured key or the leaf of
 * the x5chain it carries (RFC 9360 label 33), validated from a configured trust anchor at the verification
 * time (certificate-chain.ts — a token never brings its own trust); the signature verified with the alg of
 * the protected header under RFC 9052's general rules (`crit`, protected-header precedence: @mynakit/cose).
 */
import type { KeyObject } from 'node:crypto';
import { type CborValue, decode, Tagged } from '@mynakit/cbor';
import { CoseError, type CoseSign1, decodeSign1, HeaderLabel, verifySign1 } from '@mynakit/cose';
import type { ReportBuilder } from '@mynakit/report';
import { validateSignerChain } from './certificate-chain.js';

/** The COSE_Sign1 of a signed CWT, or undefined when `token` is not one with an attached payload. */
export function decodeCwtSign1(token: Uint8Array): CoseSign1 | undefined {
  try {
    let value: CborValue = decode(token);
    if (value instanceof Tagged && value.tag === 61) value = value.value;
    const sign1 = decodeSign1(value);
    return sign1.payload === null ? undefined : sign1;
  } catch {
    return undefined;
  }
}

/** Where verifyCwtSigner reports, and whom it trusts. */
export interface CwtSignerOptions {
  /** The check ids of the signer's path and of the signature. */
  readonly ids: { readonly certificatePath: string; readonly signature: string };
  readonly now: Date;
  /** A configured public key: the x5chain is not consulted (certificatePath skipped). */
  readonly key?: KeyObject;
  /** Trust anchors (DER or PEM) for the x5chain's path. */
  readonly trustAnchors?: readonly (Uint8Array | string)[];
  /** An extended key usage the signer's certificate must carry. */
  readonly requiredEku?: string;
  /** The header labels the verifier processes (RFC 9052 §3.1 `crit`). */
  readonly understoodHeaders: ReadonlySet<CborValue>;
  /** What the object is called in details ("the token", "the evidence"). */
  readonly what: string;
  /** True: an x5chain is the only way to a signer, so its absence fails the path. */
  readonly chainRequired?: boolean;
}

/** The signature verified (`verified`), and the certificate whose key verified it. */
export interface CwtSigner {
  readonly verified: boolean;
  readonly signerCertificate?: Uint8Array;
}

/** Reports the signer's path and the signature of `sign1` into `b` (see the file comment). */
export async function verifyCwtSigner(
  b: ReportBuilder,
  sign1: CoseSign1,
  options: CwtSignerOptions,
): Promise<CwtSigner> {
  const { ids, what } = options;
  let verificationKey: KeyObject;
  let signerCertificate: Uint8Array | undefined;
  if (options.key !== undefined) {
    verificationKey = options.key;
    b.skipped(ids.certificatePath, 'verified under a configured key');
  } else {
    let chain: Uint8Array[];
    try {
      chain = sign1.x5chain;
    } catch (error) {
      // RFC 9052 §3 / RFC 9360 §2: two different chains, or a malformed one — the object is refused.
      const reason = error instanceof CoseError ? error.message : 'unreadable';
      b.failed(ids.certificatePath, `x5chain: ${reason}`);
      b.failed(ids.signature, `${what} is refused: its x5chain cannot be taken`);
      return { verified: false };
    }
    if (chain.length === 0) {
      if (options.chainRequired === true) {
        b.failed(ids.certificatePath, `${what} carries no x5chain`);
        b.undetermined(ids.signature, 'no signer certificate to verify with');
      } else b.undetermined(ids.signature, `${what} carries no x5chain and no key is configured`);
      return { verified: false };
    }
    const result = validateSignerChain(chain, {
      now: options.now,
      ...(options.trustAnchors === undefined ? {} : { trustAnchors: options.trustAnchors }),
      ...(options.requiredEku === undefined ? {} : { requiredEku: options.requiredEku }),
    });
    b.add(ids.certificatePath, result.status, result.detail);
    if (result.publicKey === undefined) {
      b.undetermined(ids.signature, 'no trusted signing key');
      return { verified: false };
    }
    verificationKey = result.publicKey;
    signerCertificate = result.leafDer;
  }
  const signer = signerCertificate === undefined ? {} : { signerCertificate };
  // The alg comes from the protected header, never from the key.
  const alg = sign1.protectedHeaders.get(HeaderLabel.alg);
  let valid: boolean;
  try {
    valid = await verifySign1(sign1, { key: verificationKey, understoodHeaders: options.understoodHeaders });
  } catch (error) {
    const reason = error instanceof CoseError ? `${error.code}: ${error.message}` : 'verification error';
    b.failed(ids.signature, `the signature cannot be verified (${reason})`);
    return { verified: false, ...signer };
  }
  if (!valid) {
    b.failed(ids.signature, `the signature (alg ${String(alg)}) does not verify`);
    return { verified: false, ...signer };
  }
  b.passed(ids.signature, `signature (alg ${String(alg)}) verified`);
  return { verified: true, ...signer };
}
