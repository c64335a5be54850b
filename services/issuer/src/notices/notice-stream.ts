/**
 * One phone's notices stream (server-sent events, WHATWG HTML §9.2): first the notices it missed
 * (seq > Last-Event-ID), then live ones as they are committed. Each notice is one event
 *
 *   event: <kind>            credential.revoked | credential.suspended | credential.reinstated | installation.superseded
 *   data: {"seq":…,"kind":…,"at":"<ISO 8601>","detail":{…}}
 *   id: <seq>                the number a reconnecting client sends back as Last-Event-ID
 *
 * Live: the stream wakes at once when the process's hub names its installation (a change committed here)
 * and reads the table every `pollIntervalMs` anyway — the database is the truth, and another instance may
 * have made the change. Idle streams send a comment line every `heartbeatMs` so proxies keep them open.
 * The stream ends when the subscription token expires (the phone subscribes again with a fresh proof) and,
 * for an installation that ended (superseded, failed), once it has sent the last notice: nothing more can
 * come, and a reconnect that has heard everything is answered 410 ISSUER_NOTICES_ENDED.
 */
import type { SSEStreamingApi } from 'hono/streaming';
import type { IssuerDeps } from '../context.js';
import type { RevocationHub } from '../revocation/revocation-hub.js';
import { MAX_NOTICES_PER_READ, type Notice } from '../store/notice-repository.js';
import type { ResolvedNoticeSettings } from './notice-settings.js';

/** At most this many pages are sent per wake-up before the stream yields to its timers again. */
const MAX_PAGES_PER_WAKE = 10;

/**
 * Counts the open streams of this process, per installation and in all, against the settings' bounds.
 * A slot taken must be given back (the release function), once.
 */
export class NoticeStreamSlots {
  readonly #perInstallation = new Map<string, number>();
  #total = 0;

  constructor(
    private readonly settings: Pick<ResolvedNoticeSettings, 'maxStreams' | 'maxStreamsPerInstallation'>,
  ) {}

  /** A release function, or why no slot is free: `installation` (its bound) or `process` (the global one). */
  take(installationId: string): (() => void) | 'installation' | 'process' {
    const held = this.#perInstallation.get(installationId) ?? 0;
    if (held >= this.settings.maxStreamsPerInstallation) return 'installation';
    if (this.#total >= this.settings.maxStreams) return 'process';
    this.#perInstallation.set(installationId, held + 1);
    this.#total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const now = (this.#perInstallation.get(installationId) ?? 1) - 1;
      if (now <= 0) this.#perInstallation.delete(installationId);
      else this.#perInstallation.set(installationId, now);
    };
  }

  /** Open streams in this process. */
  get total(): number {
    return this.#total;
  }
}

/** The JSON of one notice's `data` line (the stored detail parsed; `{}` if it ever is not JSON). */
export function noticeData(notice: Notice): string {
  let detail: unknown = {};
  try {
    detail = JSON.parse(notice.detail);
  } catch {
    detail = {};
  }
  return JSON.stringify({
    seq: notice.seq,
    kind: notice.kind,
    at: new Date(notice.at).toISOString(),
    detail,
  });
}

/** What one stream needs. */
export interface NoticeStreamInput {
  readonly deps: Pick<IssuerDeps, 'store' | 'clock'>;
  readonly hub: RevocationHub;
  readonly settings: ResolvedNoticeSettings;
  readonly installationId: string;
  /** Notices with seq > this are sent. */
  readonly lastEventId: number;
  /** When the subscription token expires (epoch ms): the stream ends then. */
  readonly expiresAt: number;
  /** Whether the installation ended (superseded, failed): the stream ends once it is caught up. */
  readonly ended: boolean;
  /** Gives the stream's slot back. */
  readonly release: () => void;
}

/** Runs one stream until the client leaves, the token expires, or an ended installation is caught up. */
export async function runNoticeStream(stream: SSEStreamingApi, input: NoticeStreamInput): Promise<void> {
  const { deps, settings, installationId } = input;
  let last = input.lastEventId;
  let closed = false;
  let wake: (() => void) | undefined;
  let woken = false;
  const rouse = () => {
    woken = true;
    wake?.();
  };
  let off: () => void;
  try {
    off = input.hub.on((change) => {
      if (change.installationIds.includes(installationId)) rouse();
    });
  } catch {
    // The hub is full (MAX_HUB_LISTENERS): this stream still hears every change by polling.
    off = () => undefined;
  }
  stream.onAbort(() => {
    closed = true;
    rouse();
  });
  let lastWrite = Date.now();
  try {
    // The retry hint, and a first line so the client knows the stream is open.
    await stream.writeSSE({
      event: 'ready',
      data: JSON.stringify({ lastEventId: last }),
      retry: settings.retryMs,
    });
    while (!closed) {
      for (let page = 0; page < MAX_PAGES_PER_WAKE && !closed; page++) {
        const notices = await deps.store.notices.listAfter(installationId, last);
        for (const n of notices) {
          if (closed) break;
          await stream.writeSSE({ id: String(n.seq), event: n.kind, data: noticeData(n) });
          last = n.seq;
          lastWrite = Date.now();
        }
        if (notices.length < MAX_NOTICES_PER_READ) break;
      }
      if (closed) break;
      if (input.ended && last >= (await deps.store.notices.lastSeq(installationId))) break;
      const left = input.expiresAt - deps.clock().getTime();
      if (left <= 0) {
        await stream.writeSSE({ event: 'subscription.expired', data: '{}' });
        break;
      }
      if (Date.now() - lastWrite >= settings.heartbeatMs) {
        await stream.write(': heartbeat\n\n');
        lastWrite = Date.now();
      }
      if (woken) {
        woken = false;
        continue;
      }
      const wait = Math.min(settings.pollIntervalMs, settings.heartbeatMs, left);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
      woken = false;
    }
  } catch {
    // A store failure ends this stream; the client reconnects with Last-Event-ID and misses nothing.
  } finally {
    off();
    input.release();
  }
}
