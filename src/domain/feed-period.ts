/**
 * The periods a feed can show: one UTC day (`2012-03-15`), an ISO week (`2012-W11`) or a calendar
 * month (`2012-03`). Parsing is strict (`2025-13-45` and `2012-W54` are rejected with a message
 * that names the field), and every period knows its first and last day and its neighbours, so
 * pages and the API navigate the same way. Pure functions over civil dates.
 */
import { ValidationError } from './errors.js';
import { addDays, isIsoDate, isoMonday, isoWeekLabel, mondayOfIsoWeek } from './civil-date.js';

export type PeriodKind = 'day' | 'week' | 'month';

export interface FeedPeriod {
  readonly kind: PeriodKind;
  /** `2012-03-15`, `2012-W11` or `2012-03`. */
  readonly label: string;
  /** First day, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last day (inclusive), `YYYY-MM-DD`. */
  readonly to: string;
}

const WEEK_RE = /^(\d{4})-W(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function dayPeriod(date: string): FeedPeriod {
  return { kind: 'day', label: date, from: date, to: date };
}

export function weekPeriodOf(date: string): FeedPeriod {
  const monday = isoMonday(date);
  return { kind: 'week', label: isoWeekLabel(monday), from: monday, to: addDays(monday, 6) };
}

export function monthPeriodOf(date: string): FeedPeriod {
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  const from = `${date.slice(0, 7)}-01`;
  const next = m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${date.slice(0, 4)}-${pad(m + 1)}-01`;
  return { kind: 'month', label: date.slice(0, 7), from, to: addDays(next, -1) };
}

/** The period of `kind` that contains `date`. */
export function periodContaining(kind: PeriodKind, date: string): FeedPeriod {
  return kind === 'day' ? dayPeriod(date) : kind === 'week' ? weekPeriodOf(date) : monthPeriodOf(date);
}

/**
 * Parses a period label of the given kind.
 * @throws ValidationError naming `field` when the label is malformed or not a real date.
 */
export function parsePeriod(kind: PeriodKind, label: string, field: string = kind === 'day' ? 'date' : kind): FeedPeriod {
  const fail = (expected: string): never => {
    throw new ValidationError(`"${label.slice(0, 40)}" is not a valid ${field} (expected ${expected}).`, { field });
  };
  if (label.length > 16) fail('a shorter value');
  if (kind === 'day') {
    if (!isIsoDate(label)) fail('a real calendar date as YYYY-MM-DD, e.g. 2012-03-15');
    return dayPeriod(label);
  }
  if (kind === 'week') {
    const m = WEEK_RE.exec(label);
    if (!m || Number(m[2]) < 1) fail('an ISO week as YYYY-Www, e.g. 2012-W11');
    const monday = mondayOfIsoWeek(label);
    // Week 53 exists only in some years: the Monday it names must belong to that same week label.
    if (isoWeekLabel(monday) !== label) fail(`an ISO week that exists in ${label.slice(0, 4)}`);
    return weekPeriodOf(monday);
  }
  const m = MONTH_RE.exec(label);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) fail('a month as YYYY-MM, e.g. 2012-03');
  return monthPeriodOf(`${label}-01`);
}

/** The period of the same kind just before `p`. */
export function feedPeriodBefore(p: FeedPeriod): FeedPeriod {
  return periodContaining(p.kind, addDays(p.from, -1));
}

/** The period of the same kind just after `p`. */
export function feedPeriodAfter(p: FeedPeriod): FeedPeriod {
  return periodContaining(p.kind, addDays(p.to, 1));
}

/** Every day of the period, oldest first. */
export function daysOf(p: FeedPeriod): string[] {
  const out: string[] = [];
  for (let d = p.from; d <= p.to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** A human title: "Thursday, 15 March 2012", "Week 11 of 2012 (12–18 March)", "March 2012". */
export function describePeriod(p: FeedPeriod): string {
  const fmt = (d: string, options: Intl.DateTimeFormatOptions) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { timeZone: 'UTC', ...options });
  if (p.kind === 'day') return fmt(p.from, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  if (p.kind === 'month') return fmt(p.from, { month: 'long', year: 'numeric' });
  const week = Number(p.label.slice(6));
  return `Week ${week} of ${p.label.slice(0, 4)} (${fmt(p.from, { day: 'numeric', month: 'short' })} – ${fmt(p.to, { day: 'numeric', month: 'short', year: 'numeric' })})`;
}
