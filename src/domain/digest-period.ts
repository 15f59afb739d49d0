/**
 * Digest periods in the subscriber's local time. A daily digest has one period per local calendar
 * date, a weekly one per ISO week (sent on the subscriber's weekday, Monday unless they chose
 * another); each period is due at the subscriber's local hour. Daylight-saving changes never skip or double a period: the key is the local date, and a
 * local hour that does not exist (spring forward) or exists twice (fall back) resolves to one
 * instant (the first valid instant after a gap, the earlier of two in an overlap — Temporal's
 * "compatible" rule). Pure functions; time zones come from the runtime's IANA database (Intl).
 */

export type Frequency = 'daily' | 'weekly';

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const DEFAULT_WEEKDAY: Weekday = 1;

export const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = { 1: 'Monday', 2: 'Tuesday', 3: 'Wednesday', 4: 'Thursday', 5: 'Friday', 6: 'Saturday', 7: 'Sunday' };

/** A weekday from form or database text (`1`..`7`); null for anything else. */
export function parseWeekday(value: unknown): Weekday | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^[1-7]$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 7 ? (n as Weekday) : null;
}

export interface Schedule {
  readonly frequency: Frequency;
  /** 0..23, wall-clock hour in `timeZone`. */
  readonly localHour: number;
  /** IANA name, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** Weekly digests: the local weekday they go out on (default Monday); daily ones ignore it. */
  readonly weekday?: Weekday;
}

/** Which papers a period's digest covers: publication days `from` <= day < `toExclusive`. */
export interface ContentWindow {
  readonly from: string;
  readonly toExclusive: string;
}

export interface Period {
  /** Stable and unique per subscription: `d:2024-03-31` or `w:2024-W13`. */
  readonly key: string;
  readonly frequency: Frequency;
  /** Local date the digest goes out on (for weekly digests, the chosen weekday of the week), `YYYY-MM-DD`. */
  readonly localDate: string;
  /** The instant the period becomes due. */
  readonly dueAt: Date;
  /** Daily: the previous local day's papers; weekly: the seven days before the send date. */
  readonly content: ContentWindow;
}

/** A source of "now"; injected everywhere so tests can move time. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

import { addDays, formatDate, isIsoDate, isoMonday, isoWeekLabel, mondayOfIsoWeek, parseDate } from './civil-date.js';

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows `timeZone` as an IANA zone (or UTC). */
export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTime(instantMs: number, timeZone: string): Wall {
  const parts = formatter(timeZone).formatToParts(new Date(instantMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** UTC offset of `timeZone` at an instant, in milliseconds (whole seconds). */
export function offsetAt(instantMs: number, timeZone: string): number {
  const w = wallTime(instantMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** Local calendar date (`YYYY-MM-DD`) and hour of an instant in `timeZone`. */
export function localDateTime(instant: Date, timeZone: string): { date: string; hour: number; minute: number } {
  const w = wallTime(instant.getTime(), timeZone);
  return { date: formatDate(w.year, w.month, w.day), hour: w.hour, minute: w.minute };
}

/**
 * The instant of local wall time `date` `hour`:00 in `timeZone`. Inside a spring-forward gap it is
 * the instant the clocks jump to (02:00 in Berlin becomes 03:00 CEST); inside a fall-back overlap
 * it is the first of the two (02:00 CEST, not 02:00 CET).
 */
export function zonedInstant(date: string, hour: number, timeZone: string): Date {
  const [y, m, d] = parseDate(date);
  const wall = Date.UTC(y, m - 1, d, hour);
  // A transition changes the offset at most once within a day on either side.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const valid = [...new Set([before, after])]
    .map((o) => wall - o)
    .filter((t) => offsetAt(t, timeZone) === wall - t)
    .sort((a, b) => a - b);
  return new Date(valid[0] ?? wall - before);
}

// ---- periods ----

/** The period a digest sent on local date `date` belongs to (weekly: that date's ISO week). */
export function periodForLocalDate(schedule: Schedule, date: string): Period {
  if (schedule.frequency === 'daily') {
    return {
      key: `d:${date}`,
      frequency: 'daily',
      localDate: date,
      dueAt: zonedInstant(date, schedule.localHour, schedule.timeZone),
      content: { from: addDays(date, -1), toExclusive: date },
    };
  }
  const monday = isoMonday(date);
  // The key stays the ISO week, whatever the weekday: changing the day mid-week can move the
  // send date but never yields a second digest for the same week.
  const sendDate = addDays(monday, (schedule.weekday ?? DEFAULT_WEEKDAY) - 1);
  return {
    key: `w:${isoWeekLabel(monday)}`,
    frequency: 'weekly',
    localDate: sendDate,
    dueAt: zonedInstant(sendDate, schedule.localHour, schedule.timeZone),
    content: { from: addDays(sendDate, -7), toExclusive: sendDate },
  };
}

export function nextDigestPeriod(schedule: Schedule, period: Period): Period {
  return periodForLocalDate(schedule, addDays(period.localDate, schedule.frequency === 'daily' ? 1 : 7));
}

export function previousDigestPeriod(schedule: Schedule, period: Period): Period {
  return periodForLocalDate(schedule, addDays(period.localDate, schedule.frequency === 'daily' ? -1 : -7));
}

/** The latest period whose due instant is at or before `now`. */
export function currentPeriod(schedule: Schedule, now: Date): Period {
  const p = periodForLocalDate(schedule, localDateTime(now, schedule.timeZone).date);
  return p.dueAt.getTime() <= now.getTime() ? p : previousDigestPeriod(schedule, p);
}

/** The first period due strictly after `after`: where a new or changed subscription starts. */
export function firstPeriodAfter(schedule: Schedule, after: Date): Period {
  const p = periodForLocalDate(schedule, localDateTime(after, schedule.timeZone).date);
  return p.dueAt.getTime() > after.getTime() ? p : nextDigestPeriod(schedule, p);
}

/** Rebuilds a period from its key (`d:` or `w:`) and the subscription's hour and time zone. */
export function periodFromKey(schedule: Schedule, key: string): Period {
  if (key.startsWith('d:') && isIsoDate(key.slice(2))) return periodForLocalDate({ ...schedule, frequency: 'daily' }, key.slice(2));
  if (key.startsWith('w:')) return periodForLocalDate({ ...schedule, frequency: 'weekly' }, mondayOfIsoWeek(key.slice(2)));
  throw new RangeError(`not a period key: "${key}"`);
}
