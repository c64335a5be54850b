/**
 * The MSO checks besides its validity window (ISO/IEC 18013-5 §9.1.2.4, §9.3.1): `mso.doctype` (the
 * MSO's docType is the document's — a check @owf/mdoc omits — and the one the relying party expects),
 * `mso.digest_algorithm` (SHA-256/384/512) and `mso.signed_in_certificate_validity` (the MSO was
 * signed while the document signer certificate was valid).
 */
import type { Certificate } from '@mynakit/pki';
import type { Check } from '@mynakit/report';
import { CheckMemo } from '../internal/check-memo.js';

const DOCTYPE = new CheckMemo('mso.doctype');
const DIGEST_ALGORITHM = new CheckMemo('mso.digest_algorithm');
const SIGNED = new CheckMemo('mso.signed_in_certificate_validity');

const iso = (d: Date) => d.toISOString();

/** `mso.doctype`: the MSO's docType, the document's, and the expected one (when one is). */
export function checkMsoDocType(
  msoDocType: string,
  documentDocType: string,
  expected: string | undefined,
): Check {
  if (msoDocType === documentDocType && (expected === undefined || expected === documentDocType))
    return (
      DOCTYPE.get(msoDocType) ??
      DOCTYPE.remember(msoDocType, `MSO docType ${msoDocType} matches the document`)
    );
  return {
    id: 'mso.doctype',
    status: 'failed',
    detail:
      msoDocType !== documentDocType
        ? `MSO docType ${msoDocType} differs from the document docType ${documentDocType}`
        : `document docType ${documentDocType} is not the expected ${expected}`,
  };
}

/** `mso.digest_algorithm`, given the node:crypto name the algorithm has (undefined: unsupported). */
export function checkDigestAlgorithm(digestAlgorithm: string, hash: string | undefined): Check {
  if (hash)
    return (
      DIGEST_ALGORITHM.get(digestAlgorithm) ?? DIGEST_ALGORITHM.remember(digestAlgorithm, digestAlgorithm)
    );
  return {
    id: 'mso.digest_algorithm',
    status: 'failed',
    detail: `unsupported digest algorithm ${digestAlgorithm}`,
  };
}

/** `mso.signed_in_certificate_validity`: `signed` within the document signer's notBefore … notAfter. */
export function checkSignedInCertificateValidity(signed: Date, ds: Certificate | undefined): Check {
  if (!ds)
    return {
      id: 'mso.signed_in_certificate_validity',
      status: 'failed',
      detail: 'no document signer certificate to compare with',
    };
  const s = signed.getTime();
  if (s >= ds.notBefore.getTime() && s <= ds.notAfter.getTime())
    return SIGNED.get(s) ?? SIGNED.remember(s, `signed ${iso(signed)} within the document signer validity`);
  return {
    id: 'mso.signed_in_certificate_validity',
    status: 'failed',
    detail: `signed ${iso(signed)} outside the document signer validity ${iso(ds.notBefore)} – ${iso(ds.notAfter)}`,
  };
}
