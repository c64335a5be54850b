import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { IssuerErrorCode } from '../errors.js';

/**
 * The one place where an issuer error code becomes an HTTP status. Codes not named here are server-side
 * faults (keys, CA store): 500, with the code still stable for operators.
 */
const STATUS = new Map<IssuerErrorCode, { status: ContentfulStatusCode; title: string }>([
  ['ISSUER_INVALID_INPUT', { status: 400, title: 'Invalid input' }],
  ['ISSUER_NOT_FOUND', { status: 404, title: 'Not found' }],
  ['ISSUER_DUPLICATE', { status: 409, title: 'Already exists' }],
  ['ISSUER_CARD_CONFLICT', { status: 409, title: 'The resident already holds an active card' }],
  [
    'ISSUER_INSTALLATION_STATE',
    { status: 409, title: 'The installation is not in the state this step needs' },
  ],
  [
    'ISSUER_INSTALLATION_CONFLICT',
    { status: 409, title: 'Another installation for this person completed first' },
  ],
  ['ISSUER_UNAUTHORIZED', { status: 401, title: 'Authentication required' }],
  ['ISSUER_FORBIDDEN', { status: 403, title: 'The client may not use this endpoint' }],
  ['ISSUER_CHALLENGE_UNKNOWN', { status: 400, title: 'Unknown challenge' }],
  ['ISSUER_CHALLENGE_REPLAYED', { status: 409, title: 'The challenge was used before' }],
  ['ISSUER_CHALLENGE_EXPIRED', { status: 400, title: 'The challenge has expired' }],
  ['ISSUER_PROOF_INVALID', { status: 400, title: 'The signature does not verify' }],
  ['ISSUER_PROOF_NOT_ACCEPTED', { status: 400, title: 'This kind of proof is not accepted for this card' }],
  ['ISSUER_CERTIFICATE_UNTRUSTED', { status: 403, title: 'The certificate is not trusted' }],
  ['ISSUER_CERTIFICATE_EXPIRED', { status: 403, title: 'The certificate or card has expired' }],
  ['ISSUER_CARD_UNKNOWN', { status: 403, title: 'Not a card of the register' }],
  ['ISSUER_CARD_REVOKED', { status: 403, title: 'The card is no longer in force' }],
  ['ISSUER_INSTALLATION_TOKEN_INVALID', { status: 401, title: 'Invalid installation token' }],
  ['ISSUER_CSR_INVALID', { status: 400, title: 'Invalid certificate signing request' }],
  ['ISSUER_ATTESTATION_INVALID', { status: 400, title: 'Invalid key attestation' }],
  [
    'ISSUER_ATTESTATION_UNTRUSTED',
    { status: 400, title: 'The key attestation is not from a trusted attester' },
  ],
  ['ISSUER_ATTESTATION_TOO_WEAK', { status: 400, title: 'The key storage is weaker than required' }],
  ['ISSUER_ATTESTATION_NONCE', { status: 400, title: 'The key attestation nonce is not valid' }],
  ['ISSUER_KEY_NOT_ATTESTED', { status: 400, title: 'The key is not attested' }],
  ['ISSUER_DEVICE_CERTIFICATE_UNKNOWN', { status: 403, title: 'Not a certificate of this installation' }],
  ['ISSUER_DEVICE_CERTIFICATE_REVOKED', { status: 403, title: 'The smartphone certificate is revoked' }],
  ['ISSUER_RECORD_NOT_ELIGIBLE', { status: 403, title: 'No card-substitute record for this holder' }],
  ['ISSUER_NOTICES_PROOF_INVALID', { status: 401, title: 'The subscription proof does not verify' }],
  ['ISSUER_NOTICES_TOKEN_INVALID', { status: 401, title: 'Invalid notices subscription token' }],
  ['ISSUER_NOTICES_ENDED', { status: 410, title: 'No more notices for this installation' }],
  [
    'ISSUER_NOTICES_TOO_MANY_STREAMS',
    { status: 429, title: 'Too many notice streams for this installation' },
  ],
  ['ISSUER_NOTICES_UNAVAILABLE', { status: 503, title: 'No notice stream available now' }],
  ['ISSUER_INSURANCE_CERTIFICATE_UNKNOWN', { status: 403, title: 'Not a certificate the issuer issued' }],
  ['ISSUER_INSURANCE_CERTIFICATE_REVOKED', { status: 403, title: 'The certificate is revoked' }],
  ['ISSUER_INSURANCE_NOT_QUALIFIED', { status: 404, title: 'No qualification in force' }],
  ['ISSUER_CERTIFICATE_UNKNOWN_ISSUER', { status: 422, title: 'Not a certificate of the issuer’s CAs' }],
  ['ISSUER_STATUS_UNAVAILABLE', { status: 503, title: 'The status cannot be determined now' }],
]);

/** HTTP status and title for an issuer error code. */
export function statusOfIssuerError(code: IssuerErrorCode): { status: ContentfulStatusCode; title: string } {
  return STATUS.get(code) ?? { status: 500, title: 'Issuer fault' };
}
