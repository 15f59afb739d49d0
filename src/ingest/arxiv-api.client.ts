/**
 * The arXiv API (Atom) by id list, for papers members submit that are not in the store yet.
 * Requests go through the polite fetcher (host allowlist, User-Agent, spacing, Retry-After),
 * the base URL comes from configuration only, and ids are re-checked here, so nothing a user
 * typed can steer the request anywhere but arXiv's `id_list` parameter.
 */
import { parseBareArxivId } from '../domain/arxiv-id.js';
import { ValidationError } from '../domain/errors.js';
import type { PaperRecord } from '../domain/paper.js';
import { parseArxivAtom } from './arxiv-atom.parser.js';
import { createPoliteFetch, type PoliteFetch } from './polite-fetch.js';

export interface ArxivApiClient {
  fetchByIds(ids: readonly string[], options?: { signal?: AbortSignal }): Promise<PaperRecord[]>;
}

export const MAX_IDS_PER_REQUEST = 100;

export function createArxivApiClient(options: { baseUrl: string; fetch?: PoliteFetch; extraAllowedHosts?: readonly string[] }): ArxivApiClient {
  // A member waits for this request: a short timeout and one retry, still spaced as arXiv asks.
  const fetcher =
    options.fetch ??
    createPoliteFetch({
      extraAllowedHosts: options.extraAllowedHosts ?? [],
      timeoutMs: 15_000,
      maxRetries: 1,
      delayMs: 3_000,
      jitterMs: 500,
      backoffBaseMs: 1_000,
      backoffMaxMs: 5_000,
      maxRetryAfterMs: 10_000,
      maxBodyBytes: 4 * 1024 * 1024,
      userAgent: 'Paperboy/0.1 (self-hosted arXiv paper radar; member submissions)',
    });
  return {
    async fetchByIds(ids, fetchOptions = {}) {
      if (ids.length === 0) return [];
      if (ids.length > MAX_IDS_PER_REQUEST) throw new ValidationError(`At most ${MAX_IDS_PER_REQUEST} ids per arXiv API request.`, { field: 'ids' });
      for (const id of ids) {
        const parsed = parseBareArxivId(id);
        if (!parsed || parsed.version !== null) throw new ValidationError(`"${id}" is not a bare arXiv id.`, { field: 'ids' });
      }
      const url = new URL(options.baseUrl);
      url.searchParams.set('id_list', ids.join(','));
      url.searchParams.set('max_results', String(ids.length));
      const wanted = new Set(ids);
      return fetcher.get(
        url,
        async (body) => {
          const papers: PaperRecord[] = [];
          for await (const event of parseArxivAtom(body, url.href)) {
            // Keep only the papers that were asked for.
            if (event.type === 'record' && event.item.kind === 'paper' && wanted.has(event.item.paper.arxivId)) papers.push(event.item.paper);
          }
          return papers;
        },
        { accept: 'application/atom+xml', ...(fetchOptions.signal ? { signal: fetchOptions.signal } : {}) },
      );
    },
  };
}
