/**
 * Streams arXiv OAI-PMH responses (ListRecords and GetRecord, metadata formats `arXiv` and
 * `arXivRaw`) into IngestItems, one event per record as soon as the record closes, then the
 * resumption token. Works on a file or an HTTP body without holding the page in memory.
 *
 * Element order inside a record is not relied on (the 2025 interface reordered it), nor are the
 * token's `cursor` and `completeListSize` attributes (the 2025 interface dropped them).
 */
import { isErrorCode, type OaiErrorCode } from '../domain/error-catalogue.js';
import { UpstreamError } from '../domain/errors.js';
import { emptyPaperRecord, type IngestItem, type PaperAuthor, type PaperRecord, type PaperVersion } from '../domain/paper.js';
import { authorFromParts, parseAuthorList } from './author-names.js';
import { rfc2822ToIso } from './arxiv-dates.js';
import { arxivIdWithoutVersion, integerOrNull, optionalText, splitCategories } from './field-values.js';
import type { ChunkSource } from './text-chunks.js';
import { FieldText, streamXml, type XmlContext, type XmlLimits, type XmlVisitor } from './xml-stream.reader.js';

export type OaiPmhEvent =
  | { type: 'record'; item: IngestItem }
  /** `token` is null on the last page (an empty element). Absent attributes are null. */
  | { type: 'resumptionToken'; token: string | null; cursor: number | null; completeListSize: number | null }
  /** The selection is empty: an answer, not a failure. */
  | { type: 'noRecordsMatch' };

/**
 * An `<error code="...">` answer other than noRecordsMatch; `code` is `oai_<code>` for the codes
 * OAI-PMH defines and `oai_unknown` for any other (`oaiCode` keeps what the server said).
 */
export class OaiProtocolError extends UpstreamError {
  readonly oaiCode: string;
  readonly serverMessage: string;

  constructor(oaiCode: string, serverMessage: string, source: string) {
    // The server's code ends up in messages and details, so only a safe spelling of it is kept.
    const safeCode = oaiCode.replace(/[^A-Za-z0-9]/g, '') || 'unknown';
    super(oaiErrorCode(safeCode), `${source}: OAI-PMH error ${safeCode}: ${serverMessage}`, { source, oaiCode: safeCode, serverMessage });
    this.oaiCode = safeCode;
    this.serverMessage = serverMessage;
  }
}

function oaiErrorCode(safeCode: string): OaiErrorCode {
  const code = `oai_${safeCode}` as const;
  return isErrorCode(code) ? code : 'oai_unknown';
}

/**
 * Parses one OAI-PMH response. `source` (a file name or request URL) names it in errors.
 * @throws ParseError for malformed or truncated XML, a DOCTYPE with entities, oversized fields,
 *   or a record in another metadata format.
 * @throws OaiProtocolError for an OAI `<error>` other than noRecordsMatch.
 */
export function parseOaiPmh(input: ChunkSource, source: string, limits: XmlLimits = {}): AsyncGenerator<OaiPmhEvent, void, undefined> {
  return streamXml<OaiPmhEvent>(input, source, (context) => new OaiPmhVisitor(context), limits);
}

const OAI_ID_PREFIX = 'oai:arXiv.org:';

type Section = 'none' | 'header' | 'metadata' | 'other';

interface RecordDraft {
  identifier: string;
  datestamp: string | null;
  deleted: boolean;
  format: 'arXiv' | 'arXivRaw' | null;
  fields: Map<string, string>;
  authors: PaperAuthor[];
  versions: VersionDraft[];
}

interface AuthorDraft {
  keyname: string;
  forenames: string | null;
  suffix: string | null;
  affiliations: string[];
}

interface VersionDraft {
  version: number | null;
  date: string | null;
  size: string | null;
  sourceType: string | null;
}

class OaiPmhVisitor implements XmlVisitor {
  /** Depth of the next element to open; the root is 0. */
  private depth = 0;
  private readonly field: FieldText;
  /** Local name of the element whose text is being collected, and its depth. */
  private capture: string | null = null;
  private captureDepth = -1;
  private tokenAttributes: Readonly<Record<string, string>> = {};
  private errorCode = '';

  private records = 0;
  private record: RecordDraft | null = null;
  private recordDepth = -1;
  private section: Section = 'none';
  private sectionDepth = -1;
  private formatDepth = -1;
  private author: AuthorDraft | null = null;
  private authorDepth = -1;
  private version: VersionDraft | null = null;
  private versionDepth = -1;

  constructor(private readonly context: XmlContext<OaiPmhEvent>) {
    this.field = new FieldText(context);
  }

  recordNumber(): number {
    return this.records;
  }

  open(name: string, attributes: Readonly<Record<string, string>>): void {
    const depth = this.depth++;
    if (depth === 0) {
      if (name !== 'OAI-PMH') this.context.fail(`expected an OAI-PMH response, found <${name}>`);
      return;
    }
    // Markup inside a field (none is expected) contributes its text to that field.
    if (this.capture !== null) return;

    const record = this.record;
    if (record === null) {
      if (name === 'record') this.startRecord(depth);
      else if (name === 'resumptionToken') {
        this.tokenAttributes = attributes;
        this.startCapture(name, depth);
      } else if (name === 'error') {
        this.errorCode = attributes['code'] ?? '';
        this.startCapture(name, depth);
      }
      return;
    }

    if (this.section === 'none') {
      this.sectionDepth = depth;
      if (name === 'header') {
        this.section = 'header';
        if (attributes['status'] === 'deleted') record.deleted = true;
      } else if (name === 'metadata') this.section = 'metadata';
      else this.section = 'other'; // <about>: provenance, nothing we keep
      return;
    }
    if (this.section === 'header') {
      this.startCapture(name, depth);
      return;
    }
    if (this.section !== 'metadata') return;

    if (record.format === null) {
      if (name !== 'arXiv' && name !== 'arXivRaw') {
        this.context.fail(`unsupported metadata format <${name}>; request metadataPrefix arXiv or arXivRaw`);
      }
      record.format = name;
      this.formatDepth = depth;
      return;
    }
    if (record.format === 'arXiv') {
      if (name === 'authors' && this.author === null) return; // container of <author>s
      if (name === 'author' && this.author === null) {
        this.author = { keyname: '', forenames: null, suffix: null, affiliations: [] };
        this.authorDepth = depth;
        return;
      }
    } else if (name === 'version' && this.version === null) {
      this.version = { version: versionNumber(attributes['version']), date: null, size: null, sourceType: null };
      this.versionDepth = depth;
      return;
    }
    this.startCapture(name, depth);
  }

  text(text: string): void {
    if (this.capture !== null) this.field.append(text, this.capture);
  }

  close(): void {
    const depth = --this.depth;
    if (this.capture !== null) {
      if (depth !== this.captureDepth) return;
      const field = this.capture;
      this.capture = null;
      this.endCapture(field, this.field.take());
      return;
    }
    if (this.record === null) return;
    if (depth === this.authorDepth && this.author !== null) {
      const a = this.author;
      this.record.authors.push(authorFromParts(a.keyname, a.forenames, a.suffix, a.affiliations));
      this.author = null;
      this.authorDepth = -1;
    } else if (depth === this.versionDepth && this.version !== null) {
      this.record.versions.push(this.version);
      this.version = null;
      this.versionDepth = -1;
    } else if (depth === this.sectionDepth) {
      this.section = 'none';
      this.sectionDepth = -1;
    } else if (depth === this.recordDepth) {
      this.context.emit({ type: 'record', item: this.finishRecord(this.record) });
      this.record = null;
      this.recordDepth = -1;
    }
  }

  private startRecord(depth: number): void {
    this.records++;
    this.record = { identifier: '', datestamp: null, deleted: false, format: null, fields: new Map(), authors: [], versions: [] };
    this.recordDepth = depth;
    this.section = 'none';
    this.field.startRecord();
  }

  private startCapture(name: string, depth: number): void {
    this.capture = name;
    this.captureDepth = depth;
    this.field.start();
  }

  private endCapture(name: string, text: string): void {
    const record = this.record;
    if (record === null) {
      if (name === 'resumptionToken') this.emitToken(text);
      else if (name === 'error') this.handleError(text.trim());
      return;
    }
    if (this.section === 'header') {
      if (name === 'identifier') record.identifier = text.trim();
      else if (name === 'datestamp') record.datestamp = optionalText(text);
      return;
    }
    if (this.author !== null) {
      const value = optionalText(text);
      if (name === 'keyname') this.author.keyname = value ?? '';
      else if (name === 'forenames') this.author.forenames = value;
      else if (name === 'suffix') this.author.suffix = value;
      else if (name === 'affiliation' && value !== null) this.author.affiliations.push(value);
      return;
    }
    if (this.version !== null) {
      const value = optionalText(text);
      if (name === 'date') this.version.date = value;
      else if (name === 'size') this.version.size = value;
      else if (name === 'source_type') this.version.sourceType = value;
      return;
    }
    // Fields are collected by name, so their order in the record does not matter.
    record.fields.set(name, text);
  }

  private emitToken(text: string): void {
    const token = text.trim();
    this.context.emit({
      type: 'resumptionToken',
      token: token.length > 0 ? token : null,
      cursor: integerOrNull(this.tokenAttributes['cursor']),
      completeListSize: integerOrNull(this.tokenAttributes['completeListSize']),
    });
  }

  private handleError(message: string): void {
    if (this.errorCode === 'noRecordsMatch') this.context.emit({ type: 'noRecordsMatch' });
    else throw new OaiProtocolError(this.errorCode, message, this.context.source);
  }

  private finishRecord(record: RecordDraft): IngestItem {
    const headerId = record.identifier.startsWith(OAI_ID_PREFIX) ? record.identifier.slice(OAI_ID_PREFIX.length) : record.identifier;
    if (record.deleted) {
      const arxivId = arxivIdWithoutVersion(headerId);
      if (arxivId === null) this.context.fail(`deleted record has no usable identifier ("${record.identifier}")`);
      return { kind: 'deleted', arxivId, datestamp: record.datestamp };
    }
    if (record.format === null) this.context.fail(`record ${record.identifier || this.records} has no arXiv or arXivRaw metadata`);
    // The metadata's <id> is authoritative; the header identifier only stands in for it.
    const arxivId = arxivIdWithoutVersion(record.fields.get('id') ?? '') ?? arxivIdWithoutVersion(headerId);
    if (arxivId === null) this.context.fail(`record ${this.records} has no usable arXiv id`);
    const paper = record.format === 'arXiv' ? mapArxivFormat(arxivId, record) : mapArxivRawFormat(arxivId, record);
    return { kind: 'paper', paper, datestamp: record.datestamp };
  }
}

/** Fields both formats share. */
function mapCommonFields(arxivId: string, fields: Map<string, string>): PaperRecord {
  const paper = emptyPaperRecord(arxivId);
  paper.title = (fields.get('title') ?? '').trim();
  paper.abstract = (fields.get('abstract') ?? '').trim();
  paper.categories = splitCategories(fields.get('categories'));
  paper.primaryCategory = paper.categories[0] ?? null;
  paper.doi = optionalText(fields.get('doi'));
  paper.journalRef = optionalText(fields.get('journal-ref'));
  paper.comments = optionalText(fields.get('comments'));
  paper.license = optionalText(fields.get('license'));
  paper.reportNo = optionalText(fields.get('report-no'));
  paper.mscClass = optionalText(fields.get('msc-class'));
  paper.acmClass = optionalText(fields.get('acm-class'));
  paper.submitter = optionalText(fields.get('submitter'));
  return paper;
}

/** `arXiv` format: structured authors, `created` (the v1 date) and `updated` (the latest version's date). */
function mapArxivFormat(arxivId: string, record: RecordDraft): PaperRecord {
  const paper = mapCommonFields(arxivId, record.fields);
  const created = optionalText(record.fields.get('created'));
  paper.authors = record.authors;
  paper.publishedAt = created;
  // Without <updated> there is only v1, whose date is `created`.
  paper.updatedAt = optionalText(record.fields.get('updated')) ?? created;
  // `created` is v1's date; the format does not say how many versions there are.
  paper.versions = created === null ? [] : [{ version: 1, submittedAt: created }];
  return paper;
}

/** `arXivRaw` format: every version with its date, size and source type; authors as one string. */
function mapArxivRawFormat(arxivId: string, record: RecordDraft): PaperRecord {
  const paper = mapCommonFields(arxivId, record.fields);
  paper.authors = parseAuthorList(record.fields.get('authors') ?? '');
  const versions: PaperVersion[] = record.versions.map((v, index) => ({
    version: v.version ?? index + 1,
    submittedAt: v.date === null ? null : rfc2822ToIso(v.date),
    size: v.size,
    sourceType: v.sourceType,
  }));
  versions.sort((a, b) => a.version - b.version);
  paper.versions = versions;
  const first = versions[0];
  const last = versions.at(-1);
  paper.latestVersion = last?.version ?? null;
  paper.publishedAt = first?.submittedAt ?? null;
  paper.updatedAt = last?.submittedAt ?? null;
  return paper;
}

function versionNumber(attribute: string | undefined): number | null {
  const m = /^v?(\d+)$/i.exec((attribute ?? '').trim());
  return m ? Number(m[1]) : null;
}
