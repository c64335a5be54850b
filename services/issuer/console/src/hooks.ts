/** Small hooks of the console: data loading with its state, and a timer. */
import { useEffect, useRef, useState } from 'preact/hooks';

/** The state of a load: the last data, whether a load runs, the last error. */
export interface Loaded<T> {
  readonly data: T | undefined;
  readonly loading: boolean;
  readonly error: string | undefined;
  /** Loads again now. */
  readonly reload: () => void;
}

/**
 * Runs `load` now and whenever one of `keys` changes; keeps the previous data while a new load runs (so a
 * refresh does not blank the panel) and drops answers that arrive after a newer load started.
 */
export function useLoad<T>(load: () => Promise<T>, keys: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    load().then(
      (d) => {
        if (mine !== generation.current) return;
        setData(d);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== generation.current) return;
        setError(e instanceof Error ? e.message : String(e));
        setLoading(false);
      },
    );
  }, [...keys, tick]);
  return { data, loading, error, reload: () => setTick((t) => t + 1) };
}

/** Calls `fn` every `ms` while the page is visible. */
export function useInterval(fn: () => void, ms: number): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') saved.current();
    }, ms);
    return () => clearInterval(id);
  }, [ms]);
}
