/**
 * `issuer.signature` (ISO/IEC 18013-5 §9.1.2.4, §9.3.1): issuerAuth is a COSE_Sign1 over
 * MobileSecurityObjectBytes, verified — by @mynakit/cose — with the algorithm of its protected header
 * (RFC 9052 §3.1) and the document signer's key. A message whose headers break the general rules of
 * RFC 9052 (a `crit` label not processed, RFC 9052 §3.1; two different x5chain, §3) is refused.
 */
import type { KeyObject } from 'node:crypto';
import {
  criticalHeaderProblem,
  protectedAlgorithm,
  sigStructure1Of,
  UNDERSTOOD_HEADER_LABELS,
  verifySignature,
} from '@mynakit/cose';
import type { Check } from '@mynakit/report';
import { CheckMemo } from '../internal/check-memo.js';

const PASSED = new CheckMemo('issuer.signature');

import { mdocSignatureAlgorithm } from '../internal/signing.js';
import type { ReceivedIssuerSigned } from '../issuer-signed.js';

const NO_AAD = new Uint8Array(0);
/** The Sig_structure is handed to node at once and dropped: written into cose's shared buffer. */
const TRANSIENT = { transient: true } as const;

function failed(detail: string): Check {
  return { id: 'issuer.signature', status: 'failed', detail };
}

/**
 * The `issuer.signature` check and whether the signature verified. `x5chainProblem` is why the
 * x5chain could not be taken (it refuses the message as well); `signerKey` is the document signer's
 * key, when there is a usable one.
 */
export function checkIssuerSignature(
  issuerSigned: ReceivedIssuerSigned,
  signerKey: KeyObject | undefined,
  x5chainProblem: string | undefined,
): { readonly check: Check; readonly valid: boolean } {
  const m = issuerSigned.issuerAuth;
  const refused =
    criticalHeaderProblem(m.protectedHeaders, UNDERSTOOD_HEADER_LABELS, m.unprotectedHeaders) ??
    x5chainProblem;
  if (refused !== undefined) return { check: failed(`issuerAuth is refused: ${refused}`), valid: false };
  const algId = protectedAlgorithm(m);
  const alg = mdocSignatureAlgorithm(algId);
  if (alg === undefined)
    return {
      check: failed(`unsupported or missing algorithm in the protected header (${String(algId)})`),
      valid: false,
    };
  if (!signerKey) return { check: failed('no usable document signer public key'), valid: false };
  // The protected header holds alg, so it is not empty: body_protected is the bstr as received.
  const toBeSigned = sigStructure1Of(m.protectedBytes, NO_AAD, issuerSigned.msoBytes, TRANSIENT);
  if (!verifySignature(alg, signerKey, toBeSigned, m.signatureOrTag))
    return {
      check: failed(`${alg.name} signature does not verify under the document signer key`),
      valid: false,
    };
  const check =
    PASSED.get(alg.id) ?? PASSED.remember(alg.id, `${alg.name} signature of the document signer verifies`);
  return { check, valid: true };
}
