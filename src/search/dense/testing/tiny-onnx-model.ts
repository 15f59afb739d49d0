/**
 * Writes a tiny BERT-shaped model directory (config.json, tokenizer.json, model.onnx) so the ONNX
 * provider is tested against ONNX Runtime itself, with nothing downloaded. The network has no
 * attention: each token's output depends on that token alone,
 *
 *   last_hidden_state = tanh(((E[input_ids] + T[token_type_ids]) * mask) W + b),
 *
 * and E has structure: words of one topic group share a seeded base direction plus a little noise,
 * so "heart" and "cardiac" land close and "galaxy" far away. Padded positions come out as tanh(b),
 * which is not zero, so pooling that forgets the attention mask changes a text's vector.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { seededRandom } from '../../seeded-random.js';
import { DataType, encodeModel, type NodeSpec, type TensorSpec, type ValueInfoSpec } from './onnx-protobuf.js';

export const TINY_SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** Words of one group share a direction in the embedding table. */
export const TINY_TOPIC_GROUPS: Readonly<Record<string, readonly string[]>> = {
  cardiology: ['heart', 'cardiac', 'cardio', '##vascular', 'ecg', 'myocardial', 'artery'],
  vision: ['image', 'images', 'vision', 'visual', 'pixel', 'camera', 'segmentation'],
  astronomy: ['galaxy', 'galaxies', 'star', 'stellar', 'telescope', 'cosmic', 'redshift'],
  language: ['language', 'text', 'word', 'translation', 'token', 'sentence', 'corpus'],
  learning: ['learning', 'neural', 'network', 'model', 'deep', 'representation', 'training'],
};

/** Function words, punctuation and word pieces: short vectors, so topics dominate a text's mean. */
export const TINY_OTHER_TOKENS = [
  'the', 'of', 'a', 'and', 'for', 'in', 'with', 'on', 'we', 'is', 'query', 'passage',
  '.', ',', '-', '(', ')', ':', ';', "'", '"', '!', '?', '$', '+',
  'un', '##aff', '##able', '##ing', '##ed', '##s', '##er', 'play', 'run', '##n', 'cafe', 'resume',
] as const;

export interface TinyOnnxModelOptions {
  hiddenSize?: number;
  seed?: number;
  /** Declare a `token_type_ids` input (BERT does; many exported encoders do not). Default true. */
  withTokenTypeIds?: boolean;
  /** Element type of the id and mask inputs. Default int64, as BERT exports have. */
  inputType?: 'int64' | 'int32';
  /** `last_hidden_state` [batch, seq, hidden] (default) or a pooled `sentence_embedding` [batch, hidden] (the [CLS] row). */
  output?: 'last_hidden_state' | 'sentence_embedding';
  /** config.json `max_position_embeddings`. Default 64. */
  maxPositionEmbeddings?: number;
  /** Rename the ids input (to test a model the provider cannot feed). */
  inputIdsName?: string;
  /** Further required inputs [batch, seq] that the graph consumes without changing the result (x * 0 + ids). */
  extraInputs?: readonly string[];
}

export interface TinyOnnxModel {
  dir: string;
  hiddenSize: number;
  vocab: ReadonlyMap<string, number>;
}

function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function tinyVocabulary(): string[] {
  return [...TINY_SPECIAL_TOKENS, ...Object.values(TINY_TOPIC_GROUPS).flat(), ...TINY_OTHER_TOKENS];
}

/** Creates `dir` if needed and writes the three files into it. */
export function writeTinyOnnxModel(dir: string, options: TinyOnnxModelOptions = {}): TinyOnnxModel {
  const hidden = options.hiddenSize ?? 32;
  const normal = gaussian(seededRandom(options.seed ?? 7));
  const tokens = tinyVocabulary();
  const vocab = new Map(tokens.map((t, i) => [t, i]));

  const embeddings = new Float32Array(tokens.length * hidden);
  const groupOf = new Map<string, number>();
  Object.values(TINY_TOPIC_GROUPS).forEach((words, g) => words.forEach((w) => groupOf.set(w, g)));
  const centres = Object.keys(TINY_TOPIC_GROUPS).map(() => Array.from({ length: hidden }, () => normal()));
  tokens.forEach((token, i) => {
    const g = groupOf.get(token);
    for (let j = 0; j < hidden; j++) {
      embeddings[i * hidden + j] = g === undefined ? 0.25 * normal() : centres[g]![j]! + 0.35 * normal();
    }
  });
  // Near-identity mixing keeps the topic geometry while making the MatMul do real work.
  const weight = new Float32Array(hidden * hidden);
  for (let r = 0; r < hidden; r++) for (let c = 0; c < hidden; c++) weight[r * hidden + c] = (r === c ? 0.6 : 0) + 0.08 * normal();
  const bias = Float32Array.from({ length: hidden }, () => 0.5 * normal());
  const typeEmbeddings = Float32Array.from({ length: 2 * hidden }, () => 0.1 * normal());

  const maxPositions = options.maxPositionEmbeddings ?? 64;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify(
      {
        architectures: ['BertModel'],
        model_type: 'bert',
        hidden_size: hidden,
        max_position_embeddings: maxPositions,
        vocab_size: tokens.length,
        type_vocab_size: 2,
      },
      null,
      2,
    ),
  );
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab), null, 2));
  writeFileSync(path.join(dir, 'model.onnx'), modelBytes(options, hidden, tokens.length, { embeddings, typeEmbeddings, weight, bias }));
  return { dir, hiddenSize: hidden, vocab };
}

function modelBytes(
  options: TinyOnnxModelOptions,
  hidden: number,
  vocabSize: number,
  w: { embeddings: Float32Array; typeEmbeddings: Float32Array; weight: Float32Array; bias: Float32Array },
): Uint8Array {
  const idType = options.inputType === 'int32' ? DataType.INT32 : DataType.INT64;
  const seqShape = ['batch', 'sequence'];
  const idsName = options.inputIdsName ?? 'input_ids';
  const withTypes = options.withTokenTypeIds ?? true;
  const inputs: ValueInfoSpec[] = [
    { name: idsName, dataType: idType, shape: seqShape },
    { name: 'attention_mask', dataType: idType, shape: seqShape },
  ];
  if (withTypes) inputs.push({ name: 'token_type_ids', dataType: idType, shape: seqShape });
  const initializers: TensorSpec[] = [
    { name: 'word_embeddings', dataType: DataType.FLOAT, dims: [vocabSize, hidden], data: w.embeddings },
    { name: 'dense_weight', dataType: DataType.FLOAT, dims: [hidden, hidden], data: w.weight },
    { name: 'dense_bias', dataType: DataType.FLOAT, dims: [hidden], data: w.bias },
    { name: 'unsqueeze_axes', dataType: DataType.INT64, dims: [1], data: BigInt64Array.of(-1n) },
  ];
  const nodes: NodeSpec[] = [];
  let ids = idsName;
  if (options.extraInputs?.length) {
    const zero = idType === DataType.INT32 ? Int32Array.of(0) : BigInt64Array.of(0n);
    initializers.push({ name: 'zero', dataType: idType, dims: [], data: zero });
  }
  for (const extra of options.extraInputs ?? []) {
    inputs.push({ name: extra, dataType: idType, shape: seqShape });
    nodes.push(
      { opType: 'Mul', inputs: [extra, 'zero'], outputs: [`${extra}_times_zero`] },
      { opType: 'Add', inputs: [ids, `${extra}_times_zero`], outputs: [`${ids}_plus_${extra}`] },
    );
    ids = `${ids}_plus_${extra}`;
  }
  nodes.push({ opType: 'Gather', inputs: ['word_embeddings', ids], outputs: ['token_vectors'], attributes: { axis: { int: 0 } } });
  let summed = 'token_vectors';
  if (withTypes) {
    initializers.push({ name: 'token_type_embeddings', dataType: DataType.FLOAT, dims: [2, hidden], data: w.typeEmbeddings });
    nodes.push(
      { opType: 'Gather', inputs: ['token_type_embeddings', 'token_type_ids'], outputs: ['type_vectors'], attributes: { axis: { int: 0 } } },
      { opType: 'Add', inputs: ['token_vectors', 'type_vectors'], outputs: ['embedded'] },
    );
    summed = 'embedded';
  }
  nodes.push(
    { opType: 'Cast', inputs: ['attention_mask'], outputs: ['mask_float'], attributes: { to: { int: DataType.FLOAT } } },
    { opType: 'Unsqueeze', inputs: ['mask_float', 'unsqueeze_axes'], outputs: ['mask_column'] },
    { opType: 'Mul', inputs: [summed, 'mask_column'], outputs: ['masked'] },
    { opType: 'MatMul', inputs: ['masked', 'dense_weight'], outputs: ['mixed'] },
    { opType: 'Add', inputs: ['mixed', 'dense_bias'], outputs: ['biased'] },
    { opType: 'Tanh', inputs: ['biased'], outputs: ['last_hidden_state'] },
  );
  const outputs: ValueInfoSpec[] = [];
  if (options.output === 'sentence_embedding') {
    initializers.push({ name: 'cls_index', dataType: DataType.INT64, dims: [], data: BigInt64Array.of(0n) });
    nodes.push({ opType: 'Gather', inputs: ['last_hidden_state', 'cls_index'], outputs: ['sentence_embedding'], attributes: { axis: { int: 1 } } });
    outputs.push({ name: 'sentence_embedding', dataType: DataType.FLOAT, shape: ['batch', hidden] });
  } else {
    outputs.push({ name: 'last_hidden_state', dataType: DataType.FLOAT, shape: ['batch', 'sequence', hidden] });
  }
  return encodeModel({ irVersion: 8, opsetVersion: 13, producerName: 'paperboy-tiny-onnx-model', graphName: 'tiny_bert', nodes, initializers, inputs, outputs });
}

/** The Hugging Face `tokenizers` JSON layout of a BERT uncased tokenizer. */
function tokenizerJson(vocab: ReadonlyMap<string, number>): unknown {
  const special = (token: string) => ({ id: vocab.get(token)!, content: token, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const cls = vocab.get('[CLS]')!;
  const sep = vocab.get('[SEP]')!;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: TINY_SPECIAL_TOKENS.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [cls], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [sep], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab),
    },
  };
}
