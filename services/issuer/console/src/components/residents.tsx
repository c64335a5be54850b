/**
 * Finding a resident and looking at them: the register is fetched page by page and searched here, in the
 * page (a name never goes into a URL); the chosen resident's card, installations (phones) and credentials
 * with their states, their life events, and the form that records a new one.
 */
import { useMemo, useState } from 'preact/hooks';
import {
  api,
  type LifeEvent,
  type LifeEventRule,
  type Resident,
  type ResidentDetail,
  type ResidentInstallations,
} from '../api';
import { useLoad } from '../hooks';
import { eventLabel, fieldLabel, jst, kindLabel, reasonLabel, stateLabel } from '../labels';
import { Spinner } from './progress';

/** Pages of 1000 read at most: the sandbox register is small; a bigger one needs a server-side search. */
const MAX_PAGES = 10;

async function loadRegister(): Promise<{ residents: Resident[]; complete: boolean }> {
  const residents: Resident[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const q = after === undefined ? 'limit=1000' : `limit=1000&after=${encodeURIComponent(after)}`;
    const r = await api<{ residents: Resident[]; next?: string }>(`residents?${q}`);
    residents.push(...r.residents);
    if (r.next === undefined) return { residents, complete: true };
    after = r.next;
  }
  return { residents, complete: false };
}

/** Lower-case, NFKC: full-width and half-width letters and kana compare equal. */
const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** The search box and the matching residents. */
export function ResidentFinder({
  selected,
  onSelect,
  refreshKey,
}: {
  selected: string | undefined;
  onSelect: (id: string) => void;
  refreshKey: number;
}) {
  const register = useLoad(loadRegister, [refreshKey]);
  const [query, setQuery] = useState('');
  const matches = useMemo(() => {
    const all = register.data?.residents ?? [];
    const q = fold(query);
    if (q === '') return all;
    return all.filter((r) =>
      [r.id, r.fullName, r.fullNameKana ?? '', r.municipalityName, r.address].some((f) =>
        fold(f).includes(q),
      ),
    );
  }, [register.data, query]);

  return (
    <section class="card" aria-labelledby="finder-h">
      <h2 id="finder-h">
        住民検索 <small>Find a resident</small>
      </h2>
      <label>
        氏名・カナ・ID・住所 Name, kana, id or address
        <input
          type="search"
          name="resident-search"
          autocomplete="off"
          value={query}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
        />
      </label>
      {register.loading && register.data === undefined && <Spinner />}
      {register.error && <p class="error">{register.error}</p>}
      {register.data && (
        <p class="muted">
          {matches.length} / {register.data.residents.length} 人 residents
          {!register.data.complete && '（先頭のみ first pages only）'}
        </p>
      )}
      <ul class="resident-list">
        {matches.slice(0, 200).map((r) => (
          <li key={r.id}>
            <button
              type="button"
              class={r.id === selected ? 'resident selected' : 'resident'}
              data-resident-id={r.id}
              onClick={() => onSelect(r.id)}
            >
              <span class="name">{r.fullName}</span>
              <span class="muted small">
                {r.municipalityName} · {r.id}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

const SEX: ReadonlyMap<number, string> = new Map([
  [1, '男 male'],
  [2, '女 female'],
  [3, '不明 unknown'],
  [9, '適用不能 n/a'],
]);

/** The chosen resident: card, phones, credentials, life events and the life-event form. */
export function ResidentPanel({
  residentId,
  rules,
  onRecorded,
  refreshKey,
}: {
  residentId: string;
  rules: readonly LifeEventRule[] | undefined;
  onRecorded: (event: LifeEvent) => void;
  refreshKey: number;
}) {
  const detail = useLoad(
    () => api<ResidentDetail>(`residents/${encodeURIComponent(residentId)}`),
    [residentId, refreshKey],
  );
  const installs = useLoad(
    () => api<ResidentInstallations>(`residents/${encodeURIComponent(residentId)}/installations`),
    [residentId, refreshKey],
  );
  const events = useLoad(
    () =>
      api<{ lifeEvents: LifeEvent[] }>(`life-events?residentId=${encodeURIComponent(residentId)}&limit=10`),
    [residentId, refreshKey],
  );
  const r = detail.data?.resident;

  return (
    <section class="card" aria-labelledby="resident-h" data-resident={residentId}>
      <h2 id="resident-h">
        住民 <small>Resident</small> {detail.loading && <Spinner />}
      </h2>
      {detail.error && <p class="error">{detail.error}</p>}
      {r && (
        <dl class="facts">
          <dt>氏名 Name</dt>
          <dd class="resident-name">
            {r.fullName}
            {r.fullNameKana && <span class="muted small"> （{r.fullNameKana}）</span>}
          </dd>
          <dt>生年月日 Born</dt>
          <dd>{r.birthDate}</dd>
          <dt>性別 Sex</dt>
          <dd>{SEX.get(r.sex) ?? r.sex}</dd>
          <dt>住所 Address</dt>
          <dd>{r.address}</dd>
          <dt>市区町村 Municipality</dt>
          <dd>
            {r.municipalityName} ({r.municipalityCode})
          </dd>
          <dt>ID</dt>
          <dd>
            <code>{r.id}</code>
          </dd>
        </dl>
      )}

      {detail.data && (
        <>
          <h3>
            カード <small>Cards</small>
          </h3>
          <ul class="plain">
            {detail.data.cards.map((c) => (
              <li key={c.id}>
                <span class={`state ${c.state}`}>{stateLabel(c.state)}</span> No. <code>{c.cardNumber}</code>{' '}
                ·{' '}
                {c.signatureCertificate ? '署名用あり with signature cert.' : '署名用なし no signature cert.'}{' '}
                · 有効期限 expires {jst(c.expiresAt)}
                {c.revokedAt && ` · 失効 revoked ${jst(c.revokedAt)}`}
              </li>
            ))}
          </ul>
        </>
      )}

      <h3>
        端末と証明書 <small>Phones and credentials</small>
      </h3>
      {installs.error && <p class="error">{installs.error}</p>}
      {installs.data && installs.data.installations.length === 0 && (
        <p class="muted">インストールなし No installation yet.</p>
      )}
      {installs.data?.installations.map((inst) => (
        <div class="installation" key={inst.id} data-installation-state={inst.state}>
          <p>
            <span class={`state ${inst.state}`}>{stateLabel(inst.state)}</span>{' '}
            {inst.family === 'iphone' ? 'iPhone' : 'Android'} · 開始 started {jst(inst.createdAt)}
            {inst.completedAt && ` · 完了 completed ${jst(inst.completedAt)}`}
          </p>
          <table class="credentials">
            <thead>
              <tr>
                <th>種類 Kind</th>
                <th>状態 State</th>
                <th>失効理由 Reason</th>
                <th>状態リスト/CRL Status</th>
              </tr>
            </thead>
            <tbody>
              {inst.credentials.map((c) => (
                <tr key={c.id} data-credential-id={c.id} data-credential-state={c.state}>
                  <td>{kindLabel(c.kind)}</td>
                  <td>
                    <span class={`state ${c.state}`}>{stateLabel(c.state)}</span>
                  </td>
                  <td>
                    {c.revocationReason ? reasonLabel(c.revocationReason) : '—'}
                    {c.revokedAt && <div class="muted small">{jst(c.revokedAt)}</div>}
                  </td>
                  <td class="small">
                    {c.statusList && `list ${c.statusList.partition} #${c.statusList.index}`}
                    {c.crlPartition && `CRL ${c.crlPartition}`}
                    {c.serial && <div class="muted">serial {c.serial.slice(0, 12)}…</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {inst.notices.length > 0 && (
            <div class="notices" data-notices={inst.notices.length}>
              <p class="small">
                電話への通知 <small>Notices to the phone</small>
              </p>
              <ul class="plain small">
                {inst.notices.map((n) => (
                  <li key={n.seq} data-notice-kind={n.kind}>
                    #{n.seq} {noticeLabel(n.kind)} · {jst(n.at)}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      ))}

      <LifeEventForm residentId={residentId} rules={rules} onRecorded={onRecorded} />

      <h3>
        ライフイベント履歴 <small>Life events</small>
      </h3>
      {events.data && events.data.lifeEvents.length === 0 && <p class="muted">なし None.</p>}
      <ul class="plain">
        {events.data?.lifeEvents.map((e) => (
          <li key={e.id}>
            {jst(e.recordedAt)} · {eventLabel(e.event)} · 失効 revoked {e.revoked.length}
            {e.reinstated.length > 0 && ` · 回復 reinstated ${e.reinstated.length}`}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Placeholders of the register facts an event changes; numeric ones get a numeric keyboard on a phone. */
const FIELD_INPUT: ReadonlyMap<string, { numeric: boolean; placeholder: string }> = new Map([
  ['fullName', { numeric: false, placeholder: '番号\u3000花子' }],
  ['fullNameKana', { numeric: false, placeholder: 'バンゴウ\u3000ハナコ' }],
  ['address', { numeric: false, placeholder: '東京都千代田区…' }],
  ['municipalityCode', { numeric: true, placeholder: '131016' }],
  ['municipalityName', { numeric: false, placeholder: '千代田区' }],
  ['sex', { numeric: true, placeholder: '1, 2, 3, 9' }],
  ['birthDate', { numeric: false, placeholder: 'YYYY-MM-DD' }],
]);

/** Choose an event, see what its rule does, give the changed facts, record it; show what it revoked. */
function LifeEventForm({
  residentId,
  rules,
  onRecorded,
}: {
  residentId: string;
  rules: readonly LifeEventRule[] | undefined;
  onRecorded: (event: LifeEvent) => void;
}) {
  const [event, setEvent] = useState('addressChanged');
  const [values, setValues] = useState<Map<string, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<LifeEvent | undefined>(undefined);
  const rule = rules?.find((r) => r.event === event);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || rule === undefined) return;
    const changes: Record<string, string | number> = {};
    for (const field of rule.changes) {
      const v = values.get(field)?.trim() ?? '';
      if (v === '') continue;
      changes[field] = field === 'sex' ? Number(v) : v;
    }
    setBusy(true);
    setError(undefined);
    try {
      const recorded = await api<LifeEvent>('life-events', {
        method: 'POST',
        body: { residentId, event, ...(rule.changes.length > 0 ? { changes } : {}) },
      });
      setResult(recorded);
      setValues(new Map());
      onRecorded(recorded);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="life-event" onSubmit={submit} aria-labelledby="life-event-h">
      <h3 id="life-event-h">
        ライフイベントの記録 <small>Record a life event</small>
      </h3>
      {rules === undefined && <Spinner />}
      <label>
        イベント Event
        <select
          name="event"
          value={event}
          onChange={(e) => {
            setEvent((e.target as HTMLSelectElement).value);
            setResult(undefined);
          }}
        >
          {(rules ?? []).map((r) => (
            <option key={r.event} value={r.event}>
              {eventLabel(r.event)}
            </option>
          ))}
        </select>
      </label>
      {rule && (
        <div class="rule">
          <p class="small">
            {rule.legalBasis.ja}
            <br />
            <span class="muted">{rule.legalBasis.en}</span>
          </p>
          <p class="small">
            {rule.action === 'reinstate' ? '回復 Reinstates' : '失効 Revokes'}:{' '}
            {(['mdoc', 'jpki-sign', 'jpki-auth'] as const)
              .filter((k) => rule.revokes[k] !== null)
              .map((k) => `${kindLabel(k)} — ${reasonLabel(rule.revokes[k] as string)}`)
              .join(' / ') || 'なし none'}
            {rule.endsCard && ' · カードも失効 the card ends too'}
          </p>
        </div>
      )}
      {rule?.changes.map((field) => {
        const input = FIELD_INPUT.get(field) ?? { numeric: false, placeholder: '' };
        return (
          <label key={field}>
            新しい{fieldLabel(field)} (new)
            <input
              name={`change-${field}`}
              type="text"
              inputMode={input.numeric ? 'numeric' : 'text'}
              placeholder={input.placeholder}
              autocomplete="off"
              value={values.get(field) ?? ''}
              onInput={(e) => {
                const next = new Map(values);
                next.set(field, (e.target as HTMLInputElement).value);
                setValues(next);
              }}
            />
          </label>
        );
      })}
      <button type="submit" disabled={busy || rule === undefined}>
        {busy ? '記録中… Recording…' : '記録する Record'}
      </button>
      {error && <p class="error">{error}</p>}
      {result && (
        <div class="result" data-life-event-id={result.id}>
          <p>
            <strong>{eventLabel(result.event)}</strong> を記録しました recorded · {jst(result.recordedAt)}
          </p>
          <p>
            失効した証明書 Revoked:{' '}
            <strong data-revoked-count={result.revoked.length}>{result.revoked.length}</strong>
          </p>
          <ul class="plain revoked">
            {result.revoked.map((c) => (
              <li key={c.id} data-revoked-kind={c.kind}>
                {kindLabel(c.kind)} — {reasonLabel(c.reason)}
              </li>
            ))}
          </ul>
          {result.reinstated.length > 0 && (
            <p>回復 Reinstated: {result.reinstated.map((c) => kindLabel(c.kind)).join(', ')}</p>
          )}
          {result.endedCardId && <p>カード失効 Card ended.</p>}
          {result.changedFields.length > 0 && (
            <p class="small">変更 Changed: {result.changedFields.map(fieldLabel).join(', ')}</p>
          )}
        </div>
      )}
    </form>
  );
}

const NOTICE_LABELS = new Map([
  ['credential.revoked', '失効 revoked'],
  ['credential.suspended', '一時停止 suspended'],
  ['credential.reinstated', '停止解除 reinstated'],
  ['installation.superseded', '別の端末へ移行 superseded by another phone'],
]);

/** A notice kind in Japanese with its English name. */
function noticeLabel(kind: string): string {
  return NOTICE_LABELS.get(kind) ?? kind;
}
