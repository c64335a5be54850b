/**
 * Errors of @mynakit/kyc. They are thrown only for arguments a caller got wrong (an unknown law, an
 * unreadable date, record content too large to check); a verification that does not meet a legal
 * method is not an error but a `{ method: null, reasons }` answer. Codes are stable: callers and the
 * HTTP layer match on them. Messages never repeat submitted personal data.
 */
export type KycErrorCode =
  /** A law that is not `'hanshu'`, `'keitai'` or `'none'`. */
  | 'KYC_UNKNOWN_LAW'
  /** An evidence kind that is not `'card-substitute-record'`, `'jpki-signature'` or `'jpki-user-authentication'`. */
  | 'KYC_UNKNOWN_EVIDENCE'
  /** A method (id, or law + letter) that is not a row of the method table. */
  | 'KYC_UNKNOWN_METHOD'
  /** A verification date that is neither a real `YYYY-MM-DD` calendar date nor a valid `Date`. */
  | 'KYC_INVALID_DATE'
  /** A malformed argument: a missing or ill-typed member, too many disclosed elements. */
  | 'KYC_INVALID_INPUT'
  /** Record content nested deeper or holding more members than `checkRecordContent` walks. */
  | 'KYC_RECORD_TOO_LARGE';

/** The one error class of @mynakit/kyc; `code` says what was wrong. */
export class KycError extends Error {
  override readonly name = 'KycError';
  /** The stable code callers match on. */
  readonly code: KycErrorCode;

  /**
   * @param code the stable code
   * @param message a description without personal data
   * @param options the underlying cause, if any
   */
  constructor(code: KycErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
