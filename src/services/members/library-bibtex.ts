/**
 * BibTeX for a member's library: one `@misc` entry per paper in the form arXiv itself uses
 * (eprint, archivePrefix, primaryClass), the member's note as `annote`. Keys are
 * `lastnameYEARword`, made unique within the file.
 */
import type { LibraryEntry } from '../../domain/member.js';

const STOP_WORDS = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'for', 'and', 'to', 'with', 'towards', 'toward', 'via', 'from', 'is', 'are', 'at', 'by']);

function fold(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

function lastName(name: string): string {
  const parts = name.trim().split(/\s+/);
  return parts[parts.length - 1] ?? 'anon';
}

export function citationKey(entry: Pick<LibraryEntry, 'authors' | 'publishedAt' | 'title' | 'arxivId'>): string {
  const author = fold(lastName(entry.authors[0] ?? '')) || 'anon';
  const year = entry.publishedAt?.slice(0, 4) ?? '';
  const word = entry.title.replace(/\$[^$]*\$/g, ' ').split(/[^\p{L}\p{N}]+/u).map(fold).find((w) => w.length > 2 && !STOP_WORDS.has(w)) ?? fold(entry.arxivId);
  return `${author}${year}${word}`;
}

/** Text typed by a person: every character BibTeX or TeX treats specially is escaped. */
export function escapeBibtexText(s: string): string {
  const special: Record<string, string> = { '\\': '\\textbackslash{}', '~': '\\textasciitilde{}', '^': '\\textasciicircum{}' };
  return s
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\~^{}&%$#_]/g, (ch) => special[ch] ?? `\\${ch}`);
}

/** Titles keep their TeX (arXiv titles are TeX); only unbalanced braces would break the file. */
function bibtexTitle(title: string): string {
  const t = title.replace(/\s+/g, ' ').trim();
  let depth = 0;
  for (const ch of t) {
    if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) break;
  }
  return depth === 0 ? t : t.replace(/[{}]/g, (b) => `\\${b}`);
}

export function toBibtex(entries: readonly LibraryEntry[]): string {
  const used = new Map<string, number>();
  return entries
    .map((e) => {
      const base = citationKey(e);
      const n = used.get(base) ?? 0;
      used.set(base, n + 1);
      const key = n === 0 ? base : `${base}${String.fromCharCode(97 + ((n - 1) % 26))}${n > 26 ? n : ''}`;
      const fields: [string, string][] = [
        ['title', `{${bibtexTitle(e.title)}}`],
        ['author', escapeBibtexText(e.authors.join(' and ')) || 'Anonymous'],
        ...(e.publishedAt ? ([['year', e.publishedAt.slice(0, 4)]] as [string, string][]) : []),
        ['eprint', e.arxivId],
        ['archivePrefix', 'arXiv'],
        ...(e.primaryCategory ? ([['primaryClass', e.primaryCategory]] as [string, string][]) : []),
        ...(e.doi ? ([['doi', e.doi]] as [string, string][]) : []),
        ...(e.journalRef ? ([['journal', escapeBibtexText(e.journalRef)]] as [string, string][]) : []),
        ['url', `https://arxiv.org/abs/${e.arxivId}`],
        ...(e.note.trim() ? ([['annote', escapeBibtexText(e.note)]] as [string, string][]) : []),
      ];
      return `@misc{${key},\n${fields.map(([k, v]) => `  ${k} = {${v}}`).join(',\n')}\n}\n`;
    })
    .join('\n');
}
