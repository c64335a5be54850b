/**
 * The phone's two secrets and their rules (DOMAIN.md §3 "PINs" [C], formats and tries from
 * @mynakit/jpki's PIN_POLICIES):
 *
 *   secret                      format                        tries   biometric instead
 *   authPin (利用者証明用 PIN)    4 digits                      3       yes
 *   signaturePassword (署名用)   6–16 of A–Z and 0–9           5       never
 */
import { type PinKind, policyFor } from '@mynakit/jpki';
import type { SecretKind } from '../store/secret-repository.js';

/** One secret's rule. */
export interface SecretPolicy {
  readonly kind: SecretKind;
  /** The JPKI PIN policy it follows. */
  readonly pinKind: PinKind;
  readonly maxTries: number;
  /** Whether the device owner's biometric may stand in for it. */
  readonly biometricMayStandIn: boolean;
}

/** The rules of both secrets. */
export const SECRET_POLICIES: ReadonlyMap<SecretKind, SecretPolicy> = new Map([
  [
    'authPin',
    {
      kind: 'authPin',
      pinKind: 'userAuthenticationPin',
      maxTries: policyFor('userAuthenticationPin').maxTries,
      biometricMayStandIn: true,
    },
  ],
  [
    'signaturePassword',
    {
      kind: 'signaturePassword',
      pinKind: 'signaturePassword',
      maxTries: policyFor('signaturePassword').maxTries,
      biometricMayStandIn: false,
    },
  ],
]);

/** The rule of `kind` (a TypeError for an unknown kind: a programmer error). */
export function secretPolicy(kind: SecretKind): SecretPolicy {
  const p = SECRET_POLICIES.get(kind);
  if (p === undefined) throw new TypeError('unknown secret kind');
  return p;
}
