/** Data loading with its state. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';

/** The state of a load: the last data, whether a load runs, the last error's code and message. */
export interface Loaded<T> {
  readonly data: T | undefined;
  readonly loading: boolean;
  readonly error: { code: string; message: string } | undefined;
}

/**
 * Runs `load` whenever one of `keys` changes (not at all while `enabled` is false); keeps the previous data
 * while a new load runs and drops answers that arrive after a newer load started.
 */
export function useLoad<T>(load: () => Promise<T>, keys: readonly unknown[], enabled = true): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<Loaded<T>['error']>(undefined);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    if (!enabled) {
      setData(undefined);
      setLoading(false);
      setError(undefined);
      return;
    }
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
        setError(
          e instanceof ApiError
            ? { code: e.code, message: e.message }
            : { code: 'NETWORK', message: e instanceof Error ? e.message : String(e) },
        );
        setLoading(false);
      },
    );
  }, [...keys, enabled]);
  return { data, loading, error };
}
