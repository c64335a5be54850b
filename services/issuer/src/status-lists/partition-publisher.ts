/**
 * Signs and keeps the Status List Token of each partition (draft-ietf-oauth-status-list §5.2 CWT form:
 * COSE_Sign1, protected typ `application/statuslist+cwt`, claims 2 sub = the list URI, 6 iat, 4 exp,
 * 65534 ttl, 65533 status_list {bits: 2, lst}), with @mynakit/status-list's publisher and the records'
 * status-list signer (status-list-signer.ts).
 *
 * Statuses come from the partition's credentials rows: revoked with reason certificateHold → 2 SUSPENDED,
 * any other revoked → 1 INVALID, everything else (active, and indexes never used) → 0 VALID (§7.1).
 *
 * When to sign: lazily, when a GET finds the stored token stale — signed from an older `version` than the
 * partition's (a status changed), or past its refresh point iat + ttl — and eagerly when this process's hub
 * reports the partition changed, so the first GET after a revocation finds the new token ready. The token,
 * its ETag, iat and exp are kept in the partition's row (compare-and-set on signed_version), so every
 * instance behind the load balancer serves the same bytes and a CDN sees one ETag; within a process one
 * signing per partition runs at a time (single flight), and a change that lands while it runs makes it
 * sign once more.
 *
 * ttl = 300 s, and a token is re-signed once iat + ttl has passed, so what is served always has
 * iat + ttl in the future and `Cache-Control: max-age` = the seconds until iat + ttl. A CDN and a relying
 * party that honour max-age (or iat + ttl) therefore never hold a list more than 300 s older than the
 * database: a revocation reaches every relying party within five minutes — the bound a relying party can
 * be told — while each partition is signed at most once per five minutes per fetch pattern (96 lists for
 * 10^8 records: a signature every three seconds at most). exp = iat + 24 h: a relying party cut off from
 * the issuer may still decide, by its own policy, with a list of the last day (exp bounds the token's
 * use, ttl its caching).
 *
 * Compression: zlib level 9 with the `rle` strategy — for 2^20 two-bit entries, mostly zero, it is two
 * orders of magnitude faster than the default match search for a few percent more bytes
 * (compressed-byte-array.ts).
 */
import { StatusList, StatusListPublisher } from '@mynakit/status-list';
import type { IssuerDeps } from '../context.js';
import type { StatusListPartition } from '../store/index.js';
import { statusListUri } from './record-status.js';
import { statusListSignerOf } from './status-list-signer.js';

/** Seconds a relying party (and a CDN) may keep a token: the token's `ttl` claim. */
export const STATUS_LIST_TTL_SECONDS = 300;
/** Seconds from iat to exp. */
export const STATUS_LIST_VALIDITY_SECONDS = 86_400;
/** Bits per status: VALID, INVALID, SUSPENDED need two (§4.1, §7.1). */
export const STATUS_LIST_BITS = 2;
/** The status value of a suspended record (§7.1 0x02 SUSPENDED). */
export const STATUS_SUSPENDED = 2;
/** The status value of a revoked record (§7.1 0x01 INVALID). */
export const STATUS_INVALID = 1;

/** Signings in a row for one request when statuses keep changing meanwhile. */
const MAX_SIGNINGS_PER_CALL = 3;

/** A token as served: the bytes and what the HTTP headers are made from. */
export interface ServedStatusList {
  readonly partition: number;
  readonly token: Uint8Array;
  readonly etag: string;
  /** iat, epoch ms. */
  readonly signedAt: number;
  /** exp, epoch ms. */
  readonly expiresAt: number;
  /** iat + ttl, epoch ms: until then the token is served as it is. */
  readonly refreshAt: number;
}

/** The status value a credentials row publishes (§7.1). */
export function statusValueOf(reason: string | null): number {
  return reason === 'certificateHold' ? STATUS_SUSPENDED : STATUS_INVALID;
}

function servedFrom(row: StatusListPartition): ServedStatusList | undefined {
  if (row.token === null || row.etag === null || row.signedAt === null || row.expiresAt === null)
    return undefined;
  return {
    partition: row.partition,
    token: row.token,
    etag: row.etag,
    signedAt: row.signedAt,
    expiresAt: row.expiresAt,
    refreshAt: row.signedAt + STATUS_LIST_TTL_SECONDS * 1000,
  };
}

/** Whether the stored token may be served as it is at `now`. */
function isFresh(row: StatusListPartition, now: number): boolean {
  const served = servedFrom(row);
  return (
    served !== undefined &&
    row.signedVersion !== null &&
    row.signedVersion >= row.version &&
    now < served.refreshAt &&
    now < served.expiresAt
  );
}

/** One process's signer of the partitions' tokens (one per app; the rows are shared by every instance). */
export class PartitionPublisher {
  readonly #deps: IssuerDeps;
  readonly #inFlight = new Map<number, Promise<ServedStatusList | undefined>>();
  /** The one signing queued behind a running one, per partition (callers that came while it ran). */
  readonly #queued = new Map<number, Promise<ServedStatusList | undefined>>();

  constructor(deps: IssuerDeps) {
    this.#deps = deps;
  }

  /** The token to serve for `partition` (signing first when the stored one is stale), or undefined. */
  async current(partition: number): Promise<ServedStatusList | undefined> {
    const row = await this.#deps.store.statusLists.get(partition);
    if (row === undefined) return undefined;
    if (isFresh(row, this.#deps.clock().getTime())) return servedFrom(row);
    return this.refresh(partition);
  }

  /**
   * Signs `partition` unless its stored token is fresh, joining a signing of it already running in this
   * process; resolves to the token now stored (undefined for an unknown partition).
   */
  refresh(partition: number): Promise<ServedStatusList | undefined> {
    const running = this.#inFlight.get(partition);
    if (running === undefined) return this.#start(partition);
    // The running signing may have read the partition before the change this caller knows of: one more
    // pass after it (which signs only if the row is still stale), shared by everyone who comes meanwhile.
    const queued = this.#queued.get(partition);
    if (queued !== undefined) return queued;
    const next = running
      .catch(() => undefined)
      .then(() => {
        this.#queued.delete(partition);
        return this.refresh(partition);
      });
    this.#queued.set(partition, next);
    return next;
  }

  #start(partition: number): Promise<ServedStatusList | undefined> {
    const started = this.#signUntilFresh(partition, MAX_SIGNINGS_PER_CALL).finally(() => {
      if (this.#inFlight.get(partition) === started) this.#inFlight.delete(partition);
    });
    this.#inFlight.set(partition, started);
    return started;
  }

  async #signUntilFresh(partition: number, attempts: number): Promise<ServedStatusList | undefined> {
    let row = await this.#deps.store.statusLists.get(partition);
    for (let i = 0; i < attempts && row !== undefined; i++) {
      if (isFresh(row, this.#deps.clock().getTime())) break;
      await this.#signOnce(row);
      row = await this.#deps.store.statusLists.get(partition);
    }
    return row && servedFrom(row);
  }

  /** Signs the statuses of `row`'s partition at its version and stores the token (unless a newer is stored). */
  async #signOnce(row: StatusListPartition): Promise<void> {
    const { store, clock, config, hierarchy } = this.#deps;
    // The version was read (in `row`) before the statuses: a token never claims a newer version than it shows.
    const entries = await store.statusLists.revokedEntries(row.partition);
    const list = StatusList.create(row.capacity, STATUS_LIST_BITS);
    for (const entry of entries) {
      if (entry.index < row.capacity) list.set(entry.index, statusValueOf(entry.reason));
    }
    const { signer, x5chain } = statusListSignerOf(hierarchy);
    const publisher = new StatusListPublisher({
      uri: statusListUri(config.origin, row.partition),
      format: 'cwt',
      signer,
      certificateChain: x5chain,
      ttlSeconds: STATUS_LIST_TTL_SECONDS,
      validitySeconds: STATUS_LIST_VALIDITY_SECONDS,
      compression: { level: 9, strategy: 'rle' },
    });
    const published = await publisher.publish(list, clock());
    await store.statusLists.storeSigned(row.partition, {
      version: row.version,
      token: published.body,
      etag: published.etag,
      signedAt: published.lastModified.getTime(),
      expiresAt: published.expires.getTime(),
    });
  }
}
