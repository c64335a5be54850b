/**
 * Errors of @mynakit/mdoc. Verifiers never throw for bad input (they report); these errors are for
 * builders (issuance, presentation, requests) and for programmer errors. Messages name keys, element
 * identifiers and structure names — never element values (names, addresses, My Number…).
 */
export type MdocErrorCode =
  /** Input that is not the expected ISO 18013-5 structure (wrong CBOR shape, missing field). */
  | 'MDOC_DECODE'
  /** Received input with more of something than a limit of `limits.ts` allows (a kind of decode failure). */
  | 'MDOC_LIMIT'
  /** An argument that cannot be used (e.g. a salt shorter than 16 bytes, an empty namespace). */
  | 'MDOC_INVALID_ARGUMENT'
  /**
   * A configured trust anchor that is not a certificate (unparsable PEM/DER, another kind of object):
   * a configuration error of the relying party, never a verdict about the credential.
   */
  | 'MDOC_INVALID_TRUST_ANCHOR'
  /** An algorithm, key type or curve this implementation does not support. */
  | 'MDOC_UNSUPPORTED'
  /** A request that the held documents cannot satisfy (unknown docType). */
  | 'MDOC_NOT_FOUND'
  /** A data element that the profile does not define, or a value of the wrong type. */
  | 'MDOC_ELEMENT_INVALID'
  /** `individual_number_unicode` requested without an explicit legal basis (番号法 §15, §19). */
  | 'MY_NUMBER_WITHOUT_LEGAL_BASIS'
  /** A signing or key-agreement operation failed (bad key for the algorithm, wrong curve). */
  | 'MDOC_KEY';

export class MdocError extends Error {
  override readonly name = 'MdocError';
  readonly code: MdocErrorCode;

  constructor(code: MdocErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
