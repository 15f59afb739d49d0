/**
 * Date formats arXiv sources use, normalised to ISO 8601 UTC without milliseconds
 * (`2007-04-02T19:18:42Z`), the form the Atom API already uses, so the same instant from two
 * sources compares equal.
 */

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

// `Tue, 3 Apr 2007 22:04:11 GMT` (arXivRaw, snapshot) and `Mon, 27 Apr 2026 00:00:00 -0400` (RSS).
const RFC_2822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:(GMT|UTC?|Z)|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Parses an RFC 2822 date as arXiv writes it. Returns null when the text is not one, so a
 * malformed date loses that date only, not the record.
 */
export function rfc2822ToIso(text: string): string | null {
  const m = RFC_2822.exec(text.trim());
  if (!m) return fallbackToIso(text);
  const [, day, mon, year, hour, minute, second, , sign, offH, offM] = m;
  const month = MONTHS[(mon ?? '').toLowerCase()];
  if (month === undefined) return null;
  let ms = Date.UTC(Number(year), month, Number(day), Number(hour), Number(minute), Number(second ?? 0));
  if (sign) ms -= (sign === '-' ? -1 : 1) * (Number(offH) * 60 + Number(offM)) * 60_000;
  const date = new Date(ms);
  // Date.UTC rolls 31 Feb over into March; a date that does not exist is not a date.
  if (Number.isNaN(ms) || (!sign && date.getUTCDate() !== Number(day))) return null;
  return isoSeconds(date);
}

/** Normalises an ISO 8601 timestamp with an offset to UTC; a bare date (`2007-03-30`) stays a date. */
export function isoTimestamp(text: string): string | null {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return trimmed;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(trimmed)) return null;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? null : isoSeconds(new Date(ms));
}

function fallbackToIso(text: string): string | null {
  // Named zones such as `EST` are rare enough to leave to the engine's parser.
  if (!/^[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s/.test(text.trim())) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : isoSeconds(new Date(ms));
}

function isoSeconds(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
