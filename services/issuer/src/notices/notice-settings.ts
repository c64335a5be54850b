/**
 * The deployment's bounds and timings of the notices stream (IssuerConfig.notices); every one has a default.
 * A stream costs one open connection, one hub listener and one poll per interval, so streams are bounded per
 * installation (a phone and its reconnect overlapping) and per process.
 */

/** What a deployment may set. */
export interface NoticeSettings {
  /** Lifetime of a subscription challenge, seconds (default 60: the phone signs at once). */
  readonly challengeTtlSeconds?: number;
  /** Lifetime of a subscription token, seconds (default 600); the stream ends when it expires. */
  readonly tokenTtlSeconds?: number;
  /** How often a stream reads the table, ms (default 1000): the fallback for changes made by another instance. */
  readonly pollIntervalMs?: number;
  /** How often a comment line keeps an idle stream open through proxies, ms (default 15000). */
  readonly heartbeatMs?: number;
  /** The `retry:` a client waits before reconnecting, ms (default 3000; WHATWG HTML §9.2.6). */
  readonly retryMs?: number;
  /** Open streams per installation in this process (default 2). */
  readonly maxStreamsPerInstallation?: number;
  /** Open streams in this process (default 1000; the hub allows 10 000 listeners in all). */
  readonly maxStreams?: number;
}

/** Every setting, defaults filled in. */
export type ResolvedNoticeSettings = Required<NoticeSettings>;

/** The defaults. */
export const DEFAULT_NOTICE_SETTINGS: ResolvedNoticeSettings = {
  challengeTtlSeconds: 60,
  tokenTtlSeconds: 600,
  pollIntervalMs: 1000,
  heartbeatMs: 15_000,
  retryMs: 3000,
  maxStreamsPerInstallation: 2,
  maxStreams: 1000,
};

/** The settings with defaults for what is not given; RangeError for a value that is not a positive integer. */
export function resolveNoticeSettings(given: NoticeSettings = {}): ResolvedNoticeSettings {
  const out = { ...DEFAULT_NOTICE_SETTINGS };
  for (const key of Object.keys(DEFAULT_NOTICE_SETTINGS) as (keyof NoticeSettings)[]) {
    const value = given[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1)
      throw new RangeError(`notices.${key} must be a positive integer`);
    out[key] = value;
  }
  return out;
}
