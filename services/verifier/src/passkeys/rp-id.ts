/**
 * The WebAuthn RP ID and the origins a ceremony may run on, taken from the relying party's configured
 * `origins` (relying-parties/config.ts) — the same list that bounds its Digital Credentials API sessions.
 *
 * A ceremony starts on one configured origin; its RP ID is that origin's host (WebAuthn L3 §5.1.3 step 8:
 * an RP ID must be the origin's effective domain or a registrable suffix of it — the host itself always
 * is). A response is then accepted only from that very origin (WebAuthn L3 §7.1 step 9, §13.4.9: check
 * the origin exactly), and a credential only for the RP ID it was made for.
 */
import { VerifierError } from '../errors.js';

/** The RP ID of a ceremony started on `origin` — VERIFIER_ORIGIN_NOT_ALLOWED unless it is configured. */
export function rpIdFor(configuredOrigins: readonly string[], origin: string): string {
  if (!configuredOrigins.includes(origin))
    throw new VerifierError(
      'VERIFIER_ORIGIN_NOT_ALLOWED',
      "the origin is not one of the relying party's configured origins",
    );
  return new URL(origin).hostname;
}
