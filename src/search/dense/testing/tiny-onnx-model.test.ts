import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyVocabulary, writeTinyOnnxModel } from './tiny-onnx-model.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'paperboy-tiny-model-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeTinyOnnxModel', () => {
  it('writes the same bytes for the same seed and different weights for another', () => {
    const bytes = (name: string, seed: number) => {
      writeTinyOnnxModel(path.join(root, name), { seed });
      return readFileSync(path.join(root, name, 'model.onnx'));
    };
    const a = bytes('a', 1);
    expect(bytes('b', 1).equals(a)).toBe(true);
    expect(bytes('c', 2).equals(a)).toBe(false);
  });

  it('declares the inputs and outputs ONNX Runtime then reports, and a matching config and vocabulary', async () => {
    const dir = path.join(root, 'io');
    const model = writeTinyOnnxModel(dir, { hiddenSize: 8, maxPositionEmbeddings: 16 });
    const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'));
    expect(session.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(session.outputMetadata).toEqual([{ name: 'last_hidden_state', isTensor: true, type: 'float32', shape: ['batch', 'sequence', 8] }]);
    // Two texts, the second padded: each real position is a function of its own token only.
    const ids = [2, 5, 3, 2, 5, 0].map(BigInt);
    const shape = [2, 3];
    const out = await session.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids), shape),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 0n]), shape),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(6), shape),
    });
    await session.release();
    const h = out.last_hidden_state!.data as Float32Array;
    expect(Array.from(h.subarray(8, 16))).toEqual(Array.from(h.subarray(32, 40)));
    expect(Array.from(h.subarray(40, 48)).some((x) => x !== 0)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'))).toMatchObject({ hidden_size: 8, max_position_embeddings: 16, vocab_size: tinyVocabulary().length });
    expect(model.vocab.get('[PAD]')).toBe(0);
  });
});
