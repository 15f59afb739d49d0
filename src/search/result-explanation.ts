/**
 * What a hybrid page says about itself: which results match the query's own words and which
 * were found by meaning only (they contain none of its words), and the related words the
 * meaning side brought in ("also matching: cardiac, ECG"): words of the results that are not
 * in the query, that at least two results use, ranked by how strongly the query's (feedback)
 * vector is associated with them. Computed from the page's own texts, so it costs a few
 * analyses per page and shows only words the reader can find in the results.
 */
import type { AnalyzedText, Analyzer } from './tokenizer.js';

export interface ExplainedText {
  key: string;
  /** Title and abstract, raw or already analysed (the engine caches analyses per paper): where related words are taken from. */
  text: string | readonly AnalyzedText[];
  /** Author names (or their terms): they can hold a query word (the lexical index reads them) but are never a related word. */
  authors?: string | ReadonlySet<string>;
}

export interface ResultExplanation {
  /** Keys of the results that contain none of the query's terms. */
  byMeaning: Set<string>;
  /** Related words, as the results write them (most common spelling), best first. */
  related: string[];
}

export const RELATED_WORDS = 5;
/** A related word must appear in this many results of the page. */
const MIN_RESULTS = 2;

export function explainResults(options: {
  analyzer: Analyzer;
  queryTerms: ReadonlySet<string>;
  results: readonly ExplainedText[];
  /** Association of an index term with the query (higher = more related); null: not a candidate. */
  affinity: (term: string) => number | null;
  limit?: number;
}): ResultExplanation {
  const { analyzer, queryTerms } = options;
  const byMeaning = new Set<string>();
  const resultsWith = new Map<string, number>();
  const analysed = options.results.map((result) => (typeof result.text === 'string' ? [analyzer.analyze(result.text)] : result.text));
  // First pass: which terms each result uses (counted once per result), and whether it shares a
  // query word. Spellings are gathered later, for the few terms chosen.
  options.results.forEach((result, i) => {
    const seen = new Set<string>();
    const authorTerms = typeof result.authors === 'string' ? analyzer.terms(result.authors) : result.authors ? [...result.authors] : [];
    let sharesWord = authorTerms.some((t) => queryTerms.has(t));
    for (const analyzed of analysed[i]!) for (const token of analyzed.tokens) {
      if (queryTerms.has(token.term)) {
        sharesWord = true;
        continue;
      }
      if (token.joined || seen.has(token.term) || !isTopical(analyzed.text, token.start, token.end)) continue;
      seen.add(token.term);
      resultsWith.set(token.term, (resultsWith.get(token.term) ?? 0) + 1);
    }
    if (!sharesWord) byMeaning.add(result.key);
  });
  const candidates: { term: string; score: number }[] = [];
  for (const [term, count] of resultsWith) {
    if (count < MIN_RESULTS) continue;
    const score = options.affinity(term);
    if (score !== null && score > 0) candidates.push({ term, score });
  }
  candidates.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1));
  const chosen = candidates.slice(0, options.limit ?? RELATED_WORDS).map(({ term }) => term);
  const spellings = new Map<string, Map<string, number>>(chosen.map((term) => [term, new Map()]));
  if (chosen.length > 0) {
    for (const parts of analysed) for (const analyzed of parts) for (const token of analyzed.tokens) {
      const forms = spellings.get(token.term);
      if (!forms || token.joined || !isTopical(analyzed.text, token.start, token.end)) continue;
      const surface = analyzed.text.slice(token.start, token.end);
      forms.set(surface, (forms.get(surface) ?? 0) + 1);
    }
  }
  const related = chosen.map((term) => mostCommonSpelling(spellings.get(term)!));
  return { byMeaning, related };
}

/** Bare numbers and one- or two-letter words say nothing about a topic. */
function isTopical(text: string, start: number, end: number): boolean {
  if (end - start < 3) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return true;
  }
  return false;
}

/**
 * How the results write a term: the spelling group (case aside) used most, in lower case when
 * the results ever write it so (title case is not a spelling), else as written ("ECG").
 */
function mostCommonSpelling(forms: Map<string, number>): string {
  const groups = new Map<string, { total: number; best: string; bestCount: number }>();
  for (const [form, count] of forms) {
    const lower = form.toLowerCase();
    const g = groups.get(lower) ?? { total: 0, best: form, bestCount: 0 };
    g.total += count;
    if (count > g.bestCount) {
      g.best = form;
      g.bestCount = count;
    }
    groups.set(lower, g);
  }
  let chosen: [string, { total: number; best: string }] | null = null;
  for (const entry of groups) if (!chosen || entry[1].total > chosen[1].total) chosen = entry;
  const [lower, group] = chosen!;
  return forms.has(lower) ? lower : group.best;
}
