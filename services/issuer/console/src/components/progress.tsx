/** The progress bar at the top: shown while a request has been running for more than a moment. */
import { useEffect, useState } from 'preact/hooks';
import { onInFlight } from '../api';

/** Delay before the bar shows, ms: quick answers do not flicker. */
const SHOW_AFTER_MS = 250;

/** An indeterminate progress bar while requests run. */
export function ProgressBar() {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onInFlight((n) => {
      if (n > 0 && timer === undefined) timer = setTimeout(() => setBusy(true), SHOW_AFTER_MS);
      if (n === 0) {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        setBusy(false);
      }
    });
    return () => {
      off();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, []);
  return (
    <div class={busy ? 'progress busy' : 'progress'} role="status" aria-live="polite">
      {busy && <progress aria-label="通信中 Loading" />}
      <span class="sr-only">{busy ? '通信中 Loading' : ''}</span>
    </div>
  );
}

/** An inline "loading" marker for a panel. */
export function Spinner({ label = '読み込み中… Loading…' }: { label?: string }) {
  return (
    <span class="spinner" role="status">
      {label}
    </span>
  );
}
