/**
 * Streams arXiv API responses (`export.arxiv.org/api/query`, Atom 1.0 with OpenSearch and
 * `arxiv:` extensions) into IngestItems, one per `<entry>`, plus the result counts a caller needs
 * to page through a query. The API reports a bad query as a single entry titled "Error" with an
 * `.../api/errors#...` id; that becomes an UpstreamError instead of a bogus paper.
 */
import { splitVersion } from '../domain/arxiv-id.js';
import { UpstreamError } from '../domain/errors.js';
import { emptyPaperRecord, type IngestItem, type PaperAuthor, type PaperVersion } from '../domain/paper.js';
import { isoTimestamp } from './arxiv-dates.js';
import { integerOrNull, optionalText } from './field-values.js';
import type { ChunkSource } from './text-chunks.js';
import { FieldText, streamXml, type XmlContext, type XmlLimits, type XmlVisitor } from './xml-stream.reader.js';

/** Links an entry carries; PaperRecord has no place for them, so they travel beside it. */
export interface AtomEntryLinks {
  abs: string | null;
  pdf: string | null;
  doi: string | null;
}

export type ArxivAtomEvent =
  /** Sent once, before the first entry (or at the end of an empty feed). Absent counts are null. */
  | { type: 'feed'; totalResults: number | null; startIndex: number | null; itemsPerPage: number | null }
  | { type: 'record'; item: IngestItem; links: AtomEntryLinks };

/**
 * Parses one arXiv API Atom response. `source` names it in errors.
 * @throws ParseError for malformed XML or an entry whose id is not an arXiv abs URL.
 * @throws UpstreamError (`arxiv_api_error`) when the API answered with an error entry.
 */
export function parseArxivAtom(input: ChunkSource, source: string, limits: XmlLimits = {}): AsyncGenerator<ArxivAtomEvent, void, undefined> {
  return streamXml<ArxivAtomEvent>(input, source, (context) => new AtomVisitor(context), limits);
}

/** Leaf elements of an entry whose text we keep (local names; `arxiv:` prefix dropped). */
const ENTRY_TEXT_FIELDS = new Set(['id', 'updated', 'published', 'title', 'summary', 'comment', 'journal_ref', 'doi']);
const FEED_COUNTS = new Set(['totalResults', 'startIndex', 'itemsPerPage']);

interface EntryDraft {
  fields: Map<string, string>;
  authors: PaperAuthor[];
  primaryCategory: string | null;
  categories: string[];
  links: AtomEntryLinks;
}

class AtomVisitor implements XmlVisitor {
  private depth = 0;
  private readonly field: FieldText;
  private capture: string | null = null;
  private captureDepth = -1;
  private readonly counts = new Map<string, number | null>();
  private feedSent = false;
  private entries = 0;
  private entry: EntryDraft | null = null;
  private entryDepth = -1;
  private author: PaperAuthor | null = null;
  private authorDepth = -1;

  constructor(private readonly context: XmlContext<ArxivAtomEvent>) {
    this.field = new FieldText(context);
  }

  recordNumber(): number {
    return this.entries;
  }

  open(name: string, attributes: Readonly<Record<string, string>>): void {
    const depth = this.depth++;
    if (depth === 0) {
      if (name !== 'feed') this.context.fail(`expected an Atom <feed>, found <${name}>`);
      return;
    }
    if (this.capture !== null) return;
    const entry = this.entry;
    if (entry === null) {
      if (name === 'entry') {
        this.sendFeed();
        this.entries++;
        this.entry = { fields: new Map(), authors: [], primaryCategory: null, categories: [], links: { abs: null, pdf: null, doi: null } };
        this.entryDepth = depth;
        this.field.startRecord();
      } else if (depth === 1 && FEED_COUNTS.has(name)) this.startCapture(name, depth);
      return;
    }
    if (this.author !== null) {
      if (name === 'name' || name === 'affiliation') this.startCapture(name, depth);
      return;
    }
    switch (name) {
      case 'author':
        this.author = { name: '', affiliations: [] };
        this.authorDepth = depth;
        return;
      case 'primary_category':
        entry.primaryCategory = attributes['term']?.trim() || null;
        return;
      case 'category': {
        const term = attributes['term']?.trim();
        if (term) entry.categories.push(term);
        return;
      }
      case 'link':
        addLink(entry.links, attributes);
        return;
      default:
        if (ENTRY_TEXT_FIELDS.has(name)) this.startCapture(name, depth);
    }
  }

  text(text: string): void {
    if (this.capture !== null) this.field.append(text, this.capture);
  }

  close(): void {
    const depth = --this.depth;
    if (this.capture !== null) {
      if (depth !== this.captureDepth) return;
      const name = this.capture;
      this.capture = null;
      this.endCapture(name, this.field.take());
      return;
    }
    if (this.author !== null && depth === this.authorDepth) {
      if (this.author.name.length > 0) this.entry?.authors.push(this.author);
      this.author = null;
      this.authorDepth = -1;
    } else if (this.entry !== null && depth === this.entryDepth) {
      const entry = this.entry;
      this.entry = null;
      this.entryDepth = -1;
      this.finishEntry(entry);
    }
  }

  end(): void {
    this.sendFeed();
  }

  private startCapture(name: string, depth: number): void {
    this.capture = name;
    this.captureDepth = depth;
    this.field.start();
  }

  private endCapture(name: string, text: string): void {
    if (this.entry === null) {
      this.counts.set(name, integerOrNull(text));
      return;
    }
    if (this.author !== null) {
      const value = text.replace(/\s+/g, ' ').trim();
      if (name === 'name') this.author.name = value;
      else if (value.length > 0) this.author.affiliations?.push(value);
      return;
    }
    this.entry.fields.set(name, text);
  }

  private sendFeed(): void {
    if (this.feedSent) return;
    this.feedSent = true;
    this.context.emit({
      type: 'feed',
      totalResults: this.counts.get('totalResults') ?? null,
      startIndex: this.counts.get('startIndex') ?? null,
      itemsPerPage: this.counts.get('itemsPerPage') ?? null,
    });
  }

  private finishEntry(entry: EntryDraft): void {
    const f = entry.fields;
    const rawId = (f.get('id') ?? '').trim();
    const title = (f.get('title') ?? '').trim();
    if (/\/api\/errors(?:#|$)/.test(rawId) || (title === 'Error' && !rawId.includes('/abs/'))) {
      const message = (f.get('summary') ?? '').trim() || 'unknown error';
      throw new UpstreamError('arxiv_api_error', `${this.context.source}: arXiv API error: ${message}`, { source: this.context.source, id: rawId, serverMessage: message });
    }
    const absAt = rawId.indexOf('/abs/');
    const parsed = absAt === -1 ? null : splitVersion(rawId.slice(absAt + 5));
    if (parsed === null) this.context.fail(`entry ${this.entries} has id "${rawId}", which is not an arXiv abs URL`);

    const paper = emptyPaperRecord(parsed.id);
    paper.latestVersion = parsed.version;
    paper.title = title;
    paper.abstract = (f.get('summary') ?? '').trim();
    paper.authors = entry.authors;
    // The primary category first, then the others in feed order (the primary also appears among them).
    const primary = entry.primaryCategory ?? entry.categories[0] ?? null;
    paper.categories = primary === null ? entry.categories : [primary, ...entry.categories.filter((c) => c !== primary)];
    paper.primaryCategory = primary;
    paper.publishedAt = timestamp(f.get('published'));
    paper.updatedAt = timestamp(f.get('updated'));
    paper.doi = optionalText(f.get('doi'));
    paper.journalRef = optionalText(f.get('journal_ref'));
    paper.comments = optionalText(f.get('comment'));
    // <published> is v1's date and <updated> the latest version's, the only versions the API dates.
    const versions: PaperVersion[] = [];
    if (paper.publishedAt !== null) versions.push({ version: 1, submittedAt: paper.publishedAt });
    if (parsed.version !== null && parsed.version > 1) versions.push({ version: parsed.version, submittedAt: paper.updatedAt });
    paper.versions = versions;
    this.context.emit({ type: 'record', item: { kind: 'paper', paper, datestamp: null }, links: entry.links });
  }
}

function addLink(links: AtomEntryLinks, attributes: Readonly<Record<string, string>>): void {
  const href = attributes['href']?.trim();
  if (!href) return;
  const title = attributes['title'];
  if (title === 'pdf') links.pdf = href;
  else if (title === 'doi') links.doi = href;
  else if (attributes['rel'] === 'alternate') links.abs = href;
}

function timestamp(text: string | undefined): string | null {
  const value = optionalText(text);
  return value === null ? null : (isoTimestamp(value) ?? value);
}
