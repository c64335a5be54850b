/**
 * Tells the parts of one issuer process that statuses changed, right after the transaction that changed
 * them committed: the status-list publisher re-signs the touched partitions, the notices stream wakes the
 * phones concerned. It carries identifiers only, never personal data.
 *
 * The hub is an in-process shortcut, not the source of truth: every listener must also find the change in
 * the database on its own (the partition's `version`, the installation's `notices`), because another
 * instance behind the same load balancer may have made it.
 */

/** What one committed transaction changed. */
export interface StatusesChanged {
  /** The resident whose credentials changed. */
  readonly residentId: string;
  /** Installations (phones) with a new notice. */
  readonly installationIds: readonly string[];
  /** Token Status List partitions whose `version` was bumped. */
  readonly statusListPartitions: readonly number[];
  /** CRL partitions touched: the issuing certificate's name and the municipality code. */
  readonly crlPartitions: readonly { readonly issuerCertificate: string; readonly crlPartition: string }[];
  /** The commit's instant (epoch ms). */
  readonly at: number;
}

/** A listener; it must not throw (a throw is swallowed, the others still run). */
export type StatusesChangedListener = (change: StatusesChanged) => void;

/** At most this many listeners: one per subsystem and per open notices stream of this process. */
export const MAX_HUB_LISTENERS = 10_000;

/** The in-process fan-out of committed status changes. */
export class RevocationHub {
  readonly #listeners = new Set<StatusesChangedListener>();

  /** Adds a listener; the returned function removes it. Throws RangeError past MAX_HUB_LISTENERS. */
  on(listener: StatusesChangedListener): () => void {
    if (this.#listeners.size >= MAX_HUB_LISTENERS) throw new RangeError('too many revocation hub listeners');
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Calls every listener with `change`; call it only after the change committed. */
  emit(change: StatusesChanged): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch {
        // A listener's failure is its own: the commit stands and the others still hear of it.
      }
    }
  }

  /** How many listeners are attached (for tests and the console). */
  get size(): number {
    return this.#listeners.size;
  }
}
