/**
 * One writer's appends to one record chain, one after another within this process.
 *
 * A chain belongs to a (relying party, writer) pair and every verifier instance writes with its own writer
 * id (records/record-chains.ts), so the only appends that race for a chain's next `seq` are the concurrent
 * requests of one instance. On SQLite they never race (one connection runs one transaction at a time); on
 * PostgreSQL each request has its own connection, and under load the losers of the compare-and-set on
 * `seq` retried as a herd until some gave up with VERIFIER_RECORD_CONFLICT (3.5 % of the verifications of
 * 8 concurrent requests in `npm run bench verifier-http`). Queuing them per chain before the transaction
 * opens makes every append read the committed head of the one before: no lost compare-and-set, no retry,
 * and the transaction still holds no lock that another chain waits for. The compare-and-set stays as the
 * guard for two instances misconfigured with one writer id.
 */
export class ChainAppendQueue {
  /** chain id → the settling of the last append queued for it. */
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `append` once every append queued before it for `chainId` has settled. */
  run<T>(chainId: string, append: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(chainId);
    const result = before === undefined ? append() : before.then(append);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(chainId, tail);
    // Forget the chain once its queue is empty, so that the map holds only chains with appends in flight.
    void tail.then(() => {
      if (this.#tails.get(chainId) === tail) this.#tails.delete(chainId);
    });
    return result;
  }

  /** Chains with appends in flight (for tests). */
  get size(): number {
    return this.#tails.size;
  }
}

const queues = new WeakMap<object, ChainAppendQueue>();

/** The queue of the store `store` (one per store object: two stores in one process never share one). */
export function chainAppendQueueOf(store: object): ChainAppendQueue {
  let queue = queues.get(store);
  if (queue === undefined) {
    queue = new ChainAppendQueue();
    queues.set(store, queue);
  }
  return queue;
}
