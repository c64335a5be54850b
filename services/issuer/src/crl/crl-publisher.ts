/**
 * Signs and keeps the CRLs the issuer publishes (RFC 5280 §5):
 *
 * - one per JPKI CA generation and municipality partition, listing that scope's revoked smartphone
 *   certificates with their revocation date and CRLReason (certificateHold included: a held certificate is
 *   listed until it is released, §5.3.1), with an issuingDistributionPoint naming the partition's
 *   directoryName and onlyContainsUserCerts (§5.2.5) — a CRL speaks only for its partition;
 * - one per CA whose CRL URL (`/ca/<name>.crl`) is baked into certificates it issued (the mdoc IACAs and the
 *   reader root): a complete CRL for the CA, normally empty — the issuer revokes no document signer.
 *
 * Timing: thisUpdate is the signing instant, nextUpdate a day later — J-LIS updates its CRLs about daily
 * (DOMAIN.md §3 "Status"). A revocation does not wait for the day: the partition's fingerprint (count and
 * latest revocation instant of its revoked rows, one indexed aggregate) changes, and the next request signs
 * a new CRL. Unchanged, a CRL is served from this process's cache, re-signed once less than an hour of its
 * day remains, so what is served is never near its nextUpdate.
 *
 * cRLNumber (§5.2.3: "monotonically increasing … for a given CRL scope and CRL issuer") is the signing
 * instant in epoch milliseconds, and in this process at least one more than the scope's last number. Every
 * instance of the issuer signs with the same CA key from the same database, so a number must increase
 * across instances too: a CRL signed later has a later instant, so with clocks synchronised (NTP) a later
 * CRL from any instance carries a higher number; the millisecond keeps two CRLs signed in the same second
 * apart. It fits the 20 octets §5.2.3 allows (about 41 bits until the year 2100).
 */
import { createHash } from 'node:crypto';
import { CRL_REASONS, type CrlEntryInput, type CrlReason, createCrlWithSigner } from '@mynakit/pki';
import type { SandboxCertificate } from '../ca/sandbox-hierarchy.js';
import type { IssuerDeps } from '../context.js';
import { certificateStatusRepositoryOf } from '../store/certificate-status-repository.js';
import { type JpkiCaGeneration, partitionDistributionPoint } from './jpki-scopes.js';

/** A CRL's validity: a day, as J-LIS's (thisUpdate to nextUpdate). */
export const CRL_VALIDITY_MS = 24 * 60 * 60 * 1000;

/** An unchanged CRL is re-signed once less than this remains before its nextUpdate. */
export const CRL_REISSUE_MARGIN_MS = 60 * 60 * 1000;

/**
 * The longest a client or cache may keep a CRL without asking again (Cache-Control max-age), seconds; never
 * beyond its nextUpdate. A new revocation is in the next CRL at once; a cache may hold the old one this long.
 */
export const CRL_MAX_AGE_SECONDS = 3600;

/** CRLs kept in this process at most (oldest dropped first). */
export const CRL_CACHE_LIMIT = 4096;

/** A signed CRL as served. */
export interface PublishedCrl {
  readonly der: Uint8Array;
  /** A strong entity tag of the DER (RFC 9110 §8.8.3). */
  readonly etag: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly crlNumber: bigint;
  /** How many certificates it lists. */
  readonly entries: number;
}

interface Cached extends PublishedCrl {
  readonly fingerprint: string;
}

const REASONS: ReadonlySet<string> = new Set<string>(CRL_REASONS);

/** Signs, caches and re-signs the issuer's CRLs (see the file comment). One per app. */
export class CrlPublisher {
  readonly #deps: IssuerDeps;
  readonly #cache = new Map<string, Cached>();
  readonly #inflight = new Map<string, Promise<Cached>>();
  readonly #lastNumber = new Map<string, bigint>();

  constructor(deps: IssuerDeps) {
    this.#deps = deps;
  }

  /** The CRL of one JPKI CA generation and municipality partition (canonical 6-digit code). */
  async jpki(generation: JpkiCaGeneration, partition: string): Promise<PublishedCrl> {
    const statuses = certificateStatusRepositoryOf(this.#deps.store.db);
    const fp = await statuses.fingerprint(generation.name, partition);
    const fingerprint = `${fp.count}:${fp.maxRevokedAt ?? '-'}`;
    return this.#get(`jpki\u0000${generation.name}\u0000${partition}`, fingerprint, async () => {
      const dp = partitionDistributionPoint(generation, partition);
      const rows = await statuses.revoked(generation.name, partition);
      const entries: CrlEntryInput[] = rows.map((r) => ({
        serialNumber: r.serial,
        revocationDate: new Date(r.revokedAt),
        ...(r.reason !== null && REASONS.has(r.reason) ? { reason: r.reason as CrlReason } : {}),
      }));
      return {
        ca: generation.ca,
        entries,
        ...(dp === undefined
          ? {}
          : {
              issuingDistributionPoint: {
                fullName: [{ type: 'directoryName' as const, value: dp.rdns }],
                onlyContainsUserCerts: true,
              },
            }),
      };
    });
  }

  /** The complete CRL of a CA that publishes one at `/ca/<name>.crl`: no entries (see the file comment). */
  async ofCa(ca: SandboxCertificate): Promise<PublishedCrl> {
    return this.#get(`ca\u0000${ca.name}`, 'empty', async () => ({ ca, entries: [] }));
  }

  async #get(
    key: string,
    fingerprint: string,
    content: () => Promise<{
      ca: SandboxCertificate;
      entries: readonly CrlEntryInput[];
      issuingDistributionPoint?: Parameters<typeof createCrlWithSigner>[0]['issuingDistributionPoint'];
    }>,
  ): Promise<PublishedCrl> {
    const now = this.#deps.clock().getTime();
    const cached = this.#cache.get(key);
    if (cached !== undefined && cached.fingerprint === fingerprint && fresh(cached, now)) return cached;
    const flightKey = `${key}\u0000${fingerprint}`;
    const running = this.#inflight.get(flightKey);
    if (running !== undefined) return running;
    const signing = (async () => {
      const c = await content();
      const thisUpdate = new Date(Math.floor(now / 1000) * 1000);
      const nextUpdate = new Date(thisUpdate.getTime() + CRL_VALIDITY_MS);
      const last = this.#lastNumber.get(key) ?? 0n;
      const crlNumber = BigInt(now) > last ? BigInt(now) : last + 1n;
      const der = await createCrlWithSigner({
        issuer: { certificate: c.ca.certificate, signer: c.ca.signer },
        thisUpdate,
        nextUpdate,
        crlNumber,
        entries: c.entries,
        ...(c.issuingDistributionPoint === undefined
          ? {}
          : { issuingDistributionPoint: c.issuingDistributionPoint }),
      });
      this.#lastNumber.set(key, crlNumber);
      const published: Cached = {
        der,
        etag: `"${createHash('sha256').update(der).digest('base64url').slice(0, 27)}"`,
        thisUpdate,
        nextUpdate,
        crlNumber,
        entries: c.entries.length,
        fingerprint,
      };
      this.#cache.delete(key);
      this.#cache.set(key, published);
      while (this.#cache.size > CRL_CACHE_LIMIT) {
        const oldest = this.#cache.keys().next().value;
        if (oldest === undefined) break;
        this.#cache.delete(oldest);
      }
      return published;
    })();
    this.#inflight.set(flightKey, signing);
    try {
      return await signing;
    } finally {
      this.#inflight.delete(flightKey);
    }
  }
}

/** Whether a cached CRL may still be served at `now`: signed no later than now, not near its nextUpdate. */
function fresh(crl: PublishedCrl, now: number): boolean {
  return crl.thisUpdate.getTime() <= now && now < crl.nextUpdate.getTime() - CRL_REISSUE_MARGIN_MS;
}

/** Cache-Control max-age for a CRL served at `now`: at most CRL_MAX_AGE_SECONDS, never past nextUpdate. */
export function crlMaxAgeSeconds(crl: PublishedCrl, now: number): number {
  return Math.max(0, Math.min(CRL_MAX_AGE_SECONDS, Math.floor((crl.nextUpdate.getTime() - now) / 1000)));
}
