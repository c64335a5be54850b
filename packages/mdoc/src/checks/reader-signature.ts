/**
 * `reader.path` and `reader.signature` of one readerAuth (ISO/IEC 18013-5:2021 §9.1.4): a COSE_Sign1
 * (read and verified by @mynakit/cose: algorithm from the protected header, RFC 9052 `crit` and
 * x5chain rules) over a detached ReaderAuthentication(All)Bytes, signed by the reader certificate of
 * its x5chain, whose path is validated to the configured anchors at `now` with the reader
 * authentication EKU (Annex B.1.7).
 */
import { bytesEqual, type CborValue } from '@mynakit/cbor';
import {
  type CoseMessage,
  criticalHeaderProblem,
  protectedAlgorithm,
  sigStructure1,
  UNDERSTOOD_HEADER_LABELS,
  verifySignature,
} from '@mynakit/cose';
import {
  type Certificate,
  parseCertificate,
  type ValidationPolicy,
  validateCertificatePath,
} from '@mynakit/pki';
import type { Check } from '@mynakit/report';
import { readCose, x5chainOf } from '../internal/shape.js';
import { mdocSignatureAlgorithm } from '../internal/signing.js';

/** ISO/IEC 18013-5 Annex B.1.7: reader authentication certificate EKU (id-mdl-kp-mdlReaderAuth). */
export const MDOC_READER_AUTH_EKU = '1.0.18013.5.1.6';

/** What a readerAuth is checked against. */
export interface ReaderTrust {
  readonly anchors: readonly Certificate[];
  readonly now: Date;
  readonly policy: ValidationPolicy;
}

/** The checks of one readerAuth, whether both passed, and the reader certificate when they did. */
export interface ReaderAuthOutcome {
  readonly checks: readonly Check[];
  readonly ok: boolean;
  readonly readerCertificate?: Certificate;
}

const NO_AAD = new Uint8Array(0);

const failedPair = (what: string, path: Check['status'], pathDetail: string, signatureDetail: string) => ({
  checks: [
    { id: 'reader.path', status: path, detail: `${what}: ${pathDetail}` },
    { id: 'reader.signature', status: 'failed' as const, detail: `${what}: ${signatureDetail}` },
  ],
  ok: false,
});

/**
 * One readerAuth over any of `payloads` (the candidates its detached payload may be). A certificate
 * that a parser rejects late (e.g. a damaged extension) is a failed path, never an exception.
 */
export function checkReaderAuth(
  value: CborValue,
  payloads: readonly Uint8Array[],
  what: string,
  trust: ReaderTrust,
): ReaderAuthOutcome {
  try {
    return checkReaderAuthUnguarded(value, payloads, what, trust);
  } catch (e) {
    const detail = `${what}: reader certificate unusable: ${(e as Error).message}`;
    return { checks: [{ id: 'reader.path', status: 'failed', detail }], ok: false };
  }
}

function checkReaderAuthUnguarded(
  value: CborValue,
  payloads: readonly Uint8Array[],
  what: string,
  trust: ReaderTrust,
): ReaderAuthOutcome {
  let msg: CoseMessage;
  try {
    msg = readCose(value, 'Sign1', what);
  } catch (e) {
    return {
      checks: [{ id: 'reader.signature', status: 'failed', detail: (e as Error).message }],
      ok: false,
    };
  }
  // RFC 9052 §3.1 crit, and x5chain from the protected header first (§3): the message is refused.
  const crit = criticalHeaderProblem(msg.protectedHeaders, UNDERSTOOD_HEADER_LABELS, msg.unprotectedHeaders);
  let chain: readonly Uint8Array[] = [];
  let chainProblem: string | undefined;
  try {
    chain = x5chainOf(msg);
  } catch (e) {
    chainProblem = (e as Error).message;
  }
  if (chainProblem !== undefined)
    return failedPair(
      what,
      'failed',
      `x5chain: ${chainProblem}`,
      `readerAuth is refused: ${crit ?? chainProblem}`,
    );
  if (crit !== undefined)
    return failedPair(what, 'skipped', 'the message is refused', `readerAuth is refused: ${crit}`);
  const leaf = readable(chain[0]);
  if (!leaf)
    return failedPair(
      what,
      'failed',
      'no readable reader certificate in x5chain',
      'no reader key to verify with',
    );
  const path = readerPath(leaf, chain, what, trust);
  const signature = readerSignature(msg, leaf, payloads, what);
  const ok = path.ok && signature.ok;
  return { checks: [path.check, signature.check], ok, ...(ok ? { readerCertificate: leaf } : {}) };
}

function readable(der: Uint8Array | undefined): Certificate | undefined {
  try {
    return der ? parseCertificate(der) : undefined;
  } catch {
    return undefined;
  }
}

/** `reader.path`: the reader certificate to a configured anchor, the x5chain's others as candidates. */
function readerPath(
  leaf: Certificate,
  chain: readonly Uint8Array[],
  what: string,
  trust: ReaderTrust,
): { readonly check: Check; readonly ok: boolean } {
  const intermediates: Certificate[] = [];
  for (let i = 1; i < chain.length; i++) {
    const c = readable(chain[i]);
    if (c) intermediates.push(c); // an unreadable one is no path candidate
  }
  const path = validateCertificatePath({
    leaf,
    intermediates,
    trustAnchors: trust.anchors,
    now: trust.now,
    requiredEku: MDOC_READER_AUTH_EKU,
    policy: trust.policy,
  });
  const detail = path.ok
    ? `${what}: reader ${leaf.subject} chains to ${path.anchor?.subject ?? 'a trust anchor'}`
    : `${what}: reader ${leaf.subject}: ${path.failure?.code ?? 'PATH'}: ${path.failure?.detail ?? 'no valid path'}`;
  return { check: { id: 'reader.path', status: path.ok ? 'passed' : 'failed', detail }, ok: path.ok };
}

/**
 * `reader.signature`: over one of the candidate payloads when the payload is detached; an attached
 * payload must itself be one of them.
 */
function readerSignature(
  msg: CoseMessage,
  leaf: Certificate,
  payloads: readonly Uint8Array[],
  what: string,
): { readonly check: Check; readonly ok: boolean } {
  const alg = mdocSignatureAlgorithm(protectedAlgorithm(msg));
  let ok = false;
  if (alg !== undefined) {
    const signedOver = (p: Uint8Array) =>
      verifySignature(alg, leaf.publicKey, sigStructure1(msg.protectedBytes, NO_AAD, p), msg.signatureOrTag);
    const attached = msg.payload;
    ok =
      attached !== null
        ? payloads.some((p) => bytesEqual(p, attached)) && signedOver(attached)
        : payloads.some(signedOver);
  }
  const check: Check = ok
    ? { id: 'reader.signature', status: 'passed', detail: `${what}: ${alg?.name} reader signature verifies` }
    : { id: 'reader.signature', status: 'failed', detail: `${what}: the reader signature does not verify` };
  return { check, ok };
}
