/**
 * The signer of a Status List Token identified by a certificate chain the token carries (CWT x5chain,
 * RFC 9360 label 33; JWT x5c, RFC 7515 §4.1.6). The chain is validated with @mynakit/pki from a
 * configured trust anchor to the leaf at the verification time (RFC 5280 §6). Certificates in the
 * token are path candidates only: a token never brings its own trust.
 */
import type { KeyObject } from 'node:crypto';
import { parseCertificate, validateCertificatePath } from '@mynakit/pki';
import type { CheckStatus } from '@mynakit/report';

export interface SignerChainResult {
  readonly status: CheckStatus;
  readonly detail: string;
  /** The leaf's public key, present only when the path validated. */
  readonly publicKey?: KeyObject;
  readonly leafDer?: Uint8Array;
}

export function validateSignerChain(
  chainDer: readonly Uint8Array[],
  options: {
    readonly now: Date;
    readonly trustAnchors?: readonly (Uint8Array | string)[];
    readonly requiredEku?: string;
  },
): SignerChainResult {
  const [leafDer, ...rest] = chainDer;
  if (leafDer === undefined) return { status: 'undetermined', detail: 'the certificate chain is empty' };
  let leaf: ReturnType<typeof parseCertificate>;
  let intermediates: ReturnType<typeof parseCertificate>[];
  let anchors: ReturnType<typeof parseCertificate>[];
  try {
    leaf = parseCertificate(leafDer);
    intermediates = rest.map((der) => parseCertificate(der));
  } catch {
    return { status: 'failed', detail: 'the certificate chain in the token does not parse' };
  }
  try {
    anchors = (options.trustAnchors ?? []).map((a) => parseCertificate(a));
  } catch (error) {
    throw new TypeError('a configured trust anchor is not a certificate', { cause: error });
  }
  const result = validateCertificatePath({
    leaf,
    intermediates,
    trustAnchors: anchors,
    now: options.now,
    ...(options.requiredEku === undefined ? {} : { requiredEku: options.requiredEku }),
  });
  if (!result.ok) {
    const code = result.failure?.code ?? 'PATH_INVALID';
    const detail = result.failure?.detail ?? 'the signer certificate path does not validate';
    return { status: 'failed', detail: `${code}: ${detail}` };
  }
  let publicKey: KeyObject;
  try {
    publicKey = leaf.publicKey;
  } catch {
    return { status: 'failed', detail: 'the signer certificate has no usable public key' };
  }
  return {
    status: 'passed',
    detail: `signer ${leaf.subject} chains to the trust anchor ${result.anchor?.subject ?? ''}`.trim(),
    publicKey,
    leafDer,
  };
}
