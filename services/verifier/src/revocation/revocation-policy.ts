/**
 * The relying party's revocation policy applied to the one `status.revocation` check (DOMAIN.md §1 and §4):
 * passed → accepted; failed (revoked or suspended) → the verification is invalid whatever the policy; not
 * determined (fetch failed, unusable list, no reference while the check is required) → `reject` makes it
 * invalid, `accept-flagged` accepts it with a flag on the answer and the record, `retry` asks the caller to
 * submit the same response again later (the session is released, not spent). A policy with
 * `check: 'optional'` accepts an undetermined status with the flag.
 */
import type { Check } from '@mynakit/report';
import type { RelyingPartyConfig } from '../relying-parties/config.js';

/** The check id the policy adds to a verification's checks. */
export const REVOCATION_POLICY_CHECK = 'revocation.policy';

/** The flag set on a verification accepted without a determined revocation status. */
export const REVOCATION_UNDETERMINED_FLAG = 'revocation-undetermined';

/** What the policy decided. */
export interface RevocationDecision {
  /** `passed` | `failed` | `undetermined` — the revocation result as recorded. */
  readonly result: 'passed' | 'failed' | 'undetermined';
  /** `accept`, `accept-flagged`, `reject` (invalid) or `retry`. */
  readonly action: 'accept' | 'accept-flagged' | 'reject' | 'retry';
  /** The `revocation.policy` check. */
  readonly check: Check;
}

/** Applies the relying party's policy to the `status.revocation` check (absent: no document was read). */
export function decideRevocation(
  statusCheck: Check | undefined,
  policy: RelyingPartyConfig['revocation'],
): RevocationDecision {
  const status = statusCheck?.status;
  if (status === 'passed')
    return {
      result: 'passed',
      action: 'accept',
      check: { id: REVOCATION_POLICY_CHECK, status: 'passed', detail: 'the record is not revoked' },
    };
  if (status === 'failed')
    return {
      result: 'failed',
      action: 'reject',
      check: {
        id: REVOCATION_POLICY_CHECK,
        status: 'failed',
        detail: 'the record is revoked or suspended: refused',
      },
    };
  const why =
    status === 'skipped'
      ? 'no revocation status was consulted'
      : 'the revocation status could not be determined';
  if (policy.check === 'optional' || policy.undetermined === 'accept-flagged')
    return {
      result: 'undetermined',
      action: 'accept-flagged',
      check: {
        id: REVOCATION_POLICY_CHECK,
        status: 'warning',
        detail: `${why}: accepted and flagged, as the relying party's policy says`,
      },
    };
  if (policy.undetermined === 'retry')
    return {
      result: 'undetermined',
      action: 'retry',
      check: {
        id: REVOCATION_POLICY_CHECK,
        status: 'undetermined',
        detail: `${why}: retry later, as the relying party's policy says`,
      },
    };
  return {
    result: 'undetermined',
    action: 'reject',
    check: {
      id: REVOCATION_POLICY_CHECK,
      status: 'failed',
      detail: `${why}: refused, as the relying party's policy says`,
    },
  };
}
