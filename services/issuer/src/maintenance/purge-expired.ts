/**
 * What an issuer that runs for months must clear away, so its tables hold what is alive and nothing grows
 * without bound: expired single-use values (OpenID4VCI c_nonces and notice challenges in `nonces`,
 * pre-authorized codes, access tokens, installation tokens, notice subscriptions) and installations left
 * pending — a phone that passed the card step and never came back. An abandoned installation is failed
 * exactly as a lost race is (`failInstallation`): its staged certificates are dropped unpublished and its
 * token deleted, in one transaction, and the event log says so.
 *
 * Nothing here touches an issued credential, a revocation, a life event or the event log: those are the
 * register's history.
 */
import { failInstallation } from '../installations/complete.js';
import type { IssuerDeps } from '../context.js';

/** A pending installation older than this is abandoned: a day, far beyond any card step's tokens (minutes). */
export const PENDING_INSTALLATION_TTL_MS = 24 * 60 * 60 * 1000;
/** Most abandoned installations failed per run (the next run takes the rest). */
export const MAX_ABANDONED_PER_RUN = 1000;

/** What one run cleared. */
export interface PurgeResult {
  readonly nonces: number;
  readonly offers: number;
  readonly accessTokens: number;
  readonly installationTokens: number;
  readonly noticeSubscriptions: number;
  readonly abandonedInstallations: number;
}

/** Clears what expired before now (see the file comment). */
export async function purgeExpired(
  deps: Pick<IssuerDeps, 'store' | 'clock' | 'hub'>,
  options: { readonly pendingInstallationTtlMs?: number } = {},
): Promise<PurgeResult> {
  const now = deps.clock().getTime();
  const { store } = deps;
  const nonces = await store.nonces.purgeExpired(new Date(now));
  const offers = await store.offers.purgeExpired(now);
  const accessTokens = await store.accessTokens.purgeExpired(now);
  const installationTokens = await store.installationTokens.purgeExpired(now);
  const noticeSubscriptions = await store.notices.purgeExpiredSubscriptions(now);
  const cutoff = now - (options.pendingInstallationTtlMs ?? PENDING_INSTALLATION_TTL_MS);
  const stale = await store.db
    .selectFrom('installations')
    .select('id')
    .where('state', '=', 'pending')
    .where('created_at', '<', cutoff)
    .orderBy('created_at')
    .limit(MAX_ABANDONED_PER_RUN)
    .execute();
  let abandonedInstallations = 0;
  for (const { id } of stale) if (await failInstallation(deps, id, 'abandoned')) abandonedInstallations++;
  return { nonces, offers, accessTokens, installationTokens, noticeSubscriptions, abandonedInstallations };
}
