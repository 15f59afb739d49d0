/** Small conversions of raw field text shared by the arXiv parsers. */
import { splitVersion } from '../domain/arxiv-id.js';

/** Trimmed text, or null when the field is absent or blank (sources write both for "none"). */
export function optionalText(text: string | null | undefined): string | null {
  if (text === undefined || text === null) return null;
  const trimmed = text.trim();
  return trimmed.length > 0 ? trimmed : null;
}

/** A non-negative integer, or null when absent or not a number. */
export function integerOrNull(text: string | null | undefined): number | null {
  const trimmed = text?.trim() ?? '';
  return /^\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/** `"math.CO cs.CG"` -> `["math.CO", "cs.CG"]`, source order kept (the first is the primary). */
export function splitCategories(text: string | null | undefined): string[] {
  if (!text) return [];
  return text.split(/\s+/).filter((c) => c.length > 0);
}

/**
 * `0704.0002`, `0704.0002v3` or `math/0611918` -> the id without version; null when blank or not
 * id-like. An id of a shape we do not know yet (a future scheme) is kept rather than losing the
 * record, but only when it is made of id characters, so it stays safe to put in a URL path.
 */
export function arxivIdWithoutVersion(raw: string): string | null {
  const text = raw.trim();
  if (text.length === 0) return null;
  const parsed = splitVersion(text);
  if (parsed) return parsed.id;
  return /^[A-Za-z0-9][A-Za-z0-9.\/-]{0,63}$/.test(text) ? text.replace(/v\d+$/, '') : null;
}
