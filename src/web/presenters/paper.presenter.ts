/**
 * Small facts pages, feeds and the API derive from a paper the same way: the author line
 * ("A, B, C et al."), the one-line excerpt, links to arXiv, the PDF and the DOI, the local
 * URL of its page, and dates for humans.
 */
import { arxivAbsUrl, arxivPdfUrl } from '../../domain/arxiv-id.js';
import type { Paper } from '../../domain/paper.js';
import { texPlain } from '../../domain/tex-segments.js';

export const AUTHORS_SHOWN = 3;

export function authorLine(paper: Pick<Paper, 'authors'>, shown = AUTHORS_SHOWN): string {
  const names = paper.authors.map((a) => a.name);
  if (names.length === 0) return 'Unknown authors';
  return names.length > shown + 1 ? `${names.slice(0, shown).join(', ')} et al.` : names.join(', ');
}

/** The first sentence of the abstract as plain text, at most `max` characters. */
export function excerpt(paper: Pick<Paper, 'abstract'>, max = 220): string {
  const text = texPlain(paper.abstract);
  const sentence = /^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
  if (sentence.length <= max) return sentence;
  const cut = sentence.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 30))}…`;
}

export function paperPath(arxivId: string): string {
  return `/papers/${arxivId}`;
}

export function paperLinks(paper: Pick<Paper, 'arxivId' | 'doi'> & { codeUrl?: string | null; projectUrl?: string | null }, version: number | null = null) {
  return {
    abs: arxivAbsUrl(paper.arxivId, version),
    pdf: arxivPdfUrl(paper.arxivId, version),
    doi: paper.doi ? `https://doi.org/${paper.doi}` : null,
    code: paper.codeUrl ?? null,
    project: paper.projectUrl ?? null,
  };
}

/** `2012-03-15` -> `15 Mar 2012`; timestamps keep only their date. */
export function humanDate(iso: string | null): string {
  if (!iso) return 'undated';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
}

/** An ISO 8601 instant ending in `Z` (what the Hugging Face API and feeds expect). */
export function isoInstant(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
