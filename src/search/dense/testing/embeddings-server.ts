/**
 * Test double for an OpenAI-compatible embeddings endpoint: a real HTTP server on loopback that
 * answers `POST /v1/embeddings` ({ model, input }) with deterministic vectors (a signed, hashed bag
 * of words, deliberately not unit length), lists `data` in reverse order (clients must place
 * vectors by `index`), checks a bearer key when given one, and can be scripted to answer the next
 * requests with a status, a raw body or a delay, to exercise retries, timeouts and bad replies.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmbeddingsServerOptions {
  /** Width of the vectors when a request does not ask for `dimensions`. Default 64. */
  dimensions?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

/** One scripted answer; unset fields fall back to normal service. */
export interface ScriptedReply {
  status?: number;
  /** JSON body (an object) or a raw string sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (the request may time out first). */
  delayMs?: number;
  /** Hold the answer until this many requests are open at once (proves a client overlaps them). */
  awaitInFlight?: number;
}

export interface EmbeddingsRequest {
  /** 1-based, in arrival order. */
  n: number;
  model: unknown;
  input: unknown;
  dimensions: unknown;
  authorization: string | undefined;
  /** Status answered (or to be answered, for a delayed reply). */
  status: number;
}

export interface EmbeddingsServer {
  /** e.g. `http://127.0.0.1:41234` (the client appends /v1/embeddings). */
  baseUrl: string;
  requests: EmbeddingsRequest[];
  /** Most requests that were open at the same moment. */
  readonly maxInFlight: number;
  /** Queue answers for the next requests, in order; normal service resumes after them. */
  script(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

/** The server's raw vector for one text: FNV-1a hash of each word picks a slot and a sign. */
export function hashedEmbedding(text: string, dimensions: number): Float32Array {
  const v = new Float32Array(dimensions);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let h = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193) >>> 0;
    v[h % dimensions]! += (h >>> 31) === 1 ? 3 : -3;
  }
  return v;
}

function openAiError(message: string, type = 'invalid_request_error'): unknown {
  return { error: { message, type, param: null, code: null } };
}

export async function startEmbeddingsServer(options: EmbeddingsServerOptions = {}): Promise<EmbeddingsServer> {
  const width = options.dimensions ?? 64;
  const queue: ScriptedReply[] = [];
  const requests: EmbeddingsRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const held: { until: number; send: () => void }[] = [];
  const releaseHeld = () => {
    for (const h of held.filter((x) => inFlight >= x.until)) {
      held.splice(held.indexOf(h), 1);
      h.send();
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        parsed = {};
      }
      const reply = queue.shift() ?? {};
      const normal = answer(req, parsed);
      const status = reply.status ?? normal.status;
      const body = reply.body ?? (reply.status === undefined ? normal.body : openAiError(`scripted ${status}`, 'server_error'));
      requests.push({ n: requests.length + 1, model: parsed.model, input: parsed.input, dimensions: parsed.dimensions, authorization: req.headers.authorization, status });
      const send = () => {
        if (res.destroyed) return;
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
        res.end(text);
      };
      if (reply.awaitInFlight) held.push({ until: reply.awaitInFlight, send });
      else if (reply.delayMs) {
        const timer = setTimeout(send, reply.delayMs);
        res.on('close', () => clearTimeout(timer));
      } else send();
      releaseHeld();
    });
  });

  function answer(req: http.IncomingMessage, body: Record<string, unknown>): { status: number; body: unknown } {
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') return { status: 404, body: openAiError(`no route ${req.method} ${req.url}`) };
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return { status: 401, body: openAiError('Incorrect API key provided.') };
    }
    if (typeof body.model !== 'string' || !body.model) return { status: 400, body: openAiError("'model' is required") };
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((i) => typeof i === 'string')) {
      return { status: 400, body: openAiError("'input' must be a string or a non-empty array of strings") };
    }
    if (inputs.some((i) => i === '')) return { status: 400, body: openAiError("'input' cannot contain an empty string") };
    const dims = typeof body.dimensions === 'number' ? body.dimensions : width;
    const data = (inputs as string[]).map((text, index) => ({ object: 'embedding', index, embedding: Array.from(hashedEmbedding(text, dims)) }));
    return { status: 200, body: { object: 'list', data: data.reverse(), model: body.model, usage: { prompt_tokens: 0, total_tokens: 0 } } };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    script: (...replies) => void queue.push(...replies),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
