/**
 * The one place that drives `saxes` for the XML sources (OAI-PMH, Atom, RSS): it feeds decoded
 * chunks to the parser, hands element events to a format-specific visitor, and yields what the
 * visitor emits after every slice, so records flow out while the file is still being read.
 *
 * Safety, per DESIGN §10: entities other than the five predefined ones and character references
 * are never expanded (saxes reports them as undefined), a DOCTYPE that declares entities is
 * refused outright, and no single token (text run, tag, comment) may exceed `maxTokenChars`.
 * Every failure is a ParseError naming the source, line and column.
 */
import { SaxesParser } from 'saxes';
import { ParseError } from '../domain/errors.js';
import { decodeUtf8Chunks, type ChunkSource } from './text-chunks.js';

export interface XmlLimits {
  /** Longest run of input without any element or text event (a text node, tag, comment). Default 1 MiB. */
  maxTokenChars?: number;
  /** Longest text a visitor accumulates for one field. Default 1 MiB. */
  maxFieldChars?: number;
  /** Most text a visitor accumulates for one record. Default 16 MiB. */
  maxRecordChars?: number;
}

export const DEFAULT_XML_LIMITS: Required<XmlLimits> = {
  maxTokenChars: 1024 * 1024,
  maxFieldChars: 1024 * 1024,
  maxRecordChars: 16 * 1024 * 1024,
};

/** Callbacks a format parser implements; names arrive without their namespace prefix. */
export interface XmlVisitor {
  open(name: string, attributes: Readonly<Record<string, string>>): void;
  text(text: string): void;
  close(name: string): void;
  /** Called once after the document closed cleanly. */
  end?(): void;
  /** 1-based number of the record being read, reported in errors. */
  recordNumber?(): number;
}

/** What a visitor can do besides receiving events. */
export interface XmlContext<E> {
  readonly source: string;
  readonly limits: Required<XmlLimits>;
  emit(event: E): void;
  /** Throws a ParseError at the parser's current position. */
  fail(message: string, details?: Record<string, unknown>): never;
}

/**
 * Slices written to saxes at a time. Bounds the work (and the events queued) between two
 * yields, and lets the token-size check fire even when a caller passes one huge string.
 */
const SLICE_CHARS = 64 * 1024;

export async function* streamXml<E>(
  input: ChunkSource,
  source: string,
  createVisitor: (context: XmlContext<E>) => XmlVisitor,
  limits: XmlLimits = {},
): AsyncGenerator<E, void, undefined> {
  const resolved: Required<XmlLimits> = { ...DEFAULT_XML_LIMITS, ...limits };
  // No `xmlns`: namespace processing roughly halves saxes' speed, and every format we read is
  // identified well enough by local names in context (see localName).
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  let queue: E[] = [];
  let visitor: XmlVisitor | undefined;

  const fail = (message: string, details: Record<string, unknown> = {}): never => {
    const record = visitor?.recordNumber?.();
    throw new ParseError(`${source}: line ${parser.line}, column ${parser.column}: ${message}`, {
      source,
      line: parser.line,
      column: parser.column,
      ...(record ? { record } : {}),
      ...details,
    });
  };
  const context: XmlContext<E> = { source, limits: resolved, emit: (event) => queue.push(event), fail };
  visitor = createVisitor(context);
  const v = visitor;

  let sawEvent = false;
  parser.on('opentag', (tag) => {
    sawEvent = true;
    v.open(localName(tag.name), tag.attributes);
  });
  parser.on('closetag', (tag) => {
    sawEvent = true;
    v.close(localName(tag.name));
  });
  parser.on('text', (text) => {
    sawEvent = true;
    v.text(text);
  });
  parser.on('cdata', (text) => {
    sawEvent = true;
    v.text(text);
  });
  parser.on('doctype', (doctype) => {
    // saxes would not expand them either, but a document that declares entities is either
    // hostile (billion laughs) or relies on them for content we would silently get wrong.
    if (/<!ENTITY/i.test(doctype)) fail('the DOCTYPE declares entities; entity declarations are not accepted');
  });
  // With a handler saxes would carry on after an error; throwing stops it at the first one.
  parser.on('error', (error) => fail(error.message.replace(/^\d+:\d+: /, '')));

  let charsSinceEvent = 0;
  for await (const text of decodeUtf8Chunks(input)) {
    for (let start = 0; start < text.length; start += SLICE_CHARS) {
      const slice = start === 0 && text.length <= SLICE_CHARS ? text : text.slice(start, start + SLICE_CHARS);
      sawEvent = false;
      parser.write(slice);
      // saxes buffers a text node until the next tag, so a huge field is only visible as a long
      // stretch of input without events; this bounds it (to within one slice) before it grows.
      charsSinceEvent = sawEvent ? 0 : charsSinceEvent + slice.length;
      if (charsSinceEvent > resolved.maxTokenChars) {
        fail(`a single text node, tag or comment is longer than ${resolved.maxTokenChars} characters`);
      }
      if (queue.length > 0) {
        const ready = queue;
        queue = [];
        yield* ready;
      }
    }
  }
  parser.close();
  v.end?.();
  if (queue.length > 0) yield* queue;
}

/** `arxiv:primary_category` -> `primary_category`; unprefixed names are returned as they are. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/**
 * Accumulates the text of one field with a size bound. Text events arrive once per text run, so
 * this concatenates a handful of strings per field, never per character.
 */
export class FieldText {
  private parts = '';
  private recordChars = 0;

  constructor(private readonly context: XmlContext<unknown>) {}

  /** Starts a new record: resets the per-record budget. */
  startRecord(): void {
    this.recordChars = 0;
  }

  start(): void {
    this.parts = '';
  }

  append(text: string, field: string): void {
    this.parts = this.parts.length === 0 ? text : this.parts + text;
    this.recordChars += text.length;
    const { maxFieldChars, maxRecordChars } = this.context.limits;
    if (this.parts.length > maxFieldChars) {
      this.context.fail(`field <${field}> is longer than ${maxFieldChars} characters`, { field });
    }
    if (this.recordChars > maxRecordChars) {
      this.context.fail(`record text is longer than ${maxRecordChars} characters`, { field });
    }
  }

  take(): string {
    const text = this.parts;
    this.parts = '';
    return text;
  }
}
