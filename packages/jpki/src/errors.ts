/**
 * The one error class of @mynakit/jpki. Codes are stable: callers switch on `code`, never on `message`.
 * Messages never carry the submitted personal data (names, addresses, birth dates, PINs) — only its shape
 * (a length, a position, a field name).
 */
export type JpkiErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_NAME'
  | 'INVALID_ADDRESS'
  | 'ADDRESS_TOO_LONG'
  | 'INVALID_BIRTH_DATE'
  | 'INVALID_SEX'
  | 'INVALID_SUBSTITUTION_MAP'
  | 'BASIC_FOUR_MISSING'
  | 'BASIC_FOUR_MALFORMED'
  | 'SIGNATURE_CERTIFICATE_UNDER_15'
  | 'VALIDITY_EMPTY'
  | 'INVALID_USER_ID'
  | 'INVALID_PIN_KIND'
  | 'INVALID_PIN_VERIFIER'
  | 'CHALLENGE_LENGTH'
  | 'EXTENSION_MALFORMED';

export class JpkiError extends Error {
  override readonly name = 'JpkiError';
  readonly code: JpkiErrorCode;

  constructor(code: JpkiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
