import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, UpstreamError, ValidationError } from '../../domain/errors.js';
import { type OpenAiEmbeddingOptions, OpenAiEmbeddingProvider } from './openai-embeddings.provider.js';
import { type EmbeddingsServer, hashedEmbedding, startEmbeddingsServer } from './testing/embeddings-server.js';

let server: EmbeddingsServer;
beforeEach(async () => {
  server = await startEmbeddingsServer({ dimensions: 64 });
});
afterEach(async () => {
  await server.close();
});

/** Fast retries: backoff is not what these tests measure. */
function options(extra: Partial<OpenAiEmbeddingOptions> & { dimensions?: number } = {}): OpenAiEmbeddingOptions & { dimensions: number } {
  return { baseUrl: server.baseUrl, model: 'test-embed', dimensions: 64, retryBaseMs: 1, maxRetries: 3, ...extra };
}
function unit(text: string, d = 64): Float32Array {
  const v = hashedEmbedding(text, d);
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / n);
}
function expectSameVector(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]!).toBeCloseTo(b[i]!, 6);
}
async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const documents = [
  { key: '1', title: 'Cardiac imaging', abstract: 'Heart segmentation from ECG-gated MRI.', authors: 'A' },
  { key: '2', title: 'Galaxy surveys', abstract: 'Redshift of distant galaxies.', authors: 'B' },
  { key: '3', title: 'Neural translation', abstract: 'Sequence models for language.', authors: 'C' },
  { key: '4', title: 'Graph rigidity', abstract: 'Sparse graphs and pebble games.', authors: 'D' },
  { key: '5', title: 'Quantum error correction?', abstract: 'Surface codes.', authors: 'E' },
];

describe('OpenAiEmbeddingProvider', () => {
  it('learns the width from the server when none is configured', async () => {
    const provider = await OpenAiEmbeddingProvider.create({ ...options(), dimensions: null });
    expect(provider.dimensions).toBe(64);
    expect(provider.name).toBe('openai:test-embed');
    expect(provider.url).toBe(`${server.baseUrl}/v1/embeddings`);
    expect(server.requests).toHaveLength(1);
  });

  it('embeds title and abstract in batches, places vectors by index and normalizes them', async () => {
    const provider = new OpenAiEmbeddingProvider(options({ batchSize: 2 }));
    const vectors = await provider.embedDocuments(documents);
    expect(server.requests.map((r) => (r.input as string[]).length)).toEqual([2, 2, 1]);
    expect(server.requests[0]!.input).toEqual(['Cardiac imaging. Heart segmentation from ECG-gated MRI.', 'Galaxy surveys. Redshift of distant galaxies.']);
    expect(server.requests[0]!.model).toBe('test-embed');
    // The server lists data in reverse order and not at unit length.
    documents.forEach((d, i) => {
      const expected = unit(i === 4 ? 'Quantum error correction? Surface codes.' : `${d.title}. ${d.abstract}`);
      expectSameVector(vectors.subarray(i * 64, (i + 1) * 64), expected);
    });
  });

  it('keeps several requests in flight when asked, with the same vectors', async () => {
    const sequential = await new OpenAiEmbeddingProvider(options({ batchSize: 1 })).embedDocuments(documents);
    expect(server.maxInFlight).toBe(1);
    // Each of the first three answers waits until three requests are open: a one-at-a-time client would time out.
    server.script({ awaitInFlight: 3 }, { awaitInFlight: 3 }, { awaitInFlight: 3 });
    const parallel = await new OpenAiEmbeddingProvider(options({ batchSize: 1, concurrency: 3, timeoutMs: 10_000, maxRetries: 0 })).embedDocuments(documents);
    expect(server.maxInFlight).toBe(3);
    expect(Array.from(parallel)).toEqual(Array.from(sequential));
    expect(server.requests).toHaveLength(10);
  });

  it('stops and reports the first failure of a parallel run', async () => {
    server.script({ status: 400, body: { error: { message: 'input too long' } } });
    const error = await failure(new OpenAiEmbeddingProvider(options({ batchSize: 1, concurrency: 2 })).embedDocuments(documents));
    expect(error.code).toBe('embeddings_rejected');
    expect(server.requests.length).toBeLessThan(documents.length);
  });

  it('adds prefixes, accepts a base URL ending in /v1 and answers blank text without a request', async () => {
    const provider = new OpenAiEmbeddingProvider(options({ baseUrl: `${server.baseUrl}/v1/`, queryPrefix: 'query: ', documentPrefix: 'passage: ' }));
    expectSameVector(await provider.embedQuery('heart rate'), unit('query: heart rate'));
    expect(server.requests[0]!.input).toEqual(['query: heart rate']);
    const blank = await provider.embedQuery('   ');
    expect(Array.from(blank).every((x) => x === 0)).toBe(true);
    const mixed = await provider.embedDocuments([{ key: 'e', title: '', abstract: '', authors: 'X' }, documents[1]!]);
    expect(Array.from(mixed.subarray(0, 64)).every((x) => x === 0)).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.input).toEqual(['passage: Galaxy surveys. Redshift of distant galaxies.']);
  });

  it('sends dimensions when asked, for models that shorten their vectors', async () => {
    const provider = new OpenAiEmbeddingProvider(options({ dimensions: 16, requestDimensions: true }));
    expectSameVector(await provider.embedQuery('galaxy'), unit('galaxy', 16));
    expect(server.requests[0]!.dimensions).toBe(16);
  });

  it('sends the API key as a bearer token and reports a refused key without retrying', async () => {
    await server.close();
    server = await startEmbeddingsServer({ apiKey: 'sk-test-123' });
    const provider = new OpenAiEmbeddingProvider(options({ apiKey: 'sk-test-123' }));
    expect((await provider.embedQuery('heart')).length).toBe(64);
    expect(server.requests[0]!.authorization).toBe('Bearer sk-test-123');

    const error = await failure(new OpenAiEmbeddingProvider(options({ apiKey: 'wrong' })).embedQuery('heart'));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.code).toBe('embeddings_rejected');
    expect(error.details).toMatchObject({ status: 401, message: 'Incorrect API key provided.' });
    expect(error.message).not.toContain('wrong');
    expect(server.requests).toHaveLength(2);
  });

  it('retries 429 and 5xx answers and then succeeds', async () => {
    server.script({ status: 429, headers: { 'retry-after': '0' } }, { status: 500 }, { status: 503, body: 'upstream down' });
    const provider = new OpenAiEmbeddingProvider(options());
    expectSameVector(await provider.embedQuery('heart'), unit('heart'));
    expect(server.requests.map((r) => r.status)).toEqual([429, 500, 503, 200]);
    expect(server.requests.every((r) => JSON.stringify(r.input) === '["heart"]')).toBe(true);
  });

  it('gives up after maxRetries with embeddings_unavailable', async () => {
    server.script({ status: 502 }, { status: 502 }, { status: 502 }, { status: 502 });
    const error = await failure(new OpenAiEmbeddingProvider(options({ maxRetries: 2 })).embedQuery('heart'));
    expect(error.code).toBe('embeddings_unavailable');
    expect(error.details).toMatchObject({ attempts: 3 });
    expect(error.message).toContain('502');
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a 400 and passes on the server message', async () => {
    server.script({ status: 400, body: { error: { message: 'This model does not exist' } } });
    const error = await failure(new OpenAiEmbeddingProvider(options()).embedQuery('heart'));
    expect(error.code).toBe('embeddings_rejected');
    expect(error.message).toContain('This model does not exist');
    expect(server.requests).toHaveLength(1);
  });

  it('times out a silent server, retries, and fails once retries run out', async () => {
    server.script({ delayMs: 10_000 });
    const provider = new OpenAiEmbeddingProvider(options({ timeoutMs: 200, maxRetries: 1 }));
    expectSameVector(await provider.embedQuery('star'), unit('star'));
    expect(server.requests).toHaveLength(2);

    server.script({ delayMs: 10_000 }, { delayMs: 10_000 });
    const error = await failure(provider.embedQuery('star'));
    expect(error.code).toBe('embeddings_unavailable');
    expect(error.message).toContain('no answer within 200 ms');
  });

  it('fails on an unreachable server after its retries', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(new OpenAiEmbeddingProvider(options({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 })).embedQuery('x'));
    expect(error.code).toBe('embeddings_unavailable');
    expect(error.details).toMatchObject({ attempts: 2 });
  });

  it('rejects malformed replies and vectors of the wrong width', async () => {
    const provider = new OpenAiEmbeddingProvider(options({ maxRetries: 0 }));
    const vector = Array.from({ length: 64 }, () => 0.5);
    const bad: [unknown, string][] = [
      ['<html>gateway</html>', 'embeddings_malformed_response'],
      [{ object: 'list' }, 'embeddings_malformed_response'],
      [{ data: [{ index: 0, embedding: vector }] }, 'embeddings_malformed_response'],
      [{ data: [{ index: 0, embedding: vector }, { index: 0, embedding: vector }] }, 'embeddings_malformed_response'],
      [{ data: [{ index: 0, embedding: vector }, { index: 1, embedding: ['a'] }] }, 'embeddings_malformed_response'],
      [{ data: [{ index: 0, embedding: vector }, { index: 1, embedding: vector.slice(1) }] }, 'embeddings_dimension_mismatch'],
    ];
    for (const [body, code] of bad) {
      server.script({ status: 200, body });
      const error = await failure(provider.embedDocuments(documents.slice(0, 2)));
      expect(error.code, JSON.stringify(body).slice(0, 80)).toBe(code);
    }
    // A server whose model is wider than configured.
    const narrow = new OpenAiEmbeddingProvider(options({ dimensions: 32 }));
    const error = await failure(narrow.embedQuery('heart'));
    expect(error.code).toBe('embeddings_dimension_mismatch');
    expect(error.details).toMatchObject({ expected: 32, actual: 64 });
  });

  it('validates its options', () => {
    expect(() => new OpenAiEmbeddingProvider(options({ baseUrl: 'ftp://x' }))).toThrow(ValidationError);
    expect(() => new OpenAiEmbeddingProvider(options({ model: '' }))).toThrow(ValidationError);
    expect(() => new OpenAiEmbeddingProvider(options({ batchSize: 0 }))).toThrow(ValidationError);
    expect(() => new OpenAiEmbeddingProvider(options({ dimensions: 0 }))).toThrow(ValidationError);
  });
});
