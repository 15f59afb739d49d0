import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { ConfigError } from '../../domain/errors.js';
import { createEmbeddingProvider, type EmbeddingProviderSettings } from './create-embedding-provider.js';
import { OnnxEmbeddingProvider } from './onnx.provider.js';
import { OpenAiEmbeddingProvider } from './openai-embeddings.provider.js';
import { type EmbeddingsServer, startEmbeddingsServer } from './testing/embeddings-server.js';
import { writeTinyOnnxModel } from './testing/tiny-onnx-model.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'paperboy-providers-'));
const modelDir = path.join(root, 'tiny');
writeTinyOnnxModel(modelDir, { hiddenSize: 24 });
let server: EmbeddingsServer;
beforeAll(async () => {
  server = await startEmbeddingsServer({ dimensions: 48 });
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('createEmbeddingProvider', () => {
  it('builds nothing for lsa, the default (the engine fits that one on the corpus)', async () => {
    expect(await createEmbeddingProvider(loadConfig({}).embeddings)).toBeNull();
  });

  it('opens the onnx model named by the environment, with its prefixes', async () => {
    const settings: EmbeddingProviderSettings = loadConfig({ EMBEDDINGS_PROVIDER: 'onnx', EMBEDDINGS_MODEL_DIR: modelDir, EMBEDDINGS_QUERY_PREFIX: 'query: ' }).embeddings;
    const provider = await createEmbeddingProvider(settings, { threads: 1 });
    expect(provider).toBeInstanceOf(OnnxEmbeddingProvider);
    const onnx = provider as OnnxEmbeddingProvider;
    expect(onnx.dimensions).toBe(24);
    const query = await onnx.embedQuery('heart');
    const expected = await onnx.embedTexts(['query: heart']);
    expect(Array.from(query)).toEqual(Array.from(expected));
    await onnx.close();
  });

  it('refuses an onnx model whose width contradicts EMBEDDINGS_DIMENSIONS', async () => {
    const settings = loadConfig({ EMBEDDINGS_PROVIDER: 'onnx', EMBEDDINGS_MODEL_DIR: modelDir, EMBEDDINGS_DIMENSIONS: '768' }).embeddings;
    await expect(createEmbeddingProvider(settings, { threads: 1 })).rejects.toThrow(ConfigError);
  });

  it('connects to the openai endpoint, learning the width or checking the configured one', async () => {
    const env = { EMBEDDINGS_PROVIDER: 'openai', EMBEDDINGS_URL: server.baseUrl, EMBEDDINGS_MODEL: 'test-embed', EMBEDDINGS_API_KEY: 'k' };
    const learned = await createEmbeddingProvider(loadConfig(env).embeddings);
    expect(learned).toBeInstanceOf(OpenAiEmbeddingProvider);
    expect(learned!.dimensions).toBe(48);
    expect(server.requests.at(-1)!.authorization).toBe('Bearer k');

    const configured = await createEmbeddingProvider(loadConfig({ ...env, EMBEDDINGS_DIMENSIONS: '32' }).embeddings);
    expect(configured!.dimensions).toBe(32);
    await expect(configured!.embedQuery('heart')).rejects.toMatchObject({ code: 'embeddings_dimension_mismatch' });
  });
});
