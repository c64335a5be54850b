/**
 * `@mynakit/verifier-sdk` — the browser side of verifying the My Number Card on smartphones: one Digital
 * Credentials API request (ISO/IEC 18013-7 Annex C first) between the relying party's backend and the
 * holder's wallet, a clean timeout, and typed errors with stable codes.
 *
 * @packageDocumentation
 */

/** The package's version, for a page's diagnostics. */
export const VERIFIER_SDK_VERSION = '0.1.0';

export { VerifierSdkError, type VerifierSdkErrorCode } from './errors.js';
export {
  ANNEX_C_PROTOCOL,
  answerBody,
  type CrossDeviceContext,
  DEFAULT_TIMEOUT_MS,
  type DigitalCredentialRequest,
  type DigitalCredentialsContainer,
  hasDigitalCredentialsApi,
  MAX_DC_API_REQUESTS,
  type OpenedSession,
  orderedRequests,
  type VerificationCheck,
  type VerificationResult,
  type VerifyWithMyNumberCardOptions,
  verifyWithMyNumberCard,
} from './verify-with-my-number-card.js';
export {
  type PasskeyBackendOptions,
  PasskeyError,
  type PasskeyErrorReason,
  type RegisterPasskeyOptions,
  registerPasskey,
  type SignInWithPasskeyOptions,
  signInWithPasskey,
} from './passkeys.js';
