/**
 * What search shows of a paper, worked out once per paper version instead of once per request:
 * title and abstract as plain text (TeX converted) and analysed into index terms with offsets,
 * which both the highlighted snippets and the "found by meaning" explanation read, and the
 * author names' terms. A bounded LRU keyed by arXiv id and change sequence, so an edited paper
 * is analysed afresh and memory stays flat (about 15 KB a paper).
 */
import { texPlain } from '../../domain/tex-segments.js';
import type { Paper } from '../../domain/paper.js';
import type { Analyzer, AnalyzedText } from '../../search/tokenizer.js';

export interface PaperTexts {
  title: AnalyzedText;
  abstract: AnalyzedText;
  authorTerms: ReadonlySet<string>;
}

export interface PaperTextCache {
  get(paper: Paper): PaperTexts;
  readonly size: number;
}

export function createPaperTextCache(analyzer: Analyzer, maxEntries = 2_000): PaperTextCache {
  const entries = new Map<string, PaperTexts>();
  return {
    get(paper) {
      const key = `${paper.arxivId}@${paper.changeSeq}`;
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const texts: PaperTexts = {
        title: analyzer.analyze(texPlain(paper.title)),
        abstract: analyzer.analyze(texPlain(paper.abstract)),
        authorTerms: new Set(analyzer.terms(paper.authors.map((a) => a.name).join(', '))),
      };
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, texts);
      return texts;
    },
    get size() {
      return entries.size;
    },
  };
}
