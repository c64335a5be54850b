/**
 * A bar chart drawn as SVG by Preact, no chart library: one bar per item, optionally stacked by series,
 * the value written at the bar's end. Horizontal bars keep long Japanese labels readable on a phone.
 */

/** One bar: its label and, per series, its value. */
export interface Bar {
  readonly label: string;
  readonly values: readonly number[];
}

/** A bar chart's props. */
export interface BarChartProps {
  /** What the chart shows (the SVG's accessible name). */
  readonly title: string;
  readonly bars: readonly Bar[];
  /** Names of the stacked series, in the order of `values`. */
  readonly series: readonly string[];
  /** Shown when there is no bar. */
  readonly empty?: string;
}

const COLORS = ['#2f6fdf', '#e0883b', '#3aa17e', '#9b59b6'];
const ROW = 26;
const LABEL_WIDTH = 150;
const WIDTH = 480;
const VALUE_WIDTH = 36;
/** Room for one legend entry (a swatch and about ten characters). */
const LEGEND_STEP = 150;

/** Horizontal, stacked bars with a legend. */
export function BarChart({ title, bars, series, empty = 'データなし (no data)' }: BarChartProps) {
  if (bars.length === 0) return <p class="muted">{empty}</p>;
  const max = Math.max(1, ...bars.map((b) => b.values.reduce((a, v) => a + v, 0)));
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const legend = series.length > 1 ? 22 : 0;
  const height = legend + bars.length * ROW + 4;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={title}
      data-chart={title}
      preserveAspectRatio="xMinYMin meet"
    >
      <title>{title}</title>
      {series.length > 1 &&
        series.map((name, i) => (
          <g key={name} transform={`translate(${i * LEGEND_STEP}, 4)`}>
            <rect width="12" height="12" fill={COLORS[i % COLORS.length]} />
            <text x="16" y="11" class="chart-legend">
              {name}
            </text>
          </g>
        ))}
      {bars.map((bar, row) => {
        const y = legend + row * ROW;
        let x = LABEL_WIDTH;
        const total = bar.values.reduce((a, v) => a + v, 0);
        return (
          <g key={bar.label}>
            <text x={LABEL_WIDTH - 6} y={y + 16} text-anchor="end" class="chart-label">
              {bar.label}
            </text>
            {bar.values.map((v, i) => {
              const w = (v / max) * plot;
              const rect = (
                <rect
                  key={series[i] ?? i}
                  class="bar"
                  x={x}
                  y={y + 4}
                  width={Math.max(0, w)}
                  height={ROW - 8}
                  fill={COLORS[i % COLORS.length]}
                >
                  <title>{`${bar.label} ${series[i] ?? ''}: ${v}`}</title>
                </rect>
              );
              x += w;
              return rect;
            })}
            <text x={x + 4} y={y + 16} class="chart-value">
              {total}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
