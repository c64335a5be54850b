/**
 * Which expired sessions the maintenance deletes (maintenance.ts). A session that ended (`done`) stays for
 * the cross-check window after its verification, so the identity cross-check (run-cross-check.ts) can still
 * find it: by then it holds no key and no content (both are erased when it is done) — only ids, its purpose,
 * verdict and record id. Open or claimed sessions go as soon as they expire, with their sealed keys.
 */
import type { Kysely } from 'kysely';
import type { JpkiSessionTable } from '../jpki/jpki-session-repository.js';
import type { VerifierDatabase } from '../store/schema.js';
import { checkInstant } from '../store/store-support.js';
import { DEFAULT_CROSS_CHECK_WINDOW_SECONDS } from './run-cross-check.js';

/**
 * Deletes the Annex C and JPKI sessions that expired before `now` (epoch ms), except those done within
 * `keepDoneMs` (default the cross-check window, 30 minutes); returns how many.
 */
export async function purgeExpiredSessions(
  db: Kysely<VerifierDatabase>,
  now: number,
  keepDoneMs = DEFAULT_CROSS_CHECK_WINDOW_SECONDS * 1000,
): Promise<number> {
  checkInstant(now, 'now');
  const keepSince = now - keepDoneMs;
  const sessions = await db
    .deleteFrom('verification_sessions')
    .where('expires_at', '<', now)
    .where((eb) =>
      eb.or([eb('state', '!=', 'done'), eb('completed_at', 'is', null), eb('completed_at', '<', keepSince)]),
    )
    .executeTakeFirst();
  const jpki = await db
    .withTables<{ jpki_sessions: JpkiSessionTable }>()
    .deleteFrom('jpki_sessions')
    .where('expires_at', '<', now)
    .where((eb) =>
      eb.or([eb('state', '!=', 'done'), eb('completed_at', 'is', null), eb('completed_at', '<', keepSince)]),
    )
    .executeTakeFirst();
  return Number(sessions.numDeletedRows) + Number(jpki.numDeletedRows);
}
