/**
 * What a verifier that runs for years must do on its own: delete sessions past their expiry (their sealed
 * HPKE keys and requests are of no use after it; a done one, already without them, once the identity
 * cross-check's window after its verification is over), and purge the content of verification records past
 * their retention (7 years under 犯収法, about 3 under 携帯法: the relying party's configuration) unless on
 * legal hold — the tombstone keeps the content hash, so the chains still verify (records/record-chains.ts) —
 * and delete passkey challenges past their expiry (passkeys/challenges.ts), and cross-device sessions' kept
 * results (their disclosed values sealed, perhaps unread) as long after expiry as a done session stays.
 */
import { DEFAULT_CROSS_CHECK_WINDOW_SECONDS } from './cross-checks/run-cross-check.js';
import { purgeExpiredSessions } from './cross-checks/session-retention.js';
import { JpkiLinkResultRepository } from './jpki/jpki-link-result-repository.js';
import { PasskeyRepository } from './passkeys/passkey-repository.js';
import { purgeExpiredRecords } from './records/record-chains.js';
import { CrossDeviceRepository } from './sessions/cross-device-repository.js';
import type { VerifierStore } from './store/index.js';

/** How often a running verifier does its maintenance: every 10 minutes. */
export const VERIFIER_MAINTENANCE_INTERVAL_MS = 10 * 60 * 1000;

/** What one maintenance run did. */
export interface VerifierMaintenanceResult {
  /** Sessions deleted (expired before now, done ones after the cross-check window): Annex C and JPKI. */
  readonly sessions: number;
  /** Records whose content was replaced by a tombstone. */
  readonly purgedRecords: number;
  /** Passkey challenges deleted (expired before now, answered or not). */
  readonly passkeyChallenges: number;
  /** Cross-device results deleted (their session expired more than the cross-check window ago). */
  readonly crossDeviceResults: number;
  /** Results of JPKI sessions answered by link deleted (as the cross-device results). */
  readonly jpkiLinkResults: number;
}

/** One maintenance run at `now` (epoch ms). */
export async function runVerifierMaintenance(
  store: VerifierStore,
  now: number,
): Promise<VerifierMaintenanceResult> {
  // Done sessions stay for the identity cross-check's window (cross-checks/session-retention.ts).
  const sessions = await purgeExpiredSessions(store.db, now);
  const purgedRecords = await purgeExpiredRecords(store, now);
  const passkeyChallenges = await new PasskeyRepository(store.db).purgeExpiredChallenges(now);
  const crossDeviceResults = await new CrossDeviceRepository(store.db).purgeExpired(
    Math.max(0, now - DEFAULT_CROSS_CHECK_WINDOW_SECONDS * 1000),
  );
  const jpkiLinkResults = await new JpkiLinkResultRepository(store.db).purgeExpired(
    Math.max(0, now - DEFAULT_CROSS_CHECK_WINDOW_SECONDS * 1000),
  );
  return { sessions, purgedRecords, passkeyChallenges, crossDeviceResults, jpkiLinkResults };
}
