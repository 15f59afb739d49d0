/**
 * A small inline SVG bar chart of papers per day. Each bar links to its day, carries a <title>
 * for pointer users and an accessible name for screen readers, and the chart as a whole has a
 * text summary, so no script or chart library is needed.
 */
import type { FeedDayCount } from '../../services/reader/feed.types.js';

const WIDTH = 340;
const HEIGHT = 74;
const LABEL = 14;

function shortDay(day: string, many: boolean): string {
  const d = new Date(`${day}T00:00:00Z`);
  return many ? String(d.getUTCDate()) : d.toLocaleDateString('en-GB', { timeZone: 'UTC', weekday: 'short' });
}

export function DayChart(props: { days: FeedDayCount[]; current?: string; caption: string }) {
  const { days } = props;
  if (days.length === 0) return null;
  const max = Math.max(1, ...days.map((d) => d.count));
  const slot = WIDTH / days.length;
  const barWidth = Math.max(2, slot * 0.72);
  const many = days.length > 10;
  const total = days.reduce((n, d) => n + d.count, 0);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + LABEL}`} role="group" aria-label={`${props.caption}: ${total} papers`}>
        {days.map((d, i) => {
          const h = d.count === 0 ? 1 : Math.max(3, (d.count / max) * HEIGHT);
          const x = i * slot + (slot - barWidth) / 2;
          const label = `${d.day}: ${d.count} ${d.count === 1 ? 'paper' : 'papers'}`;
          return (
            <a href={`/date/${d.day}`} aria-label={label}>
              <rect class={d.day === props.current ? 'bar on' : 'bar'} x={x.toFixed(1)} y={(HEIGHT - h).toFixed(1)} width={barWidth.toFixed(1)} height={h.toFixed(1)} rx="2">
                <title>{label}</title>
              </rect>
            </a>
          );
        })}
        {/* Axis labels sit outside the links so each link's name is exactly its label. */}
        <g aria-hidden="true">
          {days.map((d, i) =>
            !many || i % 5 === 0 || i === days.length - 1 ? (
              <text x={(i * slot + slot / 2).toFixed(1)} y={HEIGHT + LABEL - 2} text-anchor="middle">
                {shortDay(d.day, many)}
              </text>
            ) : null,
          )}
        </g>
      </svg>
      <figcaption class="meta">
        {props.caption}: {total} {total === 1 ? 'paper' : 'papers'}, busiest day {max === 1 && total === 0 ? 'none' : `${days.reduce((a, b) => (b.count > a.count ? b : a)).day} (${max})`}.
      </figcaption>
    </figure>
  );
}
