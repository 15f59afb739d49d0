/**
 * Streams the arXiv OAI metadata snapshot (Kaggle "Cornell-University/arxiv",
 * `arxiv-metadata-oai-snapshot.json`: one JSON object per line, about 3 million lines) into
 * IngestItems. Lines are split by hand from decoded chunks, each bounded in length, so memory
 * stays flat however large the file is; every line is validated before it is mapped.
 */
import { z } from 'zod';
import { ParseError } from '../domain/errors.js';
import { emptyPaperRecord, type IngestItem, type PaperAuthor, type PaperVersion } from '../domain/paper.js';
import { authorFromParts, parseAuthorList } from './author-names.js';
import { rfc2822ToIso } from './arxiv-dates.js';
import { arxivIdWithoutVersion, optionalText, splitCategories } from './field-values.js';
import { decodeUtf8Chunks, type ChunkSource } from './text-chunks.js';

export interface SnapshotJsonlOptions {
  /** Longest accepted line in characters; a longer one is a ParseError. Default 10 MiB. */
  maxLineChars?: number;
}

const DEFAULT_MAX_LINE_CHARS = 10 * 1024 * 1024;

const nullableString = z.string().nullish();

/** One snapshot line. Only what we map is required; other keys are ignored. */
const snapshotLine = z.object({
  id: z.string().min(1),
  submitter: nullableString,
  authors: nullableString,
  title: z.string(),
  comments: nullableString,
  'journal-ref': nullableString,
  doi: nullableString,
  'report-no': nullableString,
  categories: z.string(),
  license: nullableString,
  abstract: z.string(),
  versions: z.array(z.object({ version: z.string(), created: z.string() })).nullish(),
  update_date: nullableString,
  // [keyname, forenames, suffix, ...affiliations]
  authors_parsed: z.array(z.array(z.string())).nullish(),
});

type SnapshotLine = z.infer<typeof snapshotLine>;

/**
 * Parses snapshot JSON lines. Blank lines are skipped. `source` names the file in errors.
 * @throws ParseError naming the source and line number for invalid JSON, a line that fails
 *   validation (naming the field), or a line longer than `maxLineChars`.
 */
export async function* parseSnapshotJsonl(input: ChunkSource, source: string, options: SnapshotJsonlOptions = {}): AsyncGenerator<IngestItem, void, undefined> {
  const maxLineChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  let pending = '';
  let lineNumber = 0;
  for await (const chunk of decodeUtf8Chunks(input)) {
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline !== -1) {
      lineNumber++;
      const piece = chunk.slice(start, newline);
      const text = pending.length === 0 ? piece : pending + piece;
      pending = '';
      if (text.length > maxLineChars) throw tooLong(source, lineNumber, maxLineChars);
      const item = parseLine(text, source, lineNumber);
      if (item !== null) yield item;
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) {
      // Only the new chunk is searched for newlines, so a long line costs linear time, and its
      // length is checked as it grows rather than once it is complete.
      pending = pending.length === 0 ? chunk.slice(start) : pending + chunk.slice(start);
      if (pending.length > maxLineChars) throw tooLong(source, lineNumber + 1, maxLineChars);
    }
  }
  if (pending.length > 0) {
    const item = parseLine(pending, source, lineNumber + 1);
    if (item !== null) yield item;
  }
}

function parseLine(raw: string, source: string, line: number): IngestItem | null {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (text.trim().length === 0) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ParseError(`${source}: line ${line}: invalid JSON (${(error as Error).message})`, { source, line }, error);
  }
  const result = snapshotLine.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') || '(line)';
    throw new ParseError(`${source}: line ${line}: field "${field}": ${issue?.message ?? 'invalid'}`, { source, line, field });
  }
  return mapLine(result.data, source, line);
}

function mapLine(data: SnapshotLine, source: string, line: number): IngestItem {
  const arxivId = arxivIdWithoutVersion(data.id);
  if (arxivId === null) throw new ParseError(`${source}: line ${line}: field "id": "${data.id}" is not an arXiv id`, { source, line, field: 'id' });
  const paper = emptyPaperRecord(arxivId);
  paper.title = data.title.trim();
  paper.abstract = data.abstract.trim();
  paper.authors = authorsOf(data);
  paper.categories = splitCategories(data.categories);
  paper.primaryCategory = paper.categories[0] ?? null;
  paper.doi = optionalText(data.doi);
  paper.journalRef = optionalText(data['journal-ref']);
  paper.comments = optionalText(data.comments);
  paper.license = optionalText(data.license);
  paper.reportNo = optionalText(data['report-no']);
  paper.submitter = optionalText(data.submitter);

  const versions: PaperVersion[] = (data.versions ?? []).map((v, index) => ({
    version: versionNumber(v.version) ?? index + 1,
    submittedAt: rfc2822ToIso(v.created),
  }));
  versions.sort((a, b) => a.version - b.version);
  paper.versions = versions;
  paper.latestVersion = versions.at(-1)?.version ?? null;
  paper.publishedAt = versions[0]?.submittedAt ?? null;
  paper.updatedAt = versions.at(-1)?.submittedAt ?? null;
  // `update_date` is when the metadata last changed (the OAI datestamp), not a version date:
  // for 0704.0001 it is 2008-11-26 while v2 dates from 2007-07-24.
  return { kind: 'paper', paper, datestamp: optionalText(data.update_date) };
}

/** `authors_parsed` when present (it is structured), else the free-text `authors`. */
function authorsOf(data: SnapshotLine): PaperAuthor[] {
  if (data.authors_parsed && data.authors_parsed.length > 0) {
    return data.authors_parsed
      .filter((parts) => (parts[0] ?? '').trim().length > 0 || (parts[1] ?? '').trim().length > 0)
      .map(([keyname = '', forenames = '', suffix = '', ...affiliations]) => authorFromParts(keyname, forenames, suffix, affiliations));
  }
  return parseAuthorList(data.authors ?? '');
}

function versionNumber(text: string): number | null {
  const m = /^v?(\d+)$/i.exec(text.trim());
  return m ? Number(m[1]) : null;
}

function tooLong(source: string, line: number, max: number): ParseError {
  return new ParseError(`${source}: line ${line}: longer than ${max} characters`, { source, line });
}
