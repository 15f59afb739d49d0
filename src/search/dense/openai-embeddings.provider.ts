/**
 * Embedding provider for an OpenAI-compatible endpoint (`POST {baseUrl}/v1/embeddings` with
 * `{ model, input: string[] }`, answered by `{ data: [{ index, embedding }] }`): OpenAI itself, or
 * a local server (llama.cpp, vLLM, Ollama, text-embeddings-inference). Texts go in batches; each
 * attempt has a timeout; 429, 5xx, timeouts and network errors are retried with exponential
 * backoff (Retry-After honoured); other 4xx fail at once. Every reply is checked (one vector per
 * input, placed by `index`, the expected width, finite numbers) and re-normalized, since not every
 * server returns unit vectors. Texts with nothing in them get a zero vector without a request
 * (OpenAI rejects empty input).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { UpstreamError, ValidationError } from '../../domain/errors.js';
import type { SearchDocument } from '../search-document.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { embeddingText } from './embedding-text.js';

export interface OpenAiEmbeddingOptions {
  /** Server root, e.g. `https://api.openai.com` or `http://127.0.0.1:8080`; a trailing `/v1` is accepted too. */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>`; null or absent sends none (local servers). */
  apiKey?: string | null;
  /** Expected vector width; `create` asks the server once when it is not given. */
  dimensions?: number | null;
  /** Also send `dimensions` in each request (OpenAI's text-embedding-3 models shorten their vectors to it). Default false. */
  requestDimensions?: boolean;
  /** Texts per request. Default 64. */
  batchSize?: number;
  /** Requests in flight at once when embedding many documents. Default 1. */
  concurrency?: number;
  /** Per attempt, including reading the body. Default 30 s. */
  timeoutMs?: number;
  /** Further attempts after a 429, 5xx, timeout or network error. Default 4. */
  maxRetries?: number;
  /** First backoff; it doubles on each retry (capped at 30 s) unless Retry-After says otherwise. Default 500 ms. */
  retryBaseMs?: number;
  queryPrefix?: string;
  documentPrefix?: string;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

/** Error codes this provider throws (as UpstreamError). */
type EmbeddingsUpstreamCode =
  /** Retries exhausted on 429/5xx/timeouts/network errors. */
  | 'embeddings_unavailable'
  /** A 4xx other than 429 (bad key, unknown model, input too long): retrying would not help. */
  | 'embeddings_rejected'
  /** The reply is not the documented JSON shape. */
  | 'embeddings_malformed_response'
  /** Vectors of a width other than the configured one. */
  | 'embeddings_dimension_mismatch';

const MAX_BACKOFF_MS = 30_000;
const MAX_RETRY_AFTER_MS = 120_000;

export class OpenAiEmbeddingProvider implements EmbeddingProvider {
  readonly name: string;
  readonly dimensions: number;
  readonly url: string;
  private readonly options: Required<Omit<OpenAiEmbeddingOptions, 'apiKey' | 'dimensions'>> & { apiKey: string | null };

  constructor(options: OpenAiEmbeddingOptions & { dimensions: number }) {
    this.url = embeddingsUrl(options.baseUrl);
    if (!options.model) throw new ValidationError('model is required for the OpenAI-compatible embeddings provider');
    positiveInteger('dimensions', options.dimensions);
    if (options.batchSize !== undefined) positiveInteger('batchSize', options.batchSize);
    if (options.concurrency !== undefined) positiveInteger('concurrency', options.concurrency);
    if (options.timeoutMs !== undefined) positiveInteger('timeoutMs', options.timeoutMs);
    if (options.maxRetries !== undefined && !(Number.isInteger(options.maxRetries) && options.maxRetries >= 0)) {
      throw new ValidationError('maxRetries must be a non-negative integer', { maxRetries: options.maxRetries });
    }
    this.dimensions = options.dimensions;
    this.name = `openai:${options.model}`;
    this.options = {
      baseUrl: options.baseUrl,
      model: options.model,
      apiKey: options.apiKey ?? null,
      requestDimensions: options.requestDimensions ?? false,
      batchSize: options.batchSize ?? 64,
      concurrency: options.concurrency ?? 1,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 4,
      retryBaseMs: options.retryBaseMs ?? 500,
      queryPrefix: options.queryPrefix ?? '',
      documentPrefix: options.documentPrefix ?? '',
      fetch: options.fetch ?? fetch,
    };
  }

  /** Builds the provider, asking the server for one vector to learn the width when `dimensions` is not set. */
  static async create(options: OpenAiEmbeddingOptions): Promise<OpenAiEmbeddingProvider> {
    if (options.dimensions) return new OpenAiEmbeddingProvider({ ...options, dimensions: options.dimensions });
    // A provisional width of 1 only to reach `request`; the probe's reply is not checked against it.
    const probe = new OpenAiEmbeddingProvider({ ...options, dimensions: 1, requestDimensions: false });
    const [vector] = await probe.request(['dimension probe'], null);
    return new OpenAiEmbeddingProvider({ ...options, dimensions: vector!.length });
  }

  async embedDocuments(documents: readonly SearchDocument[]): Promise<Float32Array> {
    return this.embed(documents.map(embeddingText), this.options.documentPrefix);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embed([text], this.options.queryPrefix);
  }

  /** Unit vectors of `texts` (each with `prefix` in front), row-major; blank texts give zero rows. */
  private async embed(texts: readonly string[], prefix: string): Promise<Float32Array> {
    const d = this.dimensions;
    const out = new Float32Array(texts.length * d);
    const rows = texts.map((_, i) => i).filter((i) => texts[i]!.trim() !== '');
    const batches: number[][] = [];
    for (let start = 0; start < rows.length; start += this.options.batchSize) batches.push(rows.slice(start, start + this.options.batchSize));
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (!failed && next < batches.length) {
        const batch = batches[next++]!;
        try {
          const vectors = await this.request(
            batch.map((i) => prefix + texts[i]!),
            d,
          );
          batch.forEach((row, k) => out.set(normalize(vectors[k]!), row * d));
        } catch (error) {
          // The other workers stop after their current request; the first error is reported.
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, batches.length) }, worker));
    return out;
  }

  /** One batch, with retries; vectors in input order, checked against `expected` width when given. */
  private async request(inputs: string[], expected: number | null): Promise<number[][]> {
    const { apiKey, model, maxRetries } = this.options;
    const body = JSON.stringify(this.options.requestDimensions ? { model, input: inputs, dimensions: this.dimensions } : { model, input: inputs });
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    let lastProblem = '';
    let lastCause: unknown;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      let retryAfterMs: number | null = null;
      try {
        const response = await this.options.fetch(this.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs) });
        const text = await response.text();
        if (response.ok) return this.parse(text, inputs.length, expected);
        const message = errorMessage(text);
        if (response.status !== 429 && response.status < 500) {
          throw new UpstreamError('embeddings_rejected', `Embeddings endpoint ${this.url} refused the request (${response.status}${message ? `: ${message}` : ''})`, {
            url: this.url,
            status: response.status,
            message,
          });
        }
        lastProblem = `${response.status}${message ? `: ${message}` : ''}`;
        lastCause = undefined;
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      } catch (error) {
        if (error instanceof UpstreamError) throw error;
        const timedOut = (error as Error).name === 'TimeoutError';
        lastProblem = timedOut ? `no answer within ${this.options.timeoutMs} ms` : `${(error as Error).message}${causeText(error)}`;
        lastCause = error;
      }
      if (attempt < maxRetries) {
        await sleep(retryAfterMs ?? Math.min(MAX_BACKOFF_MS, this.options.retryBaseMs * 2 ** attempt) * (0.75 + Math.random() / 2));
      }
    }
    throw new UpstreamError(
      'embeddings_unavailable',
      `Embeddings endpoint ${this.url} failed after ${maxRetries + 1} attempts (last: ${lastProblem})`,
      { url: this.url, attempts: maxRetries + 1, last: lastProblem },
      lastCause,
    );
  }

  private parse(text: string, count: number, expected: number | null): number[][] {
    const malformed = (problem: string): never => {
      throw new UpstreamError('embeddings_malformed_response', `Embeddings endpoint ${this.url} answered ${problem}`, { url: this.url, problem });
    };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return malformed('something that is not JSON');
    }
    const data = (json as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) return malformed('without a data array');
    if (data.length !== count) return malformed(`${data.length} embeddings for ${count} inputs`);
    const vectors: (number[] | undefined)[] = new Array(count);
    for (const item of data as { index?: unknown; embedding?: unknown }[]) {
      const index = item?.index;
      if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= count || vectors[index as number]) {
        return malformed(`a missing, repeated or out-of-range index (${String(index)})`);
      }
      const embedding = item.embedding;
      if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        return malformed(`an embedding that is not a list of finite numbers at index ${String(index)}`);
      }
      const width = expected ?? vectors.find(Boolean)?.length ?? embedding.length;
      if (embedding.length !== width) {
        throw new UpstreamError(
          'embeddings_dimension_mismatch',
          `Embeddings endpoint ${this.url} returned ${embedding.length}-dimensional vectors for model ${this.options.model}; ${width} expected (check EMBEDDINGS_DIMENSIONS)`,
          { url: this.url, expected: width, actual: embedding.length },
        );
      }
      vectors[index as number] = embedding;
    }
    return vectors as number[][];
  }
}

function embeddingsUrl(baseUrl: string): string {
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new ValidationError('baseUrl must be an http:// or https:// URL', { baseUrl });
  }
  return `${baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/embeddings`;
}

function positiveInteger(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 1)) throw new ValidationError(`${name} must be a positive integer`, { [name]: value });
}

function normalize(vector: readonly number[]): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  return Float32Array.from(vector, (x) => (norm > 0 ? x / norm : 0));
}

/** `{ error: { message } }` (OpenAI), `{ error: "..." }` or `{ message }`; else the text's start. */
function errorMessage(text: string): string {
  try {
    const json = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof json.error === 'string' ? json.error : (json.error?.message ?? json.message);
    if (typeof m === 'string') return m.slice(0, 300);
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 300);
}

function causeText(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = cause?.code ?? cause?.message;
  return detail ? ` (${String(detail)})` : '';
}

/** Seconds or an HTTP date, capped; null when absent or unreadable. */
function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : null;
}
