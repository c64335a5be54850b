/**
 * Stable codes of the issuer service's errors. The HTTP boundary maps them to RFC 9457 problem+json;
 * messages never carry personal data.
 *
 * - `ISSUER_INVALID_INPUT`: a value handed to the service (or its store) is out of its domain.
 * - `ISSUER_NOT_FOUND`: the resident, card, installation, credential or offer does not exist.
 * - `ISSUER_DUPLICATE`: a row with the same identifier (id, card number, serial, code hash) exists.
 * - `ISSUER_CARD_CONFLICT`: the resident already holds an active card.
 * - `ISSUER_INSTALLATION_STATE`: the installation is not in the state the step needs (e.g. not pending).
 * - `ISSUER_INSTALLATION_CONFLICT`: another installation for the same resident completed first
 *   (the one-device rule: only one completion per base generation wins).
 */
export type IssuerErrorCode =
  | 'ISSUER_INVALID_INPUT'
  | 'ISSUER_NOT_FOUND'
  | 'ISSUER_DUPLICATE'
  | 'ISSUER_CARD_CONFLICT'
  | 'ISSUER_INSTALLATION_STATE'
  | 'ISSUER_INSTALLATION_CONFLICT';

/** The one error type of the issuer service, with a stable `code` and the underlying `cause`. */
export class IssuerError extends Error {
  override readonly name = 'IssuerError';
  constructor(
    readonly code: IssuerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
