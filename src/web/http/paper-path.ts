/**
 * The part of a URL after `/papers/`: an arXiv id, new style (`1203.01234`) or old style with
 * its slash (`math/0611918`), an optional version (`v2`), and for pages an optional `.bib`
 * (BibTeX) or `.md` (Markdown).
 * Anything else is a 400 that says what an id looks like.
 */
import { parseBareArxivId } from '../../domain/arxiv-id.js';
import { ValidationError } from '../../domain/errors.js';

/** `/papers/<rest>`: an arXiv id with optional version, optionally ending in `.bib` or `.md`. */
export function parsePaperPath(rest: string): { id: string; version: number | null; bibtex: boolean; markdown: boolean } {
  let text = rest;
  try {
    text = decodeURIComponent(rest);
  } catch {
    /* keep it raw; it will fail to parse below */
  }
  const bibtex = text.endsWith('.bib');
  if (bibtex) text = text.slice(0, -4);
  const markdown = !bibtex && text.endsWith('.md');
  if (markdown) text = text.slice(0, -3);
  const parsed = text.length <= 40 ? parseBareArxivId(text) : null;
  if (!parsed) throw new ValidationError(`"${text.slice(0, 60)}" is not an arXiv id (expected e.g. 1203.01234, 0704.0002v2 or math/0611918).`, { field: 'arxivId' });
  return { ...parsed, bibtex, markdown };
}
