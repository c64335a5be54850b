/**
 * The relying party's trust anchors (IACA roots, or a document signer or reader certificate trusted
 * directly), as configured: parsed once per array. An anchor that is not a certificate is a
 * configuration error, never a verdict about the credential.
 */
import { type Certificate, toCertificate } from '@mynakit/pki';
import { MdocError } from '../errors.js';

export type TrustAnchorInput = Certificate | Uint8Array | string;

/** Normalised trust anchors, memoised per input array. */
const anchorCache = new WeakMap<readonly TrustAnchorInput[], readonly Certificate[]>();

/**
 * The configured anchors as certificates. An anchor that is not one (unparsable PEM or DER, another kind
 * of object) is the relying party's configuration error: MdocError('MDOC_INVALID_TRUST_ANCHOR') naming
 * its index — never a failed path check, which would be a verdict about the credential.
 */
export function normaliseAnchors(input: readonly TrustAnchorInput[]): readonly Certificate[] {
  let out = anchorCache.get(input);
  if (!out) {
    // The configured list is the caller's, not received data: one pass over it, once per array.
    const certificates: Certificate[] = new Array(input.length);
    for (let i = 0; i < input.length; i++) certificates[i] = anchorAt(input[i], i);
    out = certificates;
    anchorCache.set(input, out);
  }
  return out;
}

function anchorAt(a: TrustAnchorInput | undefined, i: number): Certificate {
  const where = `options.trustAnchors[${i}]`;
  if (typeof a === 'string' || a instanceof Uint8Array) {
    try {
      return toCertificate(a);
    } catch (e) {
      throw new MdocError(
        'MDOC_INVALID_TRUST_ANCHOR',
        `${where} is not a certificate (${typeof a === 'string' ? 'PEM text' : 'DER bytes'} that cannot be parsed: ${(e as Error).message})`,
        { cause: e },
      );
    }
  }
  if (!isCertificate(a))
    throw new MdocError(
      'MDOC_INVALID_TRUST_ANCHOR',
      `${where} is not a certificate: give a Certificate (parseCertificate of @mynakit/pki), its DER bytes or its PEM text`,
    );
  return a;
}

/** A parsed certificate, as parseCertificate returns it (the fields the verifier relies on). */
function isCertificate(a: unknown): a is Certificate {
  if (typeof a !== 'object' || a === null) return false;
  const c = a as Partial<Certificate>;
  return (
    c.der instanceof Uint8Array && typeof c.fingerprint256 === 'string' && c.spkiDer instanceof Uint8Array
  );
}
