/** One benchmark figure as written to `bench/results/latest.json`. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** For a ratio: the name of the figure it is measured against. */
  ratio_to?: string;
  /** Free-form context (machine, workload size); never affects comparisons. */
  note?: string;
}

/** Runs `fn` repeatedly for at least `minMs` and returns operations per second. */
export async function opsPerSecond(
  fn: () => unknown | Promise<unknown>,
  minMs = 1500,
  batch = 1,
): Promise<number> {
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < batch; i++) await fn();
    ops += batch;
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}
