/**
 * The signature algorithms of ISO/IEC 18013-5 and signing with them. The algorithms themselves —
 * identifiers, key fit, signature form — are @mynakit/cose's; this is mdoc's profile of them:
 * ECDSA on P-256/384/521 and EdDSA (§9.1.3.6, §9.1.2.4 issuerAuth, §9.1.4 readerAuth), with the fully
 * specified identifiers of RFC 9864 for the same signatures.
 */
import type { KeyObject } from 'node:crypto';
import type { CborMap, CborValue } from '@mynakit/cbor';
import {
  CoseAlgorithm,
  CoseError,
  type CoseSign1,
  type CoseSigner,
  defaultSignatureAlgorithm,
  HeaderLabel,
  type PreparedSign1,
  prepareSign1,
  type SignatureAlgorithm,
  signatureAlgorithmId,
  signatureAlgorithmOf,
  x5chainValue,
} from '@mynakit/cose';
import { MdocError } from '../errors.js';

/** Signature algorithm names `issueMdoc` accepts (the usual one for the key when none is given). */
export type SignatureAlgorithmName = 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

const MDOC_ALGORITHMS: ReadonlySet<number> = new Set<number>([
  CoseAlgorithm.ES256,
  CoseAlgorithm.ES384,
  CoseAlgorithm.ES512,
  CoseAlgorithm.EdDSA,
  CoseAlgorithm.ESP256,
  CoseAlgorithm.ESP384,
  CoseAlgorithm.ESP512,
  CoseAlgorithm.Ed25519,
]);

/** The algorithm of a protected header when mdoc uses it, else undefined. */
export function mdocSignatureAlgorithm(alg: number | undefined): SignatureAlgorithm | undefined {
  return alg !== undefined && MDOC_ALGORITHMS.has(alg) ? signatureAlgorithmOf(alg) : undefined;
}

/**
 * The algorithm to sign with: the one named (an IANA name or a COSE identifier), or the usual one for
 * the key (ES256 for P-256, …, EdDSA for Ed25519). MdocError('MDOC_UNSUPPORTED') outside mdoc's.
 */
export function signingAlgorithm(
  named: string | number | undefined,
  key: KeyObject | undefined,
): SignatureAlgorithm {
  let alg: SignatureAlgorithm | undefined;
  try {
    if (named !== undefined) alg = signatureAlgorithmOf(signatureAlgorithmId(named));
    else if (key !== undefined) alg = defaultSignatureAlgorithm(key);
  } catch (e) {
    throw new MdocError('MDOC_UNSUPPORTED', (e as Error).message, { cause: e });
  }
  const found = alg !== undefined ? mdocSignatureAlgorithm(alg.id) : undefined;
  if (!found)
    throw new MdocError(
      'MDOC_UNSUPPORTED',
      `${alg?.name ?? String(named)} is not an mdoc signature algorithm (ES256, ES384, ES512, EdDSA)`,
    );
  return found;
}

/** What a COSE_Sign1 of mdoc carries: `{1: alg}` protected, the x5chain (if any) unprotected. */
export function prepareMdocSign1(input: {
  readonly algorithm: SignatureAlgorithm;
  readonly payload: Uint8Array | null;
  readonly detachedPayload?: Uint8Array;
  /** x5chain (RFC 9360 §2): DER certificates, leaf first; a single one is a bstr. */
  readonly x5chain?: readonly Uint8Array[];
}): PreparedSign1 {
  const unprotected: CborMap = new Map();
  if (input.x5chain && input.x5chain.length > 0)
    unprotected.set(HeaderLabel.x5chain, x5chainValue(input.x5chain));
  return prepareSign1({
    protectedHeaders: new Map<CborValue, CborValue>([[HeaderLabel.alg, input.algorithm.id]]),
    unprotectedHeaders: unprotected,
    payload: input.payload,
    ...(input.detachedPayload ? { detachedPayload: input.detachedPayload } : {}),
  });
}

/**
 * Signs a prepared COSE_Sign1 with a signer that holds its key elsewhere (a KMS, an HSM):
 * MdocError('MDOC_KEY') when it fails or returns a signature of the wrong form (ECDSA: r ‖ s, RFC 9053
 * §2.1, not DER), naming the option `what`.
 */
export async function signWithSigner(
  prepared: PreparedSign1,
  signer: CoseSigner,
  what: string,
): Promise<CoseSign1> {
  let signature: Uint8Array;
  try {
    signature = await signer.sign(prepared.toBeSigned);
  } catch (e) {
    throw new MdocError('MDOC_KEY', `${what}.sign failed`, { cause: e });
  }
  try {
    return prepared.complete(signature);
  } catch (e) {
    if (e instanceof CoseError) throw new MdocError('MDOC_KEY', `${what}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Signs a prepared COSE_Sign1 with a local key: MdocError('MDOC_KEY') when it does not fit. */
export function signWithKey(prepared: PreparedSign1, key: KeyObject): CoseSign1 {
  try {
    return prepared.signWith(key);
  } catch (e) {
    if (e instanceof CoseError)
      throw new MdocError('MDOC_KEY', `the signing key does not fit ${prepared.algorithm.name}`, {
        cause: e,
      });
    throw e;
  }
}
