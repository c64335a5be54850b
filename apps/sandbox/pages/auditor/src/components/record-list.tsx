/** The records of the range: one button per record with what an auditor scans for. */
import type { DeclaredItem, RecordSummary } from '../api';
import {
  chainName,
  channelLabel,
  japanTime,
  lawLabel,
  outcomeLabel,
  transactionLabel,
  verdictLabel,
} from '../labels';

/** A declared item as text: its Japanese name (or code), and the free text of 「その他」. */
export function declaredText(item: DeclaredItem): string {
  const name = item.name_ja ?? item.code;
  return item.detail === undefined ? name : `${name}(${item.detail})`;
}

function methodText(r: RecordSummary): string {
  return r.method?.letter ? `方法 ${r.method.letter}` : '方法 —';
}

export function RecordList({
  records,
  selected,
  broken,
  onSelect,
}: {
  records: readonly RecordSummary[];
  selected: string | undefined;
  /** The id of the first broken record, marked in the list. */
  broken: string | undefined;
  onSelect: (id: string) => void;
}) {
  if (records.length === 0)
    return (
      <p class="muted" data-empty>
        この期間の記録はありません <small>No records in this range</small>
      </p>
    );
  return (
    <ul class="records">
      {records.map((r) => (
        <li key={r.id}>
          <button
            type="button"
            class={`record${r.id === selected ? ' selected' : ''}${r.id === broken ? ' broken' : ''}`}
            data-record-id={r.id}
            data-verdict={r.verdict ?? ''}
            aria-pressed={r.id === selected}
            onClick={() => onSelect(r.id)}
          >
            <span class="line">
              <span class="method" data-method-letter={r.method?.letter ?? ''}>
                {methodText(r)}
              </span>
              {(r.method?.law ?? r.law) !== null && (
                <span data-law={r.method?.law ?? r.law}>{lawLabel(r.method?.law ?? r.law ?? null)}</span>
              )}
              <span class={`state ${r.verdict ?? 'none'}`}>
                {r.tombstoned ? '消去済み tombstone' : verdictLabel(r.verdict)}
              </span>
              {!r.tombstoned && <span data-outcome={r.outcome ?? ''}>{outcomeLabel(r.outcome)}</span>}
              <time dateTime={r.recordedAt}>{japanTime(r.recordedAt)}</time>
            </span>
            <span class="line small">
              <span>{channelLabel(r.channel)}</span>
              <span>{transactionLabel(r.transactionType)}</span>
              <span class="muted">
                {chainName(r.chainId)} #{r.seq}
              </span>
              {r.legalHold && <span class="badge">保全 hold</span>}
            </span>
            {r.method === null && r.methodReasons.length > 0 && (
              <span class="line small muted" data-method-reasons>
                方法なし <small>No method</small>: {r.methodReasons.join(', ')}
              </span>
            )}
            {(r.transactionPurpose !== null || r.occupation !== null) && (
              <span class="line small declaration" data-declaration>
                {r.transactionPurpose !== null && (
                  <span data-purpose={r.transactionPurpose.code}>
                    取引の目的 <small>Purpose</small>: {declaredText(r.transactionPurpose)}
                  </span>
                )}
                {r.occupation !== null && (
                  <span data-occupation={r.occupation.code}>
                    職業 <small>Occupation</small>: {declaredText(r.occupation)}
                  </span>
                )}
              </span>
            )}
          </button>
        </li>
      ))}
    </ul>
  );
}
