/**
 * Builds the pretrained-model embedding provider the settings ask for: a local ONNX model
 * directory or an OpenAI-compatible endpoint. The corpus-trained LSA provider is fitted on the
 * papers by the search engine itself, so for `lsa` there is nothing to build here (null).
 * The settings have the shape of `config.embeddings`; they are declared here so the search layer
 * does not depend on the config module.
 */
import { ConfigError } from '../../domain/errors.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { OnnxEmbeddingProvider } from './onnx.provider.js';
import { OpenAiEmbeddingProvider } from './openai-embeddings.provider.js';

export interface EmbeddingProviderSettings {
  readonly provider: 'lsa' | 'onnx' | 'openai';
  readonly modelDir: string | null;
  readonly url: string | null;
  readonly model: string | null;
  readonly apiKey: string | null;
  readonly dimensions: number | null;
  readonly queryPrefix: string;
  readonly documentPrefix: string;
}

export interface EmbeddingProviderRuntime {
  /** ONNX Runtime threads (onnx); default: one per core. */
  threads?: number;
  /** Texts per ONNX run or per HTTP request. */
  batchSize?: number;
  /** Requests in flight at once (openai). Default 1. */
  concurrency?: number;
  /** HTTP client for the openai provider (default: global fetch). */
  fetch?: typeof fetch;
}

/**
 * Opens and checks the provider: the ONNX model is loaded and run once; the endpoint is asked for
 * one vector when `dimensions` is not set. Failures are the providers' typed errors
 * (embedding_model_not_found / embedding_model_incompatible, embeddings_unavailable /
 * embeddings_rejected, ...) or a ConfigError for settings that contradict the model.
 */
export async function createEmbeddingProvider(settings: EmbeddingProviderSettings, runtime: EmbeddingProviderRuntime = {}): Promise<EmbeddingProvider | null> {
  switch (settings.provider) {
    case 'lsa':
      return null;
    case 'onnx': {
      if (!settings.modelDir) throw new ConfigError('EMBEDDINGS_MODEL_DIR is required for the onnx embedding provider');
      const provider = await OnnxEmbeddingProvider.load({
        modelDir: settings.modelDir,
        queryPrefix: settings.queryPrefix,
        documentPrefix: settings.documentPrefix,
        ...(runtime.threads ? { threads: runtime.threads } : {}),
        ...(runtime.batchSize ? { batchSize: runtime.batchSize } : {}),
      });
      if (settings.dimensions !== null && settings.dimensions !== provider.dimensions) {
        await provider.close();
        throw new ConfigError(`EMBEDDINGS_DIMENSIONS is ${settings.dimensions} but the model in ${settings.modelDir} produces ${provider.dimensions}-dimensional vectors`, {
          expected: settings.dimensions,
          actual: provider.dimensions,
        });
      }
      return provider;
    }
    case 'openai': {
      if (!settings.url || !settings.model) throw new ConfigError('EMBEDDINGS_URL and EMBEDDINGS_MODEL are required for the openai embedding provider');
      return OpenAiEmbeddingProvider.create({
        baseUrl: settings.url,
        model: settings.model,
        apiKey: settings.apiKey,
        dimensions: settings.dimensions,
        queryPrefix: settings.queryPrefix,
        documentPrefix: settings.documentPrefix,
        ...(runtime.batchSize ? { batchSize: runtime.batchSize } : {}),
        ...(runtime.concurrency ? { concurrency: runtime.concurrency } : {}),
        ...(runtime.fetch ? { fetch: runtime.fetch } : {}),
      });
    }
  }
}
