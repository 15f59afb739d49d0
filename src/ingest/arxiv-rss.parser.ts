/**
 * Streams arXiv's daily announcement feeds (RSS 2.0 at `rss.arxiv.org/rss/<category>`, the
 * 2024+ format) into IngestItems, keeping what only the feed knows: how the paper was announced
 * (`new`, `cross`, `replace`, `replace-cross`) and when.
 *
 * The feed carries no submission dates, so `publishedAt`/`updatedAt` stay null; `announcedAt`
 * (the item's pubDate) is returned beside the item instead.
 */
import { splitVersion } from '../domain/arxiv-id.js';
import { emptyPaperRecord, type IngestItem } from '../domain/paper.js';
import { parseAuthorList } from './author-names.js';
import { rfc2822ToIso } from './arxiv-dates.js';
import { optionalText } from './field-values.js';
import type { ChunkSource } from './text-chunks.js';
import { FieldText, streamXml, type XmlContext, type XmlLimits, type XmlVisitor } from './xml-stream.reader.js';

export interface ArxivRssEvent {
  type: 'record';
  item: IngestItem;
  /** `new`, `cross`, `replace`, `replace-cross`, ... as the feed says; null when absent. */
  announceType: string | null;
  /** The item's pubDate as ISO 8601 UTC; null when absent or unreadable. */
  announcedAt: string | null;
}

/**
 * Parses one arXiv RSS feed. `source` names it in errors.
 * @throws ParseError for malformed XML or an item without an arXiv id.
 */
export function parseArxivRss(input: ChunkSource, source: string, limits: XmlLimits = {}): AsyncGenerator<ArxivRssEvent, void, undefined> {
  return streamXml<ArxivRssEvent>(input, source, (context) => new RssVisitor(context), limits);
}

/** Item children whose text we keep (local names; `arxiv:` and `dc:` prefixes dropped). */
const ITEM_FIELDS = new Set(['title', 'link', 'description', 'guid', 'pubDate', 'announce_type', 'rights', 'creator']);
const GUID_PREFIX = 'oai:arXiv.org:';

interface ItemDraft {
  fields: Map<string, string>;
  categories: string[];
}

class RssVisitor implements XmlVisitor {
  private depth = 0;
  private readonly field: FieldText;
  private capture: string | null = null;
  private captureDepth = -1;
  private items = 0;
  private item: ItemDraft | null = null;
  private itemDepth = -1;

  constructor(private readonly context: XmlContext<ArxivRssEvent>) {
    this.field = new FieldText(context);
  }

  recordNumber(): number {
    return this.items;
  }

  open(name: string): void {
    const depth = this.depth++;
    if (depth === 0) {
      if (name !== 'rss') this.context.fail(`expected an RSS <rss> feed, found <${name}>`);
      return;
    }
    if (this.capture !== null) return;
    if (this.item === null) {
      if (name === 'item') {
        this.items++;
        this.item = { fields: new Map(), categories: [] };
        this.itemDepth = depth;
        this.field.startRecord();
      }
      return;
    }
    if (name === 'category' || ITEM_FIELDS.has(name)) {
      this.capture = name;
      this.captureDepth = depth;
      this.field.start();
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
      const text = this.field.take();
      if (name === 'category') {
        const category = text.trim();
        if (category.length > 0) this.item?.categories.push(category);
      } else this.item?.fields.set(name, text);
      return;
    }
    if (this.item !== null && depth === this.itemDepth) {
      const item = this.item;
      this.item = null;
      this.itemDepth = -1;
      this.finishItem(item);
    }
  }

  private finishItem(item: ItemDraft): void {
    const f = item.fields;
    const description = f.get('description') ?? '';
    const header = DESCRIPTION_HEADER.exec(description);
    const id = itemId(f.get('guid'), f.get('link'), header?.[1]);
    if (id === null) this.context.fail(`item ${this.items} has no arXiv id in its guid, link or description`);

    const paper = emptyPaperRecord(id.id);
    paper.latestVersion = id.version;
    paper.title = (f.get('title') ?? '').trim();
    // "arXiv:2604.21935v1 Announce Type: new \nAbstract: ..." -> the text after "Abstract:".
    paper.abstract = abstractOf(description, header);
    paper.authors = parseAuthorList(f.get('creator') ?? '');
    // The feed lists the primary category first (e.g. cs.LG, cs.AI, cs.AR in the cs.LG feed).
    paper.categories = item.categories;
    paper.primaryCategory = item.categories[0] ?? null;
    paper.license = optionalText(f.get('rights'));
    const pubDate = optionalText(f.get('pubDate'));
    this.context.emit({
      type: 'record',
      item: { kind: 'paper', paper, datestamp: null },
      announceType: optionalText(f.get('announce_type')) ?? header?.[2] ?? null,
      announcedAt: pubDate === null ? null : rfc2822ToIso(pubDate),
    });
  }
}

const DESCRIPTION_HEADER = /^\s*arXiv:(\S+)\s+Announce Type:\s*(\S+)\s*(?:Abstract:\s*)?/;

/** The id and version from `oai:arXiv.org:IDvN`, else `.../abs/ID`, else the description's `arXiv:IDvN`. */
function itemId(guid: string | undefined, link: string | undefined, fromDescription: string | undefined) {
  const g = guid?.trim() ?? '';
  if (g.startsWith(GUID_PREFIX)) {
    const parsed = splitVersion(g.slice(GUID_PREFIX.length));
    if (parsed) return parsed;
  }
  const l = link?.trim() ?? '';
  const absAt = l.indexOf('/abs/');
  if (absAt !== -1) {
    const parsed = splitVersion(l.slice(absAt + 5));
    if (parsed) return parsed;
  }
  return fromDescription === undefined ? null : splitVersion(fromDescription);
}

function abstractOf(description: string, header: RegExpExecArray | null): string {
  if (header) return description.slice(header[0].length).trim();
  const at = description.indexOf('Abstract:');
  return (at === -1 ? description : description.slice(at + 'Abstract:'.length)).trim();
}
