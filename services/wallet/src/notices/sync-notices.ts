/**
 * Hearing what the issuer said while the phone was away: for each installation this phone holds, subscribe
 * (notice-subscription.ts), open the notices stream from the last applied notice (`Last-Event-ID`), apply
 * every notice in order and move the cursor after each, and stop once the replay is over — when the stream
 * ends, or when nothing more arrives for `quietMs` after the issuer's `ready` event. A phone kept offline
 * simply does not call this: it keeps presenting until it hears, which is why verifiers also check the
 * status list (DOMAIN.md §1, revocation's double measure).
 */
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { IssuerClient } from '../installation/issuer-client.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import { type AppliedNotice, applyNotice, parseNotice } from './apply-notice.js';
import { readServerSentEvents } from './server-sent-events.js';
import { subscribeToNotices } from './notice-subscription.js';

/** Most notices applied per installation in one sync (the rest wait for the next). */
export const MAX_NOTICES_PER_SYNC = 1000;

/** What one installation's sync did. */
export interface InstallationSync {
  readonly installationId: string;
  /** `heard`: the stream was read; `ended`: the issuer said this installation has nothing more to say. */
  readonly outcome: 'heard' | 'ended';
  readonly applied: readonly AppliedNotice[];
  readonly lastSeq: number;
}

/** Options of syncNotices. */
export interface SyncNoticesInput {
  readonly device: WalletDevice;
  readonly issuer: IssuerClient;
  /** The device owner's authentication: the keys that prove the subscription need it. */
  readonly userAuthentication: UserAuthentication;
  /** Silence after which the replay counts as over (default 300 ms). */
  readonly quietMs?: number;
}

/** Syncs every installation of the phone, oldest first (see the file comment). */
export async function syncNotices(input: SyncNoticesInput): Promise<InstallationSync[]> {
  const { device } = input;
  const installations = await device.store.installations.list(device.id);
  const out: InstallationSync[] = [];
  for (const installation of installations) {
    if (installation.state !== 'active') continue;
    const lastSeq = await device.store.noticeCursors.lastSeq(device.id, installation.id);
    let subscription: { token: string };
    try {
      subscription = await subscribeToNotices({
        device,
        issuer: input.issuer,
        installation,
        userAuthentication: input.userAuthentication,
      });
    } catch (e) {
      // An installation this phone holds no key of (nothing received yet) has nothing to hear.
      if (e instanceof WalletError && e.code === 'WALLET_NOT_FOUND') continue;
      throw e;
    }
    out.push(await readInstallation(input, installation.id, subscription.token, lastSeq));
  }
  return out;
}

async function readInstallation(
  input: SyncNoticesInput,
  installationId: string,
  token: string,
  lastSeq: number,
): Promise<InstallationSync> {
  const { device } = input;
  const quietMs = input.quietMs ?? 300;
  const abort = new AbortController();
  let response: Response;
  try {
    response = await input.issuer.openStream(
      '/notices',
      { authorization: `Bearer ${token}`, ...(lastSeq > 0 ? { 'last-event-id': String(lastSeq) } : {}) },
      abort.signal,
    );
  } catch (e) {
    if (e instanceof WalletError && e.issuerCode === 'ISSUER_NOTICES_ENDED')
      return { installationId, outcome: 'ended', applied: [], lastSeq };
    throw e;
  }
  const applied: AppliedNotice[] = [];
  let cursor = lastSeq;
  const events = readServerSentEvents(response.body as ReadableStream<Uint8Array>, { signal: abort.signal });
  let timer: NodeJS.Timeout | undefined;
  try {
    for (;;) {
      // Until `ready` the issuer is still answering; after it, silence means the replay is over.
      const next = events.next();
      // When silence wins, this read is abandoned: the abort below ends it, and its outcome is not needed.
      next.catch(() => undefined);
      const quiet = new Promise<'quiet'>((resolve) => {
        timer = setTimeout(() => resolve('quiet'), quietMs);
      });
      const got = await Promise.race([next, quiet]);
      clearTimeout(timer);
      if (got === 'quiet' || got.done) break;
      const event = got.value;
      if (event.event === 'ready' || event.event === 'subscription.expired') continue;
      const notice = parseNotice(event.data);
      if (notice === undefined || notice.seq <= cursor) continue;
      applied.push(await applyNotice(device, installationId, notice));
      cursor = notice.seq;
      await device.store.noticeCursors.advance(device.id, installationId, cursor, device.clock().getTime());
      if (applied.length >= MAX_NOTICES_PER_SYNC) break;
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
    await events.return(undefined).catch(() => undefined);
  }
  return { installationId, outcome: 'heard', applied, lastSeq: cursor };
}
