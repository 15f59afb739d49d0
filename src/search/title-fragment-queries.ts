/**
 * Short queries made from paper titles: 2-4 consecutive content words, as people type them
 * ("contrastive ecg pretraining"). The benchmark times them; the live engine calibrates the
 * breadth of hybrid queries on them (hybrid-probe-calibration.ts), since it has no query log.
 */
import { seededRandom } from './seeded-random.js';

const QUERY_STOP = new Set('a an and are as at be by for from in into is it of on or the to with via using based towards toward new'.split(' '));

function contentWords(title: string): string[] {
  return title
    .replace(/\$[^$]*\$/g, ' ')
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((w) => w.length > 1 && !QUERY_STOP.has(w.toLowerCase()));
}

/** `count` queries from titles picked at random (seeded); titles with fewer than two content words are passed over. */
export function titleFragmentQueries(titles: readonly string[], count: number, seed: number): string[] {
  const next = seededRandom(seed);
  const queries: string[] = [];
  if (!titles.some((t) => contentWords(t).length >= 2)) return queries;
  while (queries.length < count) {
    const words = contentWords(titles[Math.floor(next() * titles.length)]!);
    if (words.length < 2) continue;
    const len = Math.min(words.length, 2 + Math.floor(next() * 3));
    const start = Math.floor(next() * (words.length - len + 1));
    queries.push(words.slice(start, start + len).join(' ').toLowerCase());
  }
  return queries;
}
