/**
 * The one error class of @mynakit/pki. Thrown only for programmer errors and for input that a
 * parser cannot read at all; verifiers (`validateCertificatePath`, `verifyCrl`, `verifyOcspResponse`,
 * `verifyCmsSignature`) report through checks instead of throwing.
 *
 * Codes are stable: callers and the HTTP boundary match on them. Messages never carry submitted
 * personal data (certificate subjects of end entities, SAN values, signed content).
 */
export type PkiErrorCode =
  | 'DER_MALFORMED'
  | 'PEM_MALFORMED'
  | 'CERTIFICATE_MALFORMED'
  | 'CSR_MALFORMED'
  | 'CRL_MALFORMED'
  | 'OCSP_MALFORMED'
  | 'CMS_MALFORMED'
  | 'NAME_MALFORMED'
  | 'UNSUPPORTED_ALGORITHM'
  /** A signature algorithm the verification policy refuses (SHA-1 unless allowed). */
  | 'WEAK_ALGORITHM'
  | 'UNSUPPORTED_KEY'
  | 'INVALID_ARGUMENT';

export class PkiError extends Error {
  readonly code: PkiErrorCode;

  constructor(code: PkiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PkiError';
    this.code = code;
  }
}
