import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { VerifierErrorCode } from '../errors.js';

/**
 * The one place where a verifier error code becomes an HTTP status. Codes not named here are server-side
 * faults (keys, the port): 500, with the code still stable for operators.
 */
const STATUS = new Map<VerifierErrorCode, { status: ContentfulStatusCode; title: string }>([
  ['VERIFIER_INVALID_INPUT', { status: 400, title: 'Invalid input' }],
  ['VERIFIER_NOT_FOUND', { status: 404, title: 'Not found' }],
  ['VERIFIER_DUPLICATE', { status: 409, title: 'Already exists' }],
  ['VERIFIER_RECORD_FORBIDDEN_CONTENT', { status: 422, title: 'The record would hold forbidden data' }],
  ['VERIFIER_RECORD_INVALID', { status: 422, title: 'Invalid record content' }],
  ['VERIFIER_RECORD_CONFLICT', { status: 503, title: 'The record could not be appended now' }],
  ['VERIFIER_RECORD_NOT_DURABLE', { status: 503, title: 'The record could not be made durable' }],
  ['VERIFIER_EXPORT_TOO_LARGE', { status: 422, title: 'Too many records for one export' }],
  ['VERIFIER_SESSION_USED', { status: 409, title: 'The session was already used' }],
  ['VERIFIER_SESSION_EXPIRED', { status: 410, title: 'The session has expired' }],
  ['VERIFIER_SESSION_PENDING', { status: 409, title: 'The session has not been answered yet' }],
  [
    'VERIFIER_CROSS_DEVICE_UNAVAILABLE',
    { status: 409, title: 'The relying party cannot make a cross-device request' },
  ],
  [
    'VERIFIER_JPKI_LINK_UNAVAILABLE',
    { status: 409, title: 'The relying party cannot make a JPKI request by link' },
  ],
  ['VERIFIER_ORIGIN_NOT_ALLOWED', { status: 400, title: 'The origin is not allowed' }],
  ['VERIFIER_PROXIMITY_ENGAGEMENT_INVALID', { status: 400, title: 'Invalid device engagement' }],
  [
    'VERIFIER_PROXIMITY_HOST_NOT_ALLOWED',
    { status: 400, title: 'The proximity transport host is not allowed' },
  ],
  ['VERIFIER_PROXIMITY_UNREACHABLE', { status: 502, title: 'The phone could not be reached' }],
  ['VERIFIER_PROXIMITY_DECLINED', { status: 409, title: 'The phone ended the session without answering' }],
  ['VERIFIER_PROXIMITY_TIMEOUT', { status: 504, title: 'The phone did not answer in time' }],
  ['VERIFIER_PROXIMITY_MESSAGE_INVALID', { status: 502, title: 'The phone sent an unreadable message' }],
  [
    'VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS',
    { status: 400, title: 'My Number may not be requested without a legal basis' },
  ],
  ['VERIFIER_ELEMENT_UNKNOWN', { status: 400, title: 'Unknown element' }],
  [
    'VERIFIER_TRANSACTION_PURPOSE_REQUIRED',
    { status: 400, title: 'The purpose of the transaction is required (犯収法)' },
  ],
  ['VERIFIER_OCCUPATION_REQUIRED', { status: 400, title: 'The customer’s occupation is required (犯収法)' }],
  ['VERIFIER_REVOCATION_UNAVAILABLE', { status: 503, title: 'The revocation status is unavailable; retry' }],
  ['VERIFIER_READER_CERTIFICATE_INVALID', { status: 422, title: 'The reader certificate does not fit' }],
  ['VERIFIER_PASSKEY_SESSION_NOT_VALID', { status: 409, title: 'The session has no valid verification' }],
  [
    'VERIFIER_PASSKEY_SESSION_USED',
    { status: 409, title: 'The verification was already used for a passkey' },
  ],
  ['VERIFIER_PASSKEY_OFFER_EXPIRED', { status: 410, title: 'The verification is too old for this' }],
  [
    'VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE',
    { status: 422, title: 'The verification names no person to bind' },
  ],
  ['VERIFIER_PASSKEY_IDENTITY_MISMATCH', { status: 403, title: 'Another person than the account’s' }],
  ['VERIFIER_PASSKEY_STEP_UP_NOT_REQUESTED', { status: 409, title: 'No step-up is pending' }],
  ['VERIFIER_PASSKEY_CHALLENGE_UNKNOWN', { status: 400, title: 'Unknown challenge' }],
  ['VERIFIER_PASSKEY_CHALLENGE_USED', { status: 409, title: 'The challenge was already used' }],
  ['VERIFIER_PASSKEY_CHALLENGE_EXPIRED', { status: 410, title: 'The challenge has expired' }],
  ['VERIFIER_PASSKEY_ORIGIN_MISMATCH', { status: 400, title: 'Unexpected origin' }],
  ['VERIFIER_PASSKEY_RP_ID_MISMATCH', { status: 400, title: 'Unexpected RP ID' }],
  ['VERIFIER_PASSKEY_USER_NOT_VERIFIED', { status: 400, title: 'The user was not verified' }],
  ['VERIFIER_PASSKEY_CREDENTIAL_UNKNOWN', { status: 404, title: 'Unknown passkey' }],
  ['VERIFIER_PASSKEY_COUNTER_REGRESSION', { status: 409, title: 'The signature counter went back' }],
  ['VERIFIER_PASSKEY_INVALID', { status: 400, title: 'The passkey response does not verify' }],
  ['VERIFIER_CROSS_CHECK_SESSION_NOT_VALID', { status: 409, title: 'The session has no valid verification' }],
  ['VERIFIER_CROSS_CHECK_EXPIRED', { status: 410, title: 'The verification is too old to cross-check' }],
  ['VERIFIER_CROSS_CHECK_USED', { status: 409, title: 'The session was already cross-checked' }],
  [
    'VERIFIER_CROSS_CHECK_IDENTITY_UNAVAILABLE',
    { status: 422, title: 'The verification record holds no identity facts' },
  ],
  ['VERIFIER_UNAUTHORIZED', { status: 401, title: 'Authentication required' }],
  ['VERIFIER_FORBIDDEN', { status: 403, title: 'The API key may not use this route' }],
]);

/** HTTP status and title for a verifier error code. */
export function statusOfVerifierError(code: VerifierErrorCode): {
  status: ContentfulStatusCode;
  title: string;
} {
  return STATUS.get(code) ?? { status: 500, title: 'Verifier fault' };
}
