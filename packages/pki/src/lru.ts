/**
 * A small bounded cache that keeps recently used entries (the CLOCK approximation of LRU).
 *
 * Why not a Map reordered on every hit (delete + set): V8 leaves a deleted Map entry in its hash chain
 * until the table is rebuilt, so a hot key deleted and set again on every hit drags a chain of its own
 * tombstones — a hit then costs time proportional to the cache size (≈ 9 µs at 4,096 entries), more than
 * what is cached saves. Here a hit only sets a "referenced" bit; when the cache is full, a hand sweeps the
 * slots, clearing set bits and evicting the first entry not used since the hand last passed.
 */
export class LruCache<K, V> {
  private readonly index = new Map<K, number>();
  private readonly keys: K[] = [];
  private readonly values: V[] = [];
  private readonly referenced: Uint8Array;
  private readonly occupied: Uint8Array;
  private readonly free: number[] = [];
  private hand = 0;

  constructor(private readonly max: number) {
    if (!(max >= 1)) throw new RangeError('LruCache needs room for at least one entry');
    this.referenced = new Uint8Array(max);
    this.occupied = new Uint8Array(max);
  }

  get(key: K): V | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    this.referenced[i] = 1;
    return this.values[i];
  }

  set(key: K, value: V): void {
    const existing = this.index.get(key);
    if (existing !== undefined) {
      this.values[existing] = value;
      this.referenced[existing] = 1;
      return;
    }
    let slot: number;
    const reuse = this.free.pop();
    if (reuse !== undefined) slot = reuse;
    else if (this.keys.length < this.max) slot = this.keys.length;
    else slot = this.evict();
    this.keys[slot] = key;
    this.values[slot] = value;
    this.occupied[slot] = 1;
    this.referenced[slot] = 0;
    this.index.set(key, slot);
  }

  delete(key: K): void {
    const i = this.index.get(key);
    if (i === undefined) return;
    this.index.delete(key);
    this.release(i);
    this.free.push(i);
  }

  get size(): number {
    return this.index.size;
  }

  clear(): void {
    this.index.clear();
    this.keys.length = 0;
    this.values.length = 0;
    this.free.length = 0;
    this.referenced.fill(0);
    this.occupied.fill(0);
    this.hand = 0;
  }

  /** Frees the slot of the first entry the hand finds unused since its last pass. */
  private evict(): number {
    for (;;) {
      const h = this.hand;
      this.hand = h + 1 === this.max ? 0 : h + 1;
      if (this.occupied[h] === 0) return h;
      if (this.referenced[h] === 1) {
        this.referenced[h] = 0;
        continue;
      }
      this.index.delete(this.keys[h]!);
      this.release(h);
      return h;
    }
  }

  private release(i: number): void {
    this.occupied[i] = 0;
    this.referenced[i] = 0;
    // Drop the references so that evicted values can be collected.
    this.keys[i] = undefined as K;
    this.values[i] = undefined as V;
  }
}
