import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ParseError, ValidationError } from '../../domain/errors.js';
import { OnnxEmbeddingProvider, type OnnxEmbeddingOptions } from './onnx.provider.js';
import { type TinyOnnxModelOptions, writeTinyOnnxModel } from './testing/tiny-onnx-model.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'paperboy-onnx-'));
let counter = 0;
function modelDir(options: TinyOnnxModelOptions = {}): string {
  const dir = path.join(root, `model-${++counter}`);
  writeTinyOnnxModel(dir, options);
  return dir;
}
const open: OnnxEmbeddingProvider[] = [];
async function load(options: Partial<OnnxEmbeddingOptions> & { modelDir: string }): Promise<OnnxEmbeddingProvider> {
  const provider = await OnnxEmbeddingProvider.load({ threads: 1, ...options });
  open.push(provider);
  return provider;
}
async function loadError(options: OnnxEmbeddingOptions): Promise<AppError> {
  try {
    await load(options);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the model to be rejected');
}
afterAll(async () => {
  for (const p of open) await p.close();
  rmSync(root, { recursive: true, force: true });
});

function row(vectors: Float32Array, i: number, d: number): Float32Array {
  return vectors.subarray(i * d, (i + 1) * d);
}
function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
function expectSameVector(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]!).toBeCloseTo(b[i]!, 5);
}

describe('OnnxEmbeddingProvider', () => {
  let dir: string;
  let provider: OnnxEmbeddingProvider;
  beforeAll(async () => {
    dir = modelDir();
    provider = await load({ modelDir: dir });
  });

  it('reads its width and length limit from the model directory', () => {
    expect(provider.dimensions).toBe(32);
    expect(provider.maxLength).toBe(64);
    expect(provider.name).toBe(`onnx:${path.basename(dir)}`);
  });

  it('mean-pools the model output over real tokens and normalizes it', async () => {
    // The same computation by hand: one unpadded run of [CLS] heart ecg [SEP], averaged over 4 rows.
    const vocab = JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')).model.vocab as Record<string, number>;
    const ids = ['[CLS]', 'heart', 'ecg', '[SEP]'].map((t) => BigInt(vocab[t]!));
    const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'));
    const shape = [1, ids.length];
    const result = await session.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids), shape),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), shape),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(ids.length), shape),
    });
    await session.release();
    const hidden = result.last_hidden_state!.data as Float32Array;
    const mean = new Float32Array(32);
    for (let t = 0; t < ids.length; t++) for (let j = 0; j < 32; j++) mean[j]! += hidden[t * 32 + j]! / ids.length;
    const norm = Math.sqrt(dot(mean, mean));
    const [vector] = [await provider.embedQuery('Heart ECG')];
    expectSameVector(vector!, mean.map((v) => v / norm));
    expect(dot(vector!, vector!)).toBeCloseTo(1, 5);
  });

  it('gives a text the same vector alone, padded in a batch, and at any batch size', async () => {
    const texts = ['heart', 'deep neural network learning representation for galaxy images and stellar redshift', 'cardiac ecg', 'star'];
    const together = await provider.embedTexts(texts);
    const oneByOne = await load({ modelDir: dir, batchSize: 1 });
    const separately = await oneByOne.embedTexts(texts);
    for (let i = 0; i < texts.length; i++) {
      expectSameVector(row(together, i, 32), row(separately, i, 32));
      expectSameVector(row(together, i, 32), await provider.embedTexts([texts[i]!]));
    }
  });

  it('puts texts about one topic close even without shared words', async () => {
    const [heart, cardiac, galaxy, pixel] = await Promise.all(['heart artery', 'cardiac myocardial', 'galaxy redshift', 'pixel camera'].map((t) => provider.embedQuery(t)));
    expect(dot(heart!, cardiac!)).toBeGreaterThan(0.8);
    expect(dot(heart!, cardiac!)).toBeGreaterThan(dot(heart!, galaxy!) + 0.3);
    expect(dot(heart!, cardiac!)).toBeGreaterThan(dot(heart!, pixel!) + 0.3);
  });

  it('keeps rows in place across tokenization chunks of many texts', async () => {
    const words = ['heart', 'galaxy', 'pixel', 'token', 'deep', 'star', 'ecg', 'camera'];
    const texts = Array.from({ length: 4100 }, (_, i) => `${words[i % 8]} ${words[(i >> 3) % 8]} ${'learning '.repeat(i % 5)}`);
    const all = await provider.embedTexts(texts);
    for (const i of [0, 4095, 4096, 4099]) expectSameVector(row(all, i, 32), await provider.embedTexts([texts[i]!]));
  });

  it('embeds title and abstract of documents, ranking the on-topic paper first for a query', async () => {
    const documents = [
      { key: 'a', title: 'Stellar populations', abstract: 'A telescope survey of galaxies at high redshift.', authors: 'Ann' },
      { key: 'b', title: 'Cardiac imaging', abstract: 'Myocardial segmentation of the heart from ECG-gated images.', authors: 'Bob' },
      { key: 'c', title: 'Neural machine translation', abstract: 'A language model over sentence tokens.', authors: 'Cy' },
    ];
    const vectors = await provider.embedDocuments(documents);
    expect(vectors.length).toBe(3 * 32);
    expectSameVector(row(vectors, 1, 32), await provider.embedTexts(['Cardiac imaging. Myocardial segmentation of the heart from ECG-gated images.']));
    const query = await provider.embedQuery('artery ecg');
    const scores = documents.map((_, i) => dot(query, row(vectors, i, 32)));
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
  });

  it('adds the configured query and document prefixes', async () => {
    const prefixed = await load({ modelDir: dir, queryPrefix: 'query: ', documentPrefix: 'passage: ' });
    const q = await prefixed.embedQuery('heart');
    expectSameVector(q, await provider.embedTexts(['query: heart']));
    expect(dot(q, await provider.embedQuery('heart'))).toBeLessThan(0.9999);
    const d = await prefixed.embedDocuments([{ key: 'x', title: 'Galaxy', abstract: '', authors: '' }]);
    expectSameVector(d, await provider.embedTexts(['passage: Galaxy']));
  });

  it('truncates texts to maxLength tokens', async () => {
    const short = await load({ modelDir: dir, maxLength: 4 });
    expectSameVector(await short.embedQuery('heart galaxy star pixel'), await provider.embedQuery('heart galaxy'));
  });

  it('feeds position_ids to a model that declares them', async () => {
    const withPositions = await load({ modelDir: modelDir({ extraInputs: ['position_ids'] }) });
    // Same seed, and the graph multiplies the positions by zero: the vectors must match the plain model's.
    const texts = ['heart ecg', 'galaxy redshift telescope survey'];
    expectSameVector(await withPositions.embedTexts(texts), await provider.embedTexts(texts));
  });

  it('works with int32 inputs, without token_type_ids and with a pooled output', async () => {
    const variant = await load({ modelDir: modelDir({ inputType: 'int32', withTokenTypeIds: false, output: 'sentence_embedding', hiddenSize: 16 }) });
    expect(variant.dimensions).toBe(16);
    const vectors = await variant.embedTexts(['heart', 'galaxy redshift telescope']);
    expect(dot(row(vectors, 0, 16), row(vectors, 0, 16))).toBeCloseTo(1, 5);
    expectSameVector(row(vectors, 0, 16), await variant.embedTexts(['heart']));
  });
});

describe('OnnxEmbeddingProvider.load rejects what it cannot use', () => {
  it('names a missing directory or file', async () => {
    const missing = await loadError({ modelDir: path.join(root, 'nope') });
    expect(missing.code).toBe('embedding_model_not_found');
    for (const file of ['tokenizer.json', 'config.json', 'model.onnx']) {
      const dir = modelDir();
      unlinkSync(path.join(dir, file));
      const error = await loadError({ modelDir: dir });
      expect(error.code).toBe('embedding_model_not_found');
      expect(error.details).toMatchObject({ file });
    }
  });

  it('finds model.onnx under onnx/ as Hugging Face exports lay it out', async () => {
    const dir = modelDir();
    const { mkdirSync, renameSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'onnx'));
    renameSync(path.join(dir, 'model.onnx'), path.join(dir, 'onnx', 'model.onnx'));
    expect((await load({ modelDir: dir })).dimensions).toBe(32);
  });

  it('rejects inputs it cannot feed and outputs that do not fit', async () => {
    const extra = await loadError({ modelDir: modelDir({ extraInputs: ['past_key_values'] }) });
    expect(extra.code).toBe('embedding_model_incompatible');
    expect(extra.message).toContain('past_key_values');
    const renamed = await loadError({ modelDir: modelDir({ inputIdsName: 'ids' }) });
    expect(renamed.code).toBe('embedding_model_incompatible');
    expect(renamed.details).toMatchObject({ input: 'ids' });
    const wrongOutput = await loadError({ modelDir: modelDir(), outputName: 'pooler_output' });
    expect(wrongOutput.code).toBe('embedding_model_incompatible');
  });

  it('rejects a config.json that disagrees with the model and a file that is not a model', async () => {
    const dir = modelDir();
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, hidden_size: 768 }));
    expect((await loadError({ modelDir: dir })).code).toBe('embedding_model_incompatible');

    const garbage = modelDir();
    writeFileSync(path.join(garbage, 'model.onnx'), 'not a protobuf');
    expect((await loadError({ modelDir: garbage })).code).toBe('embedding_model_incompatible');

    const badJson = modelDir();
    writeFileSync(path.join(badJson, 'config.json'), '{ hidden_size: ');
    expect(await loadError({ modelDir: badJson })).toBeInstanceOf(ParseError);
  });

  it('rejects options outside the model limits', async () => {
    const dir = modelDir();
    expect(await loadError({ modelDir: dir, maxLength: 65 })).toBeInstanceOf(ValidationError);
    expect(await loadError({ modelDir: dir, maxLength: 2 })).toBeInstanceOf(ValidationError);
    expect(await loadError({ modelDir: dir, batchSize: 0 })).toBeInstanceOf(ValidationError);
  });
});
