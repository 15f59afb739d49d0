/**
 * Author names as arXiv sources give them: structured parts (OAI `arXiv` format, snapshot
 * `authors_parsed`) or one free-text string (`arXivRaw`, RSS `dc:creator`) such as
 * "A. Smith, B. Jones, and C. Lee" or "J. Doe (MIT) and R. Roe".
 */
import type { PaperAuthor } from '../domain/paper.js';

/**
 * Builds an author from its parts; the display name is "Forenames Keyname Suffix". Whitespace
 * runs (sources wrap long affiliations) are collapsed so every source yields the same strings.
 */
export function authorFromParts(keyname: string, forenames: string | null, suffix: string | null, affiliations: string[] = []): PaperAuthor {
  const key = collapse(keyname);
  const fore = forenames === null ? '' : collapse(forenames);
  const suf = suffix === null ? '' : collapse(suffix);
  const name = [fore, key, suf].filter((part) => part.length > 0).join(' ');
  const places = affiliations.map(collapse).filter((a) => a.length > 0);
  return { name, keyname: key || null, forenames: fore || null, suffix: suf || null, affiliations: places };
}

/** "(1)", "(1,2)", "(1 and 2)", "(*)": pointers to a footnote block, not affiliations. */
const REFERENCE_MARKS = /^(?:[\d\s,&*†‡]|and)+$/i;
const SUFFIX = /^(?:Jr|Sr|Jnr|Snr)\.?$|^(?:II|III|IV)$/i;

/**
 * Splits a free-text author list on commas, semicolons, " and " and " & " that are not inside
 * parentheses. "(MIT)" after a name becomes an affiliation; reference marks such as "(1)" or a
 * trailing footnote block "((1) MIT, (2) CMU)" are dropped, since they cannot be attached
 * reliably. "Smith, Jr." keeps the suffix with the name before it.
 */
export function parseAuthorList(text: string): PaperAuthor[] {
  const authors: PaperAuthor[] = [];
  for (const segment of splitTopLevel(collapse(text))) {
    const { name, groups } = stripParentheses(segment);
    const cleaned = name.replace(/^(?:and|&)\s+/i, '').trim();
    const affiliations = groups.filter((g) => g.length > 0 && !g.startsWith('(') && !REFERENCE_MARKS.test(g));
    if (cleaned.length === 0) continue;
    const previous = authors.at(-1);
    if (previous && SUFFIX.test(cleaned)) {
      previous.name = `${previous.name} ${cleaned}`;
      continue;
    }
    authors.push({ name: cleaned, affiliations });
  }
  return authors;
}

function splitTopLevel(text: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (depth === 0) {
      if (c === ',' || c === ';') {
        segments.push(text.slice(start, i));
        start = i + 1;
      } else if (c === ' ' && (text.startsWith(' and ', i) || text.startsWith(' & ', i))) {
        segments.push(text.slice(start, i));
        const width = text.startsWith(' and ', i) ? 5 : 3;
        start = i + width;
        i += width - 1;
      }
    }
  }
  segments.push(text.slice(start));
  return segments;
}

/** "J. Doe (MIT) (2)" -> name "J. Doe", groups ["MIT", "2"]. Nested parentheses stay in their group. */
function stripParentheses(segment: string): { name: string; groups: string[] } {
  if (!segment.includes('(')) return { name: segment.trim(), groups: [] };
  const groups: string[] = [];
  let name = '';
  let depth = 0;
  let groupStart = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '(') {
      if (depth === 0) groupStart = i + 1;
      depth++;
    } else if (c === ')' && depth > 0) {
      depth--;
      if (depth === 0) groups.push(segment.slice(groupStart, i).trim());
    } else if (depth === 0) {
      name += c;
    }
  }
  if (depth > 0) groups.push(segment.slice(groupStart).trim());
  return { name: collapse(name), groups };
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
