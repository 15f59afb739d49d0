/**
 * Structured filters that narrow a search (publication date range, category, has-code),
 * compiled once per query into a predicate over dense doc ids, so the query loop tests a few
 * typed-array cells per candidate instead of looking at strings.
 */
import { type DocTable, NO_DAY, dayNumber } from './doc-table.js';

export interface SearchFilter {
  /** Inclusive ISO date (YYYY-MM-DD or timestamp). */
  publishedFrom?: string;
  /** Inclusive ISO date. */
  publishedTo?: string;
  /** Any of these; `cs` also matches `cs.AI` (an archive matches its categories). */
  categories?: readonly string[];
  hasCode?: boolean;
}

export type DocPredicate = (doc: number) => boolean;

export function compileFilter(filter: SearchFilter | undefined, table: DocTable): DocPredicate {
  const live = table.live.array;
  if (!filter || (filter.publishedFrom === undefined && filter.publishedTo === undefined && filter.categories === undefined && filter.hasCode === undefined)) {
    return (doc) => live[doc] === 1;
  }
  const from = filter.publishedFrom !== undefined ? dayNumber(filter.publishedFrom) : NO_DAY;
  const to = filter.publishedTo !== undefined ? dayNumber(filter.publishedTo) : NO_DAY;
  if (filter.publishedFrom !== undefined && from === NO_DAY) throw new RangeError(`publishedFrom is not a date: ${filter.publishedFrom}`);
  if (filter.publishedTo !== undefined && to === NO_DAY) throw new RangeError(`publishedTo is not a date: ${filter.publishedTo}`);
  const dated = filter.publishedFrom !== undefined || filter.publishedTo !== undefined;
  let wanted: Uint8Array | null = null;
  if (filter.categories !== undefined) {
    wanted = new Uint8Array(table.categoryNames.length);
    table.categoryNames.forEach((name, id) => {
      if (filter.categories!.some((c) => name === c || name.startsWith(`${c}.`))) wanted![id] = 1;
    });
  }
  const hasCode = filter.hasCode;
  const day = table.day.array;
  const codes = table.hasCode.array;
  const catStart = table.categoryStart.array;
  const catIds = table.categoryIds.array;
  return (doc) => {
    if (live[doc] !== 1) return false;
    if (dated) {
      const d = day[doc]!;
      if (d === NO_DAY) return false;
      if (filter.publishedFrom !== undefined && d < from) return false;
      if (filter.publishedTo !== undefined && d > to) return false;
    }
    if (hasCode !== undefined && (codes[doc] === 1) !== hasCode) return false;
    if (wanted) {
      let any = false;
      for (let i = catStart[doc]!; i < catStart[doc + 1]!; i++) {
        if (wanted[catIds[i]!] === 1) {
          any = true;
          break;
        }
      }
      if (!any) return false;
    }
    return true;
  };
}
