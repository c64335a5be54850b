/** The day-range search (Japan days). */
import { useEffect, useState } from 'preact/hooks';

export interface Range {
  readonly from: string;
  readonly to: string;
}

/** Two dates and a button; `onSearch` gets the range when submitted. */
export function RangeForm({ range, onSearch }: { range: Range | undefined; onSearch: (r: Range) => void }) {
  const [from, setFrom] = useState(range?.from ?? '');
  const [to, setTo] = useState(range?.to ?? '');
  useEffect(() => {
    if (range === undefined) return;
    setFrom(range.from);
    setTo(range.to);
  }, [range?.from, range?.to]);
  return (
    <form
      class="range"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch({ from, to });
      }}
    >
      <label>
        <span>
          開始日 <small>From (JST)</small>
        </span>
        <input
          type="date"
          name="from"
          value={from}
          required
          onInput={(e) => setFrom((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        <span>
          終了日 <small>To (JST)</small>
        </span>
        <input
          type="date"
          name="to"
          value={to}
          required
          onInput={(e) => setTo((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit">表示 Show</button>
    </form>
  );
}
