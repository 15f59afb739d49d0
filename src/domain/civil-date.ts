/**
 * Civil dates (`YYYY-MM-DD`, proleptic Gregorian, no time zone) and ISO weeks: the one calendar
 * that feed periods, digest periods and date filters all count with. Pure functions.
 */

const DAY_MS = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDate(date: string): [number, number, number] {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: "${date}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** True for a real calendar date in `YYYY-MM-DD` form. */
export function isIsoDate(date: string): boolean {
  const m = DATE_RE.exec(date);
  if (!m) return false;
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return t.getUTCFullYear() === Number(m[1]) && t.getUTCMonth() === Number(m[2]) - 1 && t.getUTCDate() === Number(m[3]);
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date);
  const t = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS);
  return formatDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** 1 = Monday ... 7 = Sunday. */
function isoWeekday(date: string): number {
  const [y, m, d] = parseDate(date);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/** The Monday of the ISO week containing `date`. */
export function isoMonday(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** ISO 8601 week label, e.g. `2024-W13` (the week-year can differ from the calendar year). */
export function isoWeekLabel(date: string): string {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const [year] = parseDate(thursday);
  const jan1 = Date.UTC(year, 0, 1);
  const [ty, tm, td] = parseDate(thursday);
  const week = Math.floor((Date.UTC(ty, tm - 1, td) - jan1) / (7 * DAY_MS)) + 1;
  return `${year}-W${pad(week)}`;
}

/** The Monday of ISO week `2024-W13`. */
export function mondayOfIsoWeek(label: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) throw new RangeError(`not an ISO week: "${label}"`);
  // January 4th is always in week 1.
  const week1Monday = isoMonday(`${m[1]}-01-04`);
  return addDays(week1Monday, (Number(m[2]) - 1) * 7);
}
