/**
 * Opens one arXiv metadata file for import, whatever it is: an OAI-PMH page, an arXiv API Atom
 * response, an RSS feed or snapshot JSON lines, gzipped or not. The format is sniffed from the
 * content (not the file name), then the file is streamed through the matching parser, so a
 * multi-gigabyte snapshot is read in bounded memory while `bytesRead()` drives a progress bar.
 */
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import type { ReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ParseError } from '../domain/errors.js';
import type { IngestItem } from '../domain/paper.js';
import { parseArxivAtom } from './arxiv-atom.parser.js';
import { parseArxivRss } from './arxiv-rss.parser.js';
import { parseOaiPmh } from './oai-pmh.parser.js';
import { parseSnapshotJsonl } from './snapshot-jsonl.parser.js';
import { decodeUtf8Chunks } from './text-chunks.js';

export type IngestFileFormat = 'oai-pmh' | 'arxiv-atom' | 'arxiv-rss' | 'snapshot-jsonl';

export interface IngestFile extends AsyncIterable<IngestItem> {
  readonly path: string;
  readonly format: IngestFileFormat;
  /** True when the file is gzip-compressed (detected from its magic bytes). */
  readonly gzipped: boolean;
  /** Bytes of the file on disk consumed so far (compressed bytes for a gzipped file). */
  bytesRead(): number;
  /** The file's items in file order. May be iterated once; the file is closed when it ends. */
  items(): AsyncGenerator<IngestItem, void, undefined>;
  /** Closes the file without reading it; only needed when items() is never iterated to the end. */
  close(): void;
}

/** How much decoded text may be examined to find the root element before giving up. */
const SNIFF_LIMIT_CHARS = 64 * 1024;
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * Opens `path` and sniffs its format.
 * @throws the file system's error (ENOENT, EACCES, EISDIR, ...) when it cannot be read.
 * @throws ParseError naming the file when it is empty, corrupt gzip, or of no known format.
 * Iterating `items()` throws what the parser throws: ParseError, or for an OAI error response
 * other than noRecordsMatch an OaiProtocolError; an Atom error entry is an UpstreamError.
 */
export async function readIngestFile(path: string): Promise<IngestFile> {
  const handle = await open(path, 'r');
  let fileStream: ReadStream;
  let gzipped: boolean;
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    gzipped = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    fileStream = handle.createReadStream({ start: 0, highWaterMark: READ_CHUNK_BYTES });
  } catch (error) {
    await handle.close();
    throw error;
  }
  const text = decodeUtf8Chunks(gzipped ? gunzip(fileStream, path) : fileStream);

  let format: IngestFileFormat;
  let head: string[];
  try {
    ({ format, head } = await sniff(text, path));
  } catch (error) {
    fileStream.destroy();
    throw error;
  }

  const chunks = replay(head, text);
  let started = false;
  const items = async function* (): AsyncGenerator<IngestItem, void, undefined> {
    if (started) throw new Error(`items() of ${path} can only be iterated once`);
    started = true;
    try {
      switch (format) {
        case 'oai-pmh':
          // noRecordsMatch is an empty page; other OAI errors are thrown by the parser.
          for await (const event of parseOaiPmh(chunks, path)) if (event.type === 'record') yield event.item;
          break;
        case 'arxiv-atom':
          for await (const event of parseArxivAtom(chunks, path)) if (event.type === 'record') yield event.item;
          break;
        case 'arxiv-rss':
          for await (const event of parseArxivRss(chunks, path)) yield event.item;
          break;
        case 'snapshot-jsonl':
          yield* parseSnapshotJsonl(chunks, path);
          break;
      }
    } finally {
      fileStream.destroy();
    }
  };

  return {
    path,
    format,
    gzipped,
    bytesRead: () => fileStream.bytesRead,
    items,
    close: () => fileStream.destroy(),
    [Symbol.asyncIterator]: () => items(),
  };
}

/**
 * Decompresses with zlib, turning its errors (a truncated or corrupt archive) into a ParseError
 * naming the file; file-system errors pass through unchanged so callers can tell them apart.
 */
async function* gunzip(source: Readable, path: string): AsyncGenerator<Buffer, void, undefined> {
  const inflater = createGunzip();
  // Forward the file's own errors (EISDIR, EIO) to the consumer instead of swallowing them.
  source.on('error', (error) => inflater.destroy(error));
  source.pipe(inflater);
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new ParseError(`${path}: corrupt or truncated gzip data (${(error as Error).message})`, { source: path }, error);
    }
    throw error;
  } finally {
    source.unpipe(inflater);
    inflater.destroy();
    source.destroy();
    // Let a destroy in flight settle so the file handle is released before we return.
    if (!source.closed) await once(source, 'close').catch(() => undefined);
  }
}

/** Reads decoded text until the format is known; returns it with the text consumed so far. */
async function sniff(text: AsyncGenerator<string, void, undefined>, path: string): Promise<{ format: IngestFileFormat; head: string[] }> {
  const head: string[] = [];
  let seen = '';
  for (;;) {
    const format = formatOf(seen);
    if (format !== undefined) {
      if (format === null) break;
      return { format, head };
    }
    if (seen.length >= SNIFF_LIMIT_CHARS) break;
    const next = await text.next();
    if (next.done) {
      if (seen.trim().length === 0) throw new ParseError(`${path}: the file is empty`, { source: path });
      break;
    }
    head.push(next.value);
    seen += next.value;
  }
  const start = seen.trimStart().slice(0, 40).replace(/\s+/g, ' ');
  throw new ParseError(`${path}: unknown file format (expected OAI-PMH XML, arXiv Atom, arXiv RSS or snapshot JSON lines; it starts with "${start}")`, {
    source: path,
  });
}

const ROOT_FORMATS: Record<string, IngestFileFormat> = { 'OAI-PMH': 'oai-pmh', feed: 'arxiv-atom', rss: 'arxiv-rss' };

/** The format, null when it is decided that there is none, undefined when more text is needed. */
function formatOf(seen: string): IngestFileFormat | null | undefined {
  const first = /\S/.exec(seen)?.[0];
  if (first === undefined) return undefined;
  if (first === '{') return 'snapshot-jsonl';
  if (first !== '<') return null;
  const root = rootElementName(seen);
  if (root === undefined || root === null) return root;
  const local = root.includes(':') ? root.slice(root.indexOf(':') + 1) : root;
  return ROOT_FORMATS[local] ?? null;
}

/**
 * Skips the XML declaration, processing instructions, comments and a DOCTYPE (with or without
 * an internal subset) to the root element's name. A linear scan rather than a regular
 * expression, which could backtrack badly on a hostile prologue.
 */
function rootElementName(text: string): string | null | undefined {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) return undefined;
    if (text[i] !== '<') return null;
    let end: number;
    if (text.startsWith('<?', i)) end = after(text, '?>', i + 2);
    else if (text.startsWith('<!--', i)) end = after(text, '-->', i + 4);
    else if (text.startsWith('<!DOCTYPE', i)) {
      const close = text.indexOf('>', i);
      const subset = text.indexOf('[', i);
      end = subset !== -1 && (close === -1 || subset < close) ? after(text, '>', after(text, ']', subset)) : after(text, '>', i);
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)[\s/>]/.exec(text.slice(i, i + 256));
      if (m?.[1]) return m[1];
      // The name may be cut by a chunk boundary; wait for more unless it clearly is not a name.
      return text.length - i < 256 && /^<[\w.:-]*$/.test(text.slice(i)) ? undefined : null;
    }
    if (end === -1) return undefined;
    i = end;
  }
}

/** Index just past the next `token` at or after `from`; -1 when there is none (or `from` is -1). */
function after(text: string, token: string, from: number): number {
  if (from === -1) return -1;
  const at = text.indexOf(token, from);
  return at === -1 ? -1 : at + token.length;
}

async function* replay(head: string[], rest: AsyncGenerator<string, void, undefined>): AsyncGenerator<string, void, undefined> {
  yield* head;
  yield* rest;
}
