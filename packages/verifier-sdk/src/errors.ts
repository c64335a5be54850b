/**
 * The SDK's one error class (ARCHITECTURE.md rule 5): every failure of `verifyWithMyNumberCard` is a
 * `VerifierSdkError` with a stable `code`, so a page branches on the code, never on a message.
 */

/**
 * Why a verification could not run to a report.
 *
 * - `unsupported` — the browser has no Digital Credentials API (no `DigitalCredential`, no
 *   `navigator.credentials.get`), or it refused the request as not supported, and no cross-device fallback
 *   was given.
 * - `declined` — the holder (or the wallet on their behalf) declined: the browser's `NotAllowedError`.
 * - `timed-out` — no answer before the timeout; the request was aborted (with no wallet the browser never
 *   settles it by itself).
 * - `aborted` — the caller's own AbortSignal stopped it.
 * - `protocol-mismatch` — the answer came in a protocol the page did not ask for (the browser does not
 *   check this itself).
 * - `invalid-response` — the credential, or the backend's session, is not of the expected shape.
 * - `wallet` — the browser or the wallet failed in some other way (the DOMException's name is kept).
 * - `rejected` — the backend (the verifier behind it) answered with an RFC 9457 problem; its `code` is in
 *   `problemCode`.
 * - `network` — the backend could not be reached or did not answer JSON.
 */
export type VerifierSdkErrorCode =
  | 'unsupported'
  | 'declined'
  | 'timed-out'
  | 'aborted'
  | 'protocol-mismatch'
  | 'invalid-response'
  | 'wallet'
  | 'rejected'
  | 'network';

/** A failure of the browser SDK with a stable code (see {@link VerifierSdkErrorCode}). */
export class VerifierSdkError extends Error {
  /** The stable code. */
  readonly code: VerifierSdkErrorCode;
  /** For `rejected`: the problem's stable `code` (e.g. `VERIFIER_SESSION_USED`). */
  readonly problemCode: string | undefined;
  /** For `rejected`: the HTTP status the backend answered. */
  readonly status: number | undefined;

  /** The message is written by the SDK or taken from the problem's `detail`, never from personal data. */
  constructor(
    code: VerifierSdkErrorCode,
    message: string,
    options?: { cause?: unknown; problemCode?: string; status?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VerifierSdkError';
    this.code = code;
    this.problemCode = options?.problemCode;
    this.status = options?.status;
  }
}
