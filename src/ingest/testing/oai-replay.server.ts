/**
 * Test double for arXiv's OAI-PMH endpoint: a real HTTP server on loopback that replays recorded
 * ListRecords pages from ../shared/data, chained by their own resumption tokens, with faults
 * scripted per request (503 + Retry-After, a connection dropped mid-body) and a request log.
 * It answers like arXiv does: OAI errors are HTTP 200 with an <error> element (the real fixtures).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/data seen from src/ingest/testing/ (the data is read in place, never copied). */
export const SHARED_DATA_DIR = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
export const CS_HARVEST_DIR = path.join(SHARED_DATA_DIR, 'arxiv/oai-pmh/arXiv-format_set-cs_harvest-2016-03-09');
export const ARXIV_RAW_FIXTURES_DIR = path.join(SHARED_DATA_DIR, 'arxiv/oai-pmh/arXivRaw-format_fixtures');

export type ReplayFault =
  /** Answer with this status (default 503) and a `Retry-After` header (default "1"), like arXiv's flow control. */
  | { kind: 'unavailable'; status?: number; retryAfter?: string | null }
  /**
   * Send the headers and the first `afterBytes` of the page (default: half), then cut the connection.
   * `content-length` framing lets the client see the truncation; `close` framing (no length,
   * orderly close) makes it look like a complete body, so only the XML parser can notice.
   */
  | { kind: 'drop'; afterBytes?: number; framing?: 'content-length' | 'close' };

export interface OaiReplayServerOptions {
  /**
   * Files served in order: the first answers the initial request; the resumption token inside
   * page i leads to page i + 1. Names are relative to `dir`; absolute paths are used as they are.
   */
  pages: string[];
  /** Defaults to the 2016 `cs` harvest. */
  dir?: string;
  /** Faults keyed by the 1-based number of the request they answer. */
  faults?: Record<number, ReplayFault>;
}

export interface ReplayRequest {
  /** 1-based, in arrival order. */
  n: number;
  url: string;
  params: Record<string, string>;
  /** File name served (whole or in part), or null for a 503. */
  served: string | null;
  fault: ReplayFault['kind'] | null;
  userAgent: string | undefined;
}

export interface OaiReplayServer {
  /** e.g. `http://127.0.0.1:41234/oai` */
  baseUrl: string;
  host: string;
  requests: ReplayRequest[];
  close(): Promise<void>;
}

interface Page {
  name: string;
  body: Buffer;
  /** Token this page hands out, or null on the last page. */
  token: string | null;
}

const TOKEN = /<resumptionToken\b[^>]*?(?:\/>|>([^<]*)<\/resumptionToken>)/;

function loadPage(dir: string, file: string): Page {
  const full = path.isAbsolute(file) ? file : path.join(dir, file);
  const body = readFileSync(full);
  // Only the tail holds the token; decoding it alone keeps startup cheap for 3 MB pages.
  const tail = body.subarray(Math.max(0, body.length - 4096)).toString('utf8');
  const token = TOKEN.exec(tail)?.[1]?.trim() || null;
  return { name: path.basename(full), body, token };
}

export async function startOaiReplayServer(options: OaiReplayServerOptions): Promise<OaiReplayServer> {
  const dir = options.dir ?? CS_HARVEST_DIR;
  const pages = options.pages.map((p) => loadPage(dir, p));
  const fixture = (name: string) => loadPage(ARXIV_RAW_FIXTURES_DIR, `ErrorResponse${name}.xml`);
  const badResumptionToken = fixture('BadResumptionToken');
  const badArgument = fixture('BadArgument');
  const badVerb = fixture('BadVerb');
  const next = new Map<string, Page>();
  pages.forEach((page, i) => {
    const following = pages[i + 1];
    if (page.token && following) next.set(page.token, following);
  });
  const requests: ReplayRequest[] = [];

  const choosePage = (params: Record<string, string>): Page => {
    if (params.verb !== 'ListRecords') return badVerb;
    const { resumptionToken, verb: _verb, ...rest } = params;
    if (resumptionToken !== undefined) {
      // resumptionToken is an exclusive argument in OAI-PMH.
      if (Object.keys(rest).length > 0) return badArgument;
      return next.get(resumptionToken) ?? badResumptionToken;
    }
    if (!params.metadataPrefix) return badArgument;
    return pages[0] ?? badArgument;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://replay.invalid');
    const params = Object.fromEntries(url.searchParams);
    const n = requests.length + 1;
    const fault = options.faults?.[n] ?? null;
    const page = fault?.kind === 'unavailable' ? null : choosePage(params);
    requests.push({ n, url: req.url ?? '', params, served: page?.name ?? null, fault: fault?.kind ?? null, userAgent: req.headers['user-agent'] });

    if (fault?.kind === 'unavailable') {
      const retryAfter = fault.retryAfter === undefined ? '1' : fault.retryAfter;
      res.writeHead(fault.status ?? 503, { 'content-type': 'text/plain', ...(retryAfter === null ? {} : { 'retry-after': retryAfter }) });
      res.end('Service Unavailable: retry later\n');
      return;
    }
    if (!page) return;
    if (fault?.kind === 'drop') {
      dropMidBody(req.socket, page.body, fault);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'content-length': page.body.length });
    res.end(page.body);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/oai`,
    host: '127.0.0.1',
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes the response by hand on the socket so the cut lands exactly mid-body. */
function dropMidBody(socket: import('node:net').Socket, body: Buffer, fault: Extract<ReplayFault, { kind: 'drop' }>): void {
  const cut = Math.min(body.length - 1, fault.afterBytes ?? Math.floor(body.length / 2));
  const framing = fault.framing ?? 'content-length';
  const head =
    framing === 'content-length'
      ? `HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n`
      : 'HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nConnection: close\r\n\r\n';
  socket.write(head);
  socket.write(body.subarray(0, cut), () => {
    if (framing === 'content-length') socket.destroy();
    else socket.end();
  });
}
