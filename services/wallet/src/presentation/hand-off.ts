/**
 * The last step of every presentation: the answer leaves the phone and its line enters the presentation
 * history, together. A presentation builds its answer (the DeviceResponse, the CMS, the signed challenge)
 * first and then calls its `handOff` with `deliver` — what hands the answer over (for a proximity reader:
 * the SessionData sent over the bearer) and writes the history line after it. The history holds only what
 * was handed to the requester.
 *
 * Called directly, a presentation hands off at once (`handOffAtOnce`). A requester that waits on the phone's
 * consent screen (app/incoming-requests.ts) passes its own: it refuses with WALLET_REQUEST_EXPIRED — and
 * `deliver` never runs, so nothing is sent or written — when the requester stopped waiting while the
 * answer was being made, and otherwise holds the wait open until `deliver` has run, so the answer and its
 * line go together.
 */

/** Runs `deliver` (the answer handed over, then its history line), or refuses before it (see the file comment). */
export type HandOff = (deliver: () => Promise<void>) => Promise<void>;

/** A presentation's hand-off when nobody waits on the phone's screen: the answer goes at once. */
export const handOffAtOnce: HandOff = (deliver) => deliver();

/**
 * A POST to a verifier that ended because its time ran out (AbortSignal.timeout): unlike an unreachable host,
 * the verifier may hold the answer, so the history keeps its line.
 */
export function isTimeout(e: unknown): boolean {
  return e instanceof Error && e.name === 'TimeoutError';
}
