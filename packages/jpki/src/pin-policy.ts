/**
 * PIN policies of JPKI and the card (DOMAIN.md §3 [C]):
 *
 *   secret                                   format                                  tries before lock
 *   signature password (署名用パスワード)      6–16 characters, uppercase A–Z and 0–9   5
 *   user-authentication PIN (利用者証明用)     4 digits (a biometric may stand in)      3
 *   card-face input-support PIN (券面事項入力補助用) 4 digits                          3
 *
 * The format check is separate from verification: a wrongly formatted entry is refused before it reaches
 * the verifier and does not consume a try (as a card application refuses it before sending VERIFY).
 * Nothing here logs, stores or echoes a PIN; results say only what was wrong with its shape.
 */
import { JpkiError } from './errors.js';
export type PinKind = 'signaturePassword' | 'userAuthenticationPin' | 'inputSupportPin';

export interface PinPolicy {
  readonly kind: PinKind;
  readonly minLength: number;
  readonly maxLength: number;
  /** The allowed characters, as a character class. */
  readonly alphabet: RegExp;
  readonly alphabetDescription: string;
  readonly maxTries: number;
}

export const PIN_POLICIES: Readonly<Record<PinKind, PinPolicy>> = {
  signaturePassword: {
    kind: 'signaturePassword',
    minLength: 6,
    maxLength: 16,
    alphabet: /^[A-Z0-9]*$/,
    alphabetDescription: 'uppercase letters A-Z and digits 0-9',
    maxTries: 5,
  },
  userAuthenticationPin: {
    kind: 'userAuthenticationPin',
    minLength: 4,
    maxLength: 4,
    alphabet: /^[0-9]*$/,
    alphabetDescription: 'digits 0-9',
    maxTries: 3,
  },
  inputSupportPin: {
    kind: 'inputSupportPin',
    minLength: 4,
    maxLength: 4,
    alphabet: /^[0-9]*$/,
    alphabetDescription: 'digits 0-9',
    maxTries: 3,
  },
};

export type PinFormatProblem = 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_CHARACTER' | 'NOT_A_STRING';

export type PinFormatResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly problem: PinFormatProblem; readonly detail: string };

export function policyFor(kind: PinKind): PinPolicy {
  // An own property only: `constructor` or `__proto__` as a kind is unknown, not Object.prototype's.
  if (typeof kind !== 'string' || !Object.hasOwn(PIN_POLICIES, kind))
    throw new JpkiError(
      'INVALID_PIN_KIND',
      `unknown PIN kind (${typeof kind}); expected one of ${Object.keys(PIN_POLICIES).join(', ')}`,
    );
  return PIN_POLICIES[kind];
}

/** Checks only the shape of a PIN; never includes the PIN in the result. */
export function checkPinFormat(kind: PinKind, pin: unknown): PinFormatResult {
  const p = policyFor(kind);
  if (typeof pin !== 'string')
    return { ok: false, problem: 'NOT_A_STRING', detail: 'the PIN must be a string' };
  const range = p.minLength === p.maxLength ? `${p.minLength}` : `${p.minLength}-${p.maxLength}`;
  if (!p.alphabet.test(pin)) {
    return { ok: false, problem: 'INVALID_CHARACTER', detail: `use only ${p.alphabetDescription}` };
  }
  if (pin.length < p.minLength) return { ok: false, problem: 'TOO_SHORT', detail: `use ${range} characters` };
  if (pin.length > p.maxLength) return { ok: false, problem: 'TOO_LONG', detail: `use ${range} characters` };
  return { ok: true };
}
