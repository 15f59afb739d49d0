/**
 * Harvests arXiv's OAI-PMH ListRecords, one page at a time, following resumption tokens.
 * An async generator: the next page is requested only after the caller has finished with the
 * previous one, so "store the page and its checkpoint in one transaction, then continue" is a
 * plain for-await loop, and a crash between pages loses nothing. Each page is fetched and parsed
 * whole before it is yielded; a dropped connection or a truncated body retries the same request
 * with the same token, so pages are never skipped or yielded twice.
 */
import { ARXIV_OAI_URL } from '../domain/arxiv-hosts.js';
import type { OaiErrorCode } from '../domain/error-catalogue.js';
import { AppError, ParseError } from '../domain/errors.js';
import type { IngestItem } from '../domain/paper.js';
import { parseOaiPmh } from './oai-pmh.parser.js';
import { createPoliteFetch, type PoliteFetch, type PoliteFetchOptions, type RetryEvent } from './polite-fetch.js';

/** The OAI error a caller meets when a saved token has expired; restart from the saved datestamp. */
export const BAD_RESUMPTION_TOKEN: OaiErrorCode = 'oai_badResumptionToken';

export interface HarvestLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface HarvestOaiPmhOptions {
  baseUrl?: string;
  metadataPrefix: 'arXiv' | 'arXivRaw';
  /** `cs` (old interface) or `cs:cs:AI` (current interface). */
  set?: string;
  /** Datestamps, YYYY-MM-DD. */
  from?: string;
  until?: string;
  /** Resume after a crash: the `nextToken` of the last page the caller committed. */
  resumptionToken?: string;
  /** Hosts allowed besides arXiv's (tests use loopback). */
  extraAllowedHosts?: readonly string[];
  /** Politeness and retry settings, including injectable `sleep` and `random` for tests. */
  fetch?: PoliteFetchOptions;
  /** A ready client instead of `fetch`, e.g. to share one polite delay across harvests. */
  client?: PoliteFetch;
  signal?: AbortSignal;
  logger?: HarvestLogger;
}

export interface OaiHarvestPage {
  items: IngestItem[];
  /** Token for the next page; null on the last page. Save it with the page's items. */
  nextToken: string | null;
  /** The request that produced this page (names the page in logs and errors). */
  requestUrl: string;
  /** Newest record datestamp on this page, for incremental harvests (`from`) next time. */
  maxDatestamp: string | null;
  /** Only the old interface reports these; never rely on them. */
  cursor: number | null;
  completeListSize: number | null;
}

export async function* harvestOaiPmh(options: HarvestOaiPmhOptions): AsyncGenerator<OaiHarvestPage, void, undefined> {
  const client = options.client ?? createPoliteFetch(fetchOptions(options));
  let token: string | null = options.resumptionToken ?? null;
  let requestUrl = listRecordsUrl(options, token);
  for (;;) {
    const page = await fetchPage(client, requestUrl, options.signal);
    if (page === 'noRecordsMatch') return;
    yield page;
    if (page.nextToken === null) return;
    if (page.nextToken === token) {
      // Requesting the same token again would loop forever on a misbehaving server.
      throw new AppError('oai_token_repeated', `resumption token "${token}" was handed out again by ${requestUrl}`, { details: { requestUrl, token } });
    }
    token = page.nextToken;
    requestUrl = listRecordsUrl(options, token);
  }
}

/** True when a harvest failed because the resumption token is unknown or expired. */
export function isBadResumptionToken(error: unknown): boolean {
  return error instanceof AppError && error.code === BAD_RESUMPTION_TOKEN;
}

/** ListRecords URL: the first request carries the selection, later ones only the token (it is exclusive). */
export function listRecordsUrl(options: Pick<HarvestOaiPmhOptions, 'baseUrl' | 'metadataPrefix' | 'set' | 'from' | 'until'>, token: string | null): string {
  const url = new URL(options.baseUrl ?? ARXIV_OAI_URL);
  url.searchParams.set('verb', 'ListRecords');
  if (token !== null) {
    url.searchParams.set('resumptionToken', token);
  } else {
    url.searchParams.set('metadataPrefix', options.metadataPrefix);
    if (options.set) url.searchParams.set('set', options.set);
    if (options.from) url.searchParams.set('from', options.from);
    if (options.until) url.searchParams.set('until', options.until);
  }
  return url.href;
}

async function fetchPage(client: PoliteFetch, requestUrl: string, signal: AbortSignal | undefined): Promise<OaiHarvestPage | 'noRecordsMatch'> {
  return client.get(
    requestUrl,
    async (body) => {
      // Fresh per attempt: a retried request starts from an empty page, so nothing is doubled.
      const items: IngestItem[] = [];
      let next: { token: string | null; cursor: number | null; completeListSize: number | null } | null = null;
      let maxDatestamp: string | null = null;
      for await (const event of parseOaiPmh(body, requestUrl)) {
        if (event.type === 'noRecordsMatch') return 'noRecordsMatch' as const;
        if (event.type === 'resumptionToken') {
          next = { token: event.token, cursor: event.cursor, completeListSize: event.completeListSize };
        } else if (event.type === 'record') {
          items.push(event.item);
          const stamp = event.item.datestamp;
          if (stamp && (maxDatestamp === null || stamp > maxDatestamp)) maxDatestamp = stamp;
        }
      }
      // A list that fits in one response has no resumptionToken element at all: that is the last page.
      return { items, nextToken: next?.token || null, requestUrl, maxDatestamp, cursor: next?.cursor ?? null, completeListSize: next?.completeListSize ?? null };
    },
    {
      accept: 'text/xml, application/xml',
      // A body cut short without a socket error (an orderly close) is only visible as broken XML.
      isRetryableBodyError: (error) => error instanceof ParseError,
      ...(signal ? { signal } : {}),
    },
  );
}

function fetchOptions(options: HarvestOaiPmhOptions): PoliteFetchOptions {
  const { logger } = options;
  const extraAllowedHosts = [...(options.extraAllowedHosts ?? []), ...(options.fetch?.extraAllowedHosts ?? [])];
  const onRetry = (event: RetryEvent) => {
    logger?.warn({ ...event }, 'arXiv request failed; retrying the same page');
    options.fetch?.onRetry?.(event);
  };
  return { ...options.fetch, extraAllowedHosts, onRetry };
}
