/** A result page's loading: the answer of `api/…/results/<session>`, or the error's code, and the line saying so. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';

/** The result of `session` once loaded (`undefined` while loading), or the error's code. */
export function useLoadedResult<T>(
  load: (session: string) => Promise<T>,
  session: string,
): T | { error: string } | undefined {
  const [result, setResult] = useState<T | { error: string } | undefined>(undefined);
  useEffect(() => {
    load(session).then(setResult, (e: unknown) =>
      setResult({ error: e instanceof ApiError ? e.code : 'NETWORK' }),
    );
  }, [load, session]);
  return result;
}

/** No such result (the code says why), with the way back to `back`. */
export function NoSuchResult({ error, back }: { error: string; back: string }) {
  return (
    <p class="error" role="alert" data-error={error}>
      この結果はありません <small>no such result</small> (<code>{error}</code>) —{' '}
      <a href={back}>戻る / back</a>
    </p>
  );
}
