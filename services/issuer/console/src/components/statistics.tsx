/** GET /statistics as SVG bar charts: installations per day and family, revocations, credentials in force. */
import { api, type Statistics } from '../api';
import { useLoad } from '../hooks';
import { reasonLabel, shortKindLabel } from '../labels';
import { type Bar, BarChart } from './bar-chart';
import { Spinner } from './progress';

const FAMILIES = ['iphone', 'android'] as const;
const KINDS = ['mdoc', 'jpki-sign', 'jpki-auth'] as const;

/** Installations per day with any, stacked by family. */
function installationBars(s: Statistics): Bar[] {
  const days = new Map<string, number[]>();
  for (const row of s.installations) {
    const values = days.get(row.day) ?? [0, 0];
    values[FAMILIES.indexOf(row.family)] = (values[FAMILIES.indexOf(row.family)] ?? 0) + row.count;
    days.set(row.day, values);
  }
  return [...days]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, values]) => ({ label: day.slice(5), values }));
}

/** Revocations per reason, stacked by kind. */
function revocationBars(s: Statistics): Bar[] {
  const reasons = new Map<string, number[]>();
  for (const row of s.revocations) {
    const values = reasons.get(row.reason) ?? [0, 0, 0];
    const i = KINDS.indexOf(row.kind);
    if (i >= 0) values[i] = (values[i] ?? 0) + row.count;
    reasons.set(row.reason, values);
  }
  return [...reasons].map(([reason, values]) => ({
    label: reasonLabel(reason).split(' (')[0] ?? reason,
    values,
  }));
}

/** The statistics panel. */
export function StatisticsPanel({ refreshKey }: { refreshKey: number }) {
  const stats = useLoad(() => api<Statistics>('statistics'), [refreshKey]);
  const s = stats.data;
  return (
    <section class="card" aria-labelledby="stats-h">
      <h2 id="stats-h">
        統計 <small>Statistics</small> {stats.loading && <Spinner label="" />}
      </h2>
      {stats.error && <p class="error">{stats.error}</p>}
      {s && (
        <>
          <p class="muted small">
            {s.from} – {s.to} (JST)
          </p>
          <h3>
            有効な証明書 <small>Credentials in force</small>
          </h3>
          <BarChart
            title="有効な証明書 Credentials in force"
            series={['件数 count']}
            bars={KINDS.map((k) => ({
              label: shortKindLabel(k),
              values: [s.activeCredentials.find((a) => a.kind === k)?.count ?? 0],
            }))}
          />
          <h3>
            インストール <small>Installations per day</small>
          </h3>
          <BarChart
            title="インストール Installations per day"
            series={['iPhone', 'Android']}
            bars={installationBars(s)}
          />
          <h3>
            失効 <small>Revocations by reason</small>
          </h3>
          <BarChart
            title="失効 Revocations by reason"
            series={KINDS.map(shortKindLabel)}
            bars={revocationBars(s)}
          />
          <p class="muted small">
            端末変更 Device changes: {s.deviceChanges.reduce((a, d) => a + d.count, 0)}
          </p>
        </>
      )}
    </section>
  );
}
