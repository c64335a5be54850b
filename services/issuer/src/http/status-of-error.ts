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
]);

/** HTTP status and title for an issuer error code. */
export function statusOfIssuerError(code: IssuerErrorCode): { status: ContentfulStatusCode; title: string } {
  return STATUS.get(code) ?? { status: 500, title: 'Issuer fault' };
}
