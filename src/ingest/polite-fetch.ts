/**
 * Polite HTTP GET for arXiv: only allowlisted hosts, an identifying User-Agent, a delay with
 * jitter between requests, `Retry-After` honoured on 503/429, bounded retries with exponential
 * backoff, and Ctrl-C via AbortSignal. The body is handed to a reader *inside* the retry loop,
 * so a connection dropped mid-body retries the whole request instead of surfacing half a page.
 */
import { isAllowedHost } from '../domain/arxiv-hosts.js';
import { AppError, UpstreamError } from '../domain/errors.js';

export const DEFAULT_USER_AGENT = 'Paperboy/0.1 (self-hosted arXiv paper radar; polite OAI-PMH harvester)';

/** Refused before any connection: the URL's host is not on the allowlist (no SSRF). */
export class HostNotAllowedError extends AppError {
  constructor(url: string, host: string) {
    super('host_not_allowed', `refusing to fetch ${url}: host "${host}" is not allowed (only arXiv hosts and configured extra hosts are)`, { details: { url, host } });
  }
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryEvent {
  url: string;
  /** The attempt that just failed, 1-based. */
  attempt: number;
  /** How long we wait before the next attempt. */
  delayMs: number;
  reason: string;
  status?: number;
}

export interface PoliteFetchOptions {
  /** Hosts allowed besides arXiv's (tests pass `127.0.0.1`). Entries match a hostname or `host:port`. */
  extraAllowedHosts?: readonly string[];
  userAgent?: string;
  /** Per attempt, covering connect, headers and the whole body. */
  timeoutMs?: number;
  /** Minimum pause between the end of one request and the start of the next. */
  delayMs?: number;
  /** Up to this much is added at random to each pause, so many instances do not align. */
  jitterMs?: number;
  /** Retries after the first attempt for network errors, 5xx, 429 and bodies the reader rejects as retryable. */
  maxRetries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A longer `Retry-After` is clamped to this, so a bad header cannot park a harvest for days. */
  maxRetryAfterMs?: number;
  maxRedirects?: number;
  maxBodyBytes?: number;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
  onRetry?: (event: RetryEvent) => void;
}

export interface ResponseInfo {
  url: string;
  status: number;
  headers: Headers;
}

/** Consumes a response body; it runs inside the retry loop, so it must be safe to run again. */
export type BodyReader<T> = (body: AsyncIterable<Uint8Array>, response: ResponseInfo) => Promise<T>;

export interface GetOptions {
  signal?: AbortSignal;
  accept?: string;
  /** Errors the reader throws that mean "the body was cut short" (e.g. a parse error at EOF). */
  isRetryableBodyError?: (error: unknown) => boolean;
}

export interface PoliteFetch {
  get<T>(url: string | URL, read: BodyReader<T>, options?: GetOptions): Promise<T>;
  getText(url: string | URL, options?: GetOptions): Promise<string>;
}

const DEFAULTS = {
  userAgent: DEFAULT_USER_AGENT,
  timeoutMs: 120_000,
  // arXiv asks automated clients for no more than one request every 3 seconds.
  delayMs: 3_000,
  jitterMs: 1_000,
  maxRetries: 5,
  backoffBaseMs: 2_000,
  backoffMaxMs: 120_000,
  maxRetryAfterMs: 10 * 60_000,
  maxRedirects: 5,
  maxBodyBytes: 64 * 1024 * 1024,
};

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Parses the URL and throws `host_not_allowed` unless it is http(s) to an allowed host. */
export function assertHostAllowed(url: string | URL, extraAllowedHosts: readonly string[] = []): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new AppError('invalid_url', `not a valid URL: ${String(url)}`, { details: { url: String(url) }, cause });
  }
  const host = parsed.hostname.toLowerCase();
  const protocolOk = parsed.protocol === 'http:' || parsed.protocol === 'https:';
  if (!protocolOk || !isAllowedHost(parsed, extraAllowedHosts)) {
    throw new HostNotAllowedError(parsed.href, protocolOk ? host : `${parsed.protocol}//${host}`);
  }
  return parsed;
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/** Marks a timeout abort apart from the caller's own abort, which must not be retried. */
class AttemptTimeout extends Error {}

/** A failed attempt that may be retried: why, and how long the server asked us to wait. */
interface RetryableFailure {
  reason: string;
  status?: number;
  retryAfterMs?: number;
  cause: unknown;
  /** The reader's own error, rethrown as-is when retries run out (it names the position). */
  readerError?: unknown;
}

export function createPoliteFetch(options: PoliteFetchOptions = {}): PoliteFetch {
  const o = { ...DEFAULTS, ...stripUndefined(options) };
  const doSleep = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const extraHosts = options.extraAllowedHosts ?? [];
  let nextAllowedAt = 0;

  const markDone = () => {
    nextAllowedAt = now() + o.delayMs + random() * o.jitterMs;
  };

  const backoff = (attempt: number) => Math.min(o.backoffMaxMs, o.backoffBaseMs * 2 ** (attempt - 1)) * (0.5 + random() / 2);

  async function attemptOnce<T>(url: URL, read: BodyReader<T>, get: GetOptions): Promise<{ ok: true; value: T } | { ok: false; failure: RetryableFailure }> {
    const controller = new AbortController();
    const outer = get.signal;
    const onOuterAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new AttemptTimeout(`no complete response within ${o.timeoutMs} ms`)), o.timeoutMs);
    const timedOut = () => controller.signal.reason instanceof AttemptTimeout;
    try {
      let response: Response;
      try {
        response = await fetchFollowingRedirects(url, controller.signal, get.accept);
      } catch (cause) {
        if (cause instanceof AppError) throw cause;
        if (outer?.aborted) throw outer.reason;
        return { ok: false, failure: { reason: timedOut() ? 'timeout' : describeNetworkError(cause), cause } };
      }
      const info: ResponseInfo = { url: response.url || url.href, status: response.status, headers: response.headers };
      if (response.status === 429 || response.status >= 500) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
        return {
          ok: false,
          failure: { reason: `HTTP ${response.status}`, status: response.status, cause: null, ...(retryAfterMs === null ? {} : { retryAfterMs }) },
        };
      }
      if (response.status < 200 || response.status > 299) {
        throw new UpstreamError('upstream_bad_status', `${url.href} answered HTTP ${response.status}`, { url: url.href, status: response.status });
      }
      const guarded = guardBody(response.body, o.maxBodyBytes, url.href);
      try {
        return { ok: true, value: await read(guarded.iterable, info) };
      } catch (error) {
        if (outer?.aborted) throw outer.reason;
        // A failure of the socket shows up in the reader as whatever it makes of it; what matters
        // is that the stream itself broke, or the reader says the body was cut short.
        if (timedOut() || guarded.streamError() !== undefined) {
          return { ok: false, failure: { reason: timedOut() ? 'timeout reading body' : `body interrupted: ${describeNetworkError(guarded.streamError())}`, cause: error } };
        }
        if (get.isRetryableBodyError?.(error)) {
          return { ok: false, failure: { reason: `unreadable body: ${(error as Error).message}`, cause: error, readerError: error } };
        }
        throw error;
      }
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
      // Frees the connection when the reader stopped early or the body was never read; a no-op
      // once the body has been read to the end.
      controller.abort();
      markDone();
    }
  }

  async function fetchFollowingRedirects(start: URL, signal: AbortSignal, accept: string | undefined): Promise<Response> {
    let url = start;
    for (let hop = 0; ; hop++) {
      // Redirects are followed by hand so that every hop passes the allowlist.
      const response = await fetch(url, {
        method: 'GET',
        redirect: 'manual',
        signal,
        headers: { 'user-agent': o.userAgent, accept: accept ?? '*/*' },
      });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || response.status === 304 || location === null) return response;
      await response.body?.cancel().catch(() => undefined);
      if (hop >= o.maxRedirects) throw new UpstreamError('upstream_too_many_redirects', `more than ${o.maxRedirects} redirects from ${start.href}`, { url: start.href });
      url = assertHostAllowed(new URL(location, url), extraHosts);
    }
  }

  async function get<T>(target: string | URL, read: BodyReader<T>, getOptions: GetOptions = {}): Promise<T> {
    const url = assertHostAllowed(target, extraHosts);
    const { signal } = getOptions;
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const wait = nextAllowedAt - now();
      if (wait > 0) await doSleep(wait, signal);
      const result = await attemptOnce(url, read, getOptions);
      if (result.ok) return result.value;
      const { failure } = result;
      if (attempt > o.maxRetries) {
        if (failure.readerError !== undefined) throw failure.readerError;
        throw new UpstreamError(
          'upstream_unavailable',
          `${url.href} failed after ${attempt} attempts (last: ${failure.reason})`,
          { url: url.href, attempts: attempt, reason: failure.reason, ...(failure.status ? { status: failure.status } : {}), ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}) },
          failure.cause ?? undefined,
        );
      }
      const delayMs = failure.retryAfterMs !== undefined ? Math.min(failure.retryAfterMs, o.maxRetryAfterMs) : backoff(attempt);
      options.onRetry?.({ url: url.href, attempt, delayMs, reason: failure.reason, ...(failure.status ? { status: failure.status } : {}) });
      await doSleep(delayMs, signal);
    }
  }

  return {
    get,
    getText: (url, getOptions) =>
      get(
        url,
        async (body) => {
          const chunks: Uint8Array[] = [];
          for await (const chunk of body) chunks.push(chunk);
          return Buffer.concat(chunks).toString('utf8');
        },
        getOptions,
      ),
  };
}

/** Wraps the body so we know whether the stream itself failed, and bounds its size. */
function guardBody(body: ReadableStream<Uint8Array> | null, maxBytes: number, url: string) {
  let streamError: unknown;
  const iterable: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      if (!body) return;
      let total = 0;
      const reader = body.getReader();
      try {
        for (;;) {
          let next: Awaited<ReturnType<typeof reader.read>>;
          try {
            next = await reader.read();
          } catch (error) {
            streamError = error ?? new Error('stream failed');
            throw error;
          }
          if (next.done) return;
          total += next.value.byteLength;
          if (total > maxBytes) {
            throw new UpstreamError('upstream_body_too_large', `response from ${url} exceeds ${maxBytes} bytes`, { url, maxBytes });
          }
          yield next.value;
        }
      } finally {
        reader.releaseLock();
      }
    },
  };
  return { iterable, streamError: () => streamError };
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  const causeMessage = cause instanceof Error ? cause.message : undefined;
  return [error.message, code ?? causeMessage].filter(Boolean).join(': ');
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
