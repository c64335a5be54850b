/**
 * Which life event revokes which JPKI certificate, with which RFC 5280 CRLReason (DOMAIN.md §3).
 *
 * RFC 5280 §5.3.1:
 *   CRLReason ::= ENUMERATED {
 *        unspecified (0), keyCompromise (1), cACompromise (2), affiliationChanged (3), superseded (4),
 *        cessationOfOperation (5), certificateHold (6), -- value 7 is not used
 *        removeFromCRL (8), privilegeWithdrawn (9), aACompromise (10) }
 *
 * The signature certificate vouches for the basic four, so any change of them ends it (affiliationChanged);
 * the user-authentication certificate carries no personal data and survives such a change. Events that end
 * the person's standing (death, moving abroad, removal from the resident register) or the card end both
 * (cessationOfOperation). Loss, theft or suspected compromise end both (keyCompromise); installing on another
 * device ends the old copies (superseded, one person one device); a CA compromise ends everything it issued
 * (cACompromise); a temporary suspension holds both (certificateHold).
 */
import { CRL_REASONS, type CrlReason, crlReasonCode } from '@mynakit/pki';
import { JpkiError } from './errors.js';

export type { CrlReason };

/** RFC 5280 numeric codes of the reasons (the table itself lives in `@mynakit/pki`). */
export const CRL_REASON_CODE: Readonly<Record<CrlReason, number>> = Object.fromEntries(
  CRL_REASONS.map((r) => [r, crlReasonCode(r)]),
) as Record<CrlReason, number>;

export type LifeEvent =
  | 'nameChanged'
  | 'addressChanged'
  | 'birthDateChanged'
  | 'sexChanged'
  | 'death'
  | 'movedAbroad'
  | 'removedFromResidentRegister'
  | 'cardInvalidated'
  | 'deviceLost'
  | 'keyCompromiseSuspected'
  | 'reissuedToAnotherDevice'
  | 'caCompromise'
  | 'temporarySuspension';

export interface RevocationDecision {
  /** Reason for the signature certificate, or null when it survives the event. */
  readonly signature: CrlReason | null;
  /** Reason for the user-authentication certificate, or null when it survives the event. */
  readonly userAuthentication: CrlReason | null;
}

const BASIC_FOUR_CHANGE: RevocationDecision = { signature: 'affiliationChanged', userAuthentication: null };
const BOTH = (reason: CrlReason): RevocationDecision => ({ signature: reason, userAuthentication: reason });

/** Dated rule table (DOMAIN.md §3, confirmed; `cardInvalidated` is our inference — smartphone certificates die with the card's). */
export const REVOCATION_RULES: Readonly<Record<LifeEvent, RevocationDecision>> = {
  nameChanged: BASIC_FOUR_CHANGE,
  addressChanged: BASIC_FOUR_CHANGE,
  birthDateChanged: BASIC_FOUR_CHANGE,
  sexChanged: BASIC_FOUR_CHANGE,
  death: BOTH('cessationOfOperation'),
  movedAbroad: BOTH('cessationOfOperation'),
  removedFromResidentRegister: BOTH('cessationOfOperation'),
  cardInvalidated: BOTH('cessationOfOperation'),
  deviceLost: BOTH('keyCompromise'),
  keyCompromiseSuspected: BOTH('keyCompromise'),
  reissuedToAnotherDevice: BOTH('superseded'),
  caCompromise: BOTH('cACompromise'),
  temporarySuspension: BOTH('certificateHold'),
};

export function revocationFor(event: LifeEvent): RevocationDecision {
  // An own property only: a life event arriving as text (`constructor`, `__proto__`) is unknown, not a
  // property of Object.prototype.
  if (typeof event !== 'string' || !Object.hasOwn(REVOCATION_RULES, event))
    throw new JpkiError(
      'INVALID_ARGUMENT',
      `unknown life event (${typeof event}); expected one of ${Object.keys(REVOCATION_RULES).join(', ')}`,
    );
  return REVOCATION_RULES[event];
}

/** Whether a certificate with this CRL reason may come back (only a hold can be released). */
export function isReversible(reason: CrlReason): boolean {
  return reason === 'certificateHold';
}
