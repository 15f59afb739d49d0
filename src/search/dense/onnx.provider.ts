/**
 * Embedding provider for a pretrained sentence-embedding model in a local directory
 * (`config.json`, `tokenizer.json`, `model.onnx` or `onnx/model.onnx`), run with ONNX Runtime on
 * the CPU. The model is read from the path only; nothing is fetched. Texts are tokenized with our
 * WordPiece tokenizer, batched with padding (sorted by length so batches waste little), run, and
 * mean-pooled over the attention mask (or taken as they are when the model outputs a pooled
 * vector), then L2-normalized. Models of the e5/bge families want a prefix on queries and
 * documents ("query: ", "passage: "); it is an option.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { AppError, ParseError, ValidationError } from '../../domain/errors.js';
import type { SearchDocument } from '../search-document.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { embeddingText } from './embedding-text.js';
import { type WordPieceEncoding, WordPieceTokenizer } from './wordpiece-tokenizer.js';

export interface OnnxEmbeddingOptions {
  /** Folder holding config.json, tokenizer.json and model.onnx (or onnx/model.onnx). */
  modelDir: string;
  /** Tokens per text including [CLS]/[SEP]; default: the tokenizer's truncation, else max_position_embeddings, else 512. */
  maxLength?: number;
  /** Texts per ONNX run. Default 16. */
  batchSize?: number;
  /** Put before each query, e.g. "query: " for e5 models. Default none. */
  queryPrefix?: string;
  /** Put before each document's text, e.g. "passage: " for e5 models. Default none. */
  documentPrefix?: string;
  /** ONNX Runtime intra-op threads; default: ONNX Runtime's choice (one per core). */
  threads?: number;
  /** Output to read; default `last_hidden_state`, else `sentence_embedding`, else the only output. */
  outputName?: string;
}

export type EmbeddingModelErrorCode =
  /** The directory or one of its files does not exist. */
  | 'embedding_model_not_found'
  /** The files exist but the model's inputs, outputs or settings do not fit a BERT-shaped encoder. */
  | 'embedding_model_incompatible'
  /** A run failed after the model had loaded. */
  | 'embedding_inference_failed';

/** A local embedding model cannot be used; `details.modelDir` says which one. */
export class EmbeddingModelError extends AppError {
  constructor(code: EmbeddingModelErrorCode, message: string, details: Record<string, unknown>, cause?: unknown) {
    super(code, message, { details, cause });
  }
}

/** position_ids, which some exports declare, gets 0..seq-1 as BERT computes it by default. */
const KNOWN_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids', 'position_ids'] as const;
type InputName = (typeof KNOWN_INPUTS)[number];
type IdType = 'int64' | 'int32';
const OUTPUT_PREFERENCE = ['last_hidden_state', 'sentence_embedding'];
const TOKENIZE_CHUNK = 4096;

interface Model {
  session: ort.InferenceSession;
  inputs: Map<InputName, IdType>;
  outputName: string;
}

export class OnnxEmbeddingProvider implements EmbeddingProvider {
  readonly name: string;
  private readonly batchSize: number;
  private readonly queryPrefix: string;
  private readonly documentPrefix: string;

  private constructor(
    private readonly model: Model,
    private readonly tokenizer: WordPieceTokenizer,
    readonly modelDir: string,
    readonly maxLength: number,
    readonly dimensions: number,
    options: OnnxEmbeddingOptions,
  ) {
    this.name = `onnx:${path.basename(modelDir)}`;
    this.batchSize = options.batchSize ?? 16;
    this.queryPrefix = options.queryPrefix ?? '';
    this.documentPrefix = options.documentPrefix ?? '';
  }

  /** Opens the model and checks it end to end (one real run), so a bad directory fails here, not on the first search. */
  static async load(options: OnnxEmbeddingOptions): Promise<OnnxEmbeddingProvider> {
    const modelDir = path.resolve(options.modelDir);
    if (options.batchSize !== undefined && !(Number.isInteger(options.batchSize) && options.batchSize >= 1)) {
      throw new ValidationError('batchSize must be a positive integer', { batchSize: options.batchSize });
    }
    if (!existsSync(modelDir) || !statSync(modelDir).isDirectory()) {
      throw new EmbeddingModelError('embedding_model_not_found', `Embedding model directory ${modelDir} does not exist`, { modelDir });
    }
    const need = (file: string): string => {
      const full = path.join(modelDir, file);
      if (!existsSync(full)) throw new EmbeddingModelError('embedding_model_not_found', `Embedding model directory ${modelDir} has no ${file}`, { modelDir, file });
      return full;
    };
    const config = readJson(need('config.json'));
    const tokenizerPath = need('tokenizer.json');
    const tokenizer = WordPieceTokenizer.fromJson(readJson(tokenizerPath), tokenizerPath);
    const modelPath = existsSync(path.join(modelDir, 'onnx', 'model.onnx')) && !existsSync(path.join(modelDir, 'model.onnx')) ? path.join(modelDir, 'onnx', 'model.onnx') : need('model.onnx');

    const limit = typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : 512;
    const maxLength = options.maxLength ?? Math.min(tokenizer.truncationLength ?? limit, limit);
    if (!Number.isInteger(maxLength) || maxLength <= tokenizer.specialTokenCount || maxLength > limit) {
      throw new ValidationError(`maxLength must be an integer between ${tokenizer.specialTokenCount + 1} and the model's ${limit} positions`, { maxLength, modelDir });
    }

    const model = await openSession(modelPath, modelDir, options);
    try {
      const incompatible = (message: string, details: Record<string, unknown> = {}, cause?: unknown) =>
        new EmbeddingModelError('embedding_model_incompatible', `${modelPath}: ${message}`, { modelDir, ...details }, cause);
      let probe: ort.Tensor;
      try {
        probe = await runModel(model, [tokenizer.encode('embedding probe', maxLength)], tokenizer.padId);
      } catch (error) {
        throw incompatible(`a test run failed (${(error as Error).message})`, {}, error);
      }
      const dims = probe.dims;
      if (probe.type !== 'float32' || (dims.length !== 2 && dims.length !== 3)) {
        throw incompatible(`output ${model.outputName} is ${probe.type} [${dims.join(', ')}]; float32 [batch, seq, hidden] or [batch, hidden] expected`, { output: model.outputName });
      }
      const dimensions = dims[dims.length - 1]!;
      if (dims.length === 3 && typeof config.hidden_size === 'number' && config.hidden_size !== dimensions) {
        throw incompatible(`output width ${dimensions} differs from config.json hidden_size ${config.hidden_size}`, { output: model.outputName });
      }
      if (typeof config.vocab_size === 'number' && tokenizer.vocabularySize > config.vocab_size) {
        throw incompatible(`tokenizer.json has ${tokenizer.vocabularySize} tokens but config.json vocab_size is ${config.vocab_size}`);
      }
      return new OnnxEmbeddingProvider(model, tokenizer, modelDir, maxLength, dimensions, options);
    } catch (error) {
      await model.session.release();
      throw error;
    }
  }

  async embedDocuments(documents: readonly SearchDocument[]): Promise<Float32Array> {
    return this.embedTexts(documents.map((d) => this.documentPrefix + embeddingText(d)));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embedTexts([this.queryPrefix + text]);
  }

  /** Unit vectors of raw texts (no prefix added), row-major. */
  async embedTexts(texts: readonly string[]): Promise<Float32Array> {
    const out = new Float32Array(texts.length * this.dimensions);
    // Token ids for a few thousand texts at a time: a million abstracts would not fit as JS arrays.
    for (let first = 0; first < texts.length; first += TOKENIZE_CHUNK) {
      const encodings = texts.slice(first, first + TOKENIZE_CHUNK).map((t) => this.tokenizer.encode(t, this.maxLength));
      // Similar lengths together: a batch is padded to its longest text.
      const order = encodings.map((_, i) => i).sort((a, b) => encodings[a]!.ids.length - encodings[b]!.ids.length);
      for (let start = 0; start < order.length; start += this.batchSize) {
        const rows = order.slice(start, start + this.batchSize);
        const batch = rows.map((i) => encodings[i]!);
        let output: ort.Tensor;
        try {
          output = await runModel(this.model, batch, this.tokenizer.padId);
        } catch (error) {
          throw new EmbeddingModelError('embedding_inference_failed', `Embedding model ${this.modelDir} failed: ${(error as Error).message}`, { modelDir: this.modelDir }, error);
        }
        const vectors = pool(output, batch, this.dimensions);
        rows.forEach((row, k) => out.set(vectors.subarray(k * this.dimensions, (k + 1) * this.dimensions), (first + row) * this.dimensions));
      }
    }
    return out;
  }

  /** Frees the native session. */
  async close(): Promise<void> {
    await this.model.session.release();
  }
}

function readJson(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ParseError(`${file} is not valid JSON`, { source: file }, error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ParseError(`${file} is not a JSON object`, { source: file });
  return value as Record<string, unknown>;
}

async function openSession(modelPath: string, modelDir: string, options: OnnxEmbeddingOptions): Promise<Model> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelPath, {
      graphOptimizationLevel: 'all',
      interOpNumThreads: 1,
      ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
    });
  } catch (error) {
    throw new EmbeddingModelError('embedding_model_incompatible', `ONNX Runtime cannot load ${modelPath}: ${(error as Error).message}`, { modelDir }, error);
  }
  const fail = (message: string, details: Record<string, unknown>): never => {
    void session.release();
    throw new EmbeddingModelError('embedding_model_incompatible', `${modelPath}: ${message}`, { modelDir, inputs: session.inputNames, outputs: session.outputNames, ...details });
  };
  const inputs = new Map<InputName, IdType>();
  for (const meta of session.inputMetadata) {
    if (!(KNOWN_INPUTS as readonly string[]).includes(meta.name)) fail(`input "${meta.name}" is not one of ${KNOWN_INPUTS.join(', ')}`, { input: meta.name });
    const type = meta.isTensor ? meta.type : 'non-tensor';
    if (type !== 'int64' && type !== 'int32') fail(`input "${meta.name}" is ${type}; int64 or int32 expected`, { input: meta.name });
    inputs.set(meta.name as InputName, type as IdType);
  }
  for (const required of ['input_ids', 'attention_mask'] as const) {
    if (!inputs.has(required)) fail(`has no "${required}" input`, { input: required });
  }
  const names = session.outputNames;
  const outputName = options.outputName ?? OUTPUT_PREFERENCE.find((n) => names.includes(n)) ?? (names.length === 1 ? names[0] : undefined);
  if (outputName === undefined || !names.includes(outputName)) {
    fail(options.outputName ? `has no output "${options.outputName}"` : `has no last_hidden_state or sentence_embedding output`, { output: outputName ?? null });
  }
  return { session, inputs, outputName: outputName! };
}

/** One padded batch through the model; returns the chosen output tensor. */
async function runModel(model: Model, batch: readonly WordPieceEncoding[], padId: number): Promise<ort.Tensor> {
  const seq = Math.max(...batch.map((e) => e.ids.length));
  const values: Record<InputName, number[]> = { input_ids: [], attention_mask: [], token_type_ids: [], position_ids: [] };
  for (const e of batch) {
    const pad = seq - e.ids.length;
    values.input_ids.push(...e.ids, ...Array<number>(pad).fill(padId));
    values.attention_mask.push(...Array<number>(e.ids.length).fill(1), ...Array<number>(pad).fill(0));
    values.token_type_ids.push(...e.typeIds, ...Array<number>(pad).fill(0));
    for (let t = 0; t < seq; t++) values.position_ids.push(t);
  }
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, type] of model.inputs) {
    const data = type === 'int64' ? BigInt64Array.from(values[name], BigInt) : Int32Array.from(values[name]);
    feeds[name] = new ort.Tensor(type, data, [batch.length, seq]);
  }
  const result = await model.session.run(feeds, [model.outputName]);
  return result[model.outputName]!;
}

/** Mean over unmasked positions (or the pooled rows as they are), each row scaled to unit length. */
function pool(output: ort.Tensor, batch: readonly WordPieceEncoding[], dimensions: number): Float32Array {
  const data = output.data as Float32Array;
  const dims = output.dims;
  const out = new Float32Array(batch.length * dimensions);
  const sum = new Float64Array(dimensions);
  if (dims[0] !== batch.length || dims[dims.length - 1] !== dimensions) {
    throw new EmbeddingModelError('embedding_inference_failed', `model output [${dims.join(', ')}] does not fit a batch of ${batch.length} x ${dimensions}`, { dims: [...dims] });
  }
  for (let b = 0; b < batch.length; b++) {
    sum.fill(0);
    if (dims.length === 3) {
      const seq = dims[1]!;
      const length = batch[b]!.ids.length;
      // Padded positions carry output too (a real BERT's are far from zero); only real tokens count.
      for (let t = 0; t < length; t++) {
        const base = (b * seq + t) * dimensions;
        for (let j = 0; j < dimensions; j++) sum[j]! += data[base + j]!;
      }
      for (let j = 0; j < dimensions; j++) sum[j]! /= length;
    } else {
      for (let j = 0; j < dimensions; j++) sum[j] = data[b * dimensions + j]!;
    }
    let norm = 0;
    for (let j = 0; j < dimensions; j++) norm += sum[j]! * sum[j]!;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < dimensions; j++) out[b * dimensions + j] = sum[j]! / norm;
  }
  return out;
}
