/**
 * Whether the phones can reach their issuer, as the emulator shows it. A wallet with no issuer configured,
 * or with one that does not answer, still serves its pages and says which of the two it is: holders keep
 * presenting what they hold while the issuer is away (DOMAIN.md §1, the offline phone).
 */
import type { IssuerClient } from '../installation/issuer-client.js';

/** How long the probe waits for the issuer's `/health` before calling it unreachable. */
export const ISSUER_PROBE_TIMEOUT_MS = 2_000;

/** The issuer as the phones see it. */
export type IssuerStatus =
  | { readonly state: 'not-configured' }
  | { readonly state: 'reachable'; readonly url: string }
  | { readonly state: 'unreachable'; readonly url: string; readonly reason: string };

/** Asks the issuer's `/health` once, bounded by ISSUER_PROBE_TIMEOUT_MS. */
export async function probeIssuer(
  issuer: IssuerClient | undefined,
  timeoutMs = ISSUER_PROBE_TIMEOUT_MS,
): Promise<IssuerStatus> {
  if (issuer === undefined) return { state: 'not-configured' };
  // The abort ends the request itself, so a server that accepts and never answers holds no socket open.
  const signal = AbortSignal.timeout(timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
  });
  try {
    const answer = await Promise.race([issuer.getJson('/health', { signal }), timeout]);
    if (answer.status !== 'ok')
      return { state: 'unreachable', url: issuer.baseUrl, reason: 'the issuer is not healthy' };
    return { state: 'reachable', url: issuer.baseUrl };
  } catch {
    // The reason names the failure's kind only, never a response body.
    const reason = signal.aborted ? `no answer within ${timeoutMs} ms` : 'no connection';
    return { state: 'unreachable', url: issuer.baseUrl, reason };
  } finally {
    clearTimeout(timer);
  }
}
