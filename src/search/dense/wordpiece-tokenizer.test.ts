import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../domain/errors.js';
import { writeTinyOnnxModel } from './testing/tiny-onnx-model.js';
import { WordPieceTokenizer } from './wordpiece-tokenizer.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-wordpiece-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const model = writeTinyOnnxModel(dir);
/** The tiny model's tokenizer.json, in the Hugging Face layout. */
const json = JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')) as Record<string, any>;
const tokenizer = WordPieceTokenizer.fromJson(json);
const id = (token: string) => model.vocab.get(token)!;

function variant(change: (copy: Record<string, any>) => void): Record<string, any> {
  const copy = structuredClone(json);
  change(copy);
  return copy;
}

describe('WordPieceTokenizer', () => {
  it('splits words greedily, longest match first, with ## continuations', () => {
    expect(tokenizer.tokenize('unaffable')).toEqual(['un', '##aff', '##able']);
    expect(tokenizer.tokenize('playing runs')).toEqual(['play', '##ing', 'run', '##s']);
    expect(tokenizer.tokenize('cardiovascular')).toEqual(['cardio', '##vascular']);
  });

  it('lowercases, strips accents and isolates every punctuation character', () => {
    expect(tokenizer.tokenize('Café RÉSUMÉ')).toEqual(['cafe', 'resume']);
    expect(tokenizer.tokenize('Heart-ECG (cardiac).')).toEqual(['heart', '-', 'ecg', '(', 'cardiac', ')', '.']);
    // ASCII symbols count as punctuation for BERT even where Unicode calls them symbols.
    expect(tokenizer.tokenize('star$+galaxy')).toEqual(['star', '$', '+', 'galaxy']);
  });

  it('lowercases character by character, as tokenizers does (no Greek final sigma)', () => {
    const greek = WordPieceTokenizer.fromJson(variant((j) => (j.model.vocab['σασ'] = 999)));
    expect(greek.tokenize('ΣΑΣ')).toEqual(['σασ']);
  });

  it('cleans control and format characters and puts CJK characters on their own', () => {
    expect(tokenizer.tokenize('\u200bheart\u0000\tcardiac')).toEqual(['heart', 'cardiac']);
    // A byte-order mark is a format character: removed, so it does not split a word (JS's \s would).
    expect(tokenizer.tokenize('heart\ufeffcardiac heart\u3000cardiac')).toEqual(['[UNK]', 'heart', 'cardiac']);
    // Two unknown ideographs are two words, so two [UNK]s rather than one.
    expect(tokenizer.tokenize('心脏')).toEqual(['[UNK]', '[UNK]']);
  });

  it('makes a whole word unknown when any part of it cannot be matched', () => {
    expect(tokenizer.tokenize('playxq heart zebra')).toEqual(['[UNK]', 'heart', '[UNK]']);
  });

  it('makes words longer than max_input_chars_per_word unknown', () => {
    const short = WordPieceTokenizer.fromJson(variant((j) => (j.model.max_input_chars_per_word = 5)));
    expect(short.tokenize('playing play')).toEqual(['[UNK]', 'play']);
  });

  it('wraps ids in [CLS] ... [SEP] and truncates the text to fit the length', () => {
    expect(tokenizer.encode('Heart cardiac', 512)).toEqual({ ids: [id('[CLS]'), id('heart'), id('cardiac'), id('[SEP]')], typeIds: [0, 0, 0, 0] });
    expect(tokenizer.encode('heart cardiac galaxy star', 4).ids).toEqual([id('[CLS]'), id('heart'), id('cardiac'), id('[SEP]')]);
    expect(tokenizer.encode('', 8).ids).toEqual([id('[CLS]'), id('[SEP]')]);
    expect(tokenizer.specialTokenCount).toBe(2);
    expect(tokenizer.padId).toBe(id('[PAD]'));
  });

  it('reads BertProcessing, no post-processor and a Sequence of normalizers', () => {
    const bert = WordPieceTokenizer.fromJson(
      variant((j) => {
        j.post_processor = { type: 'BertProcessing', sep: ['[SEP]', id('[SEP]')], cls: ['[CLS]', id('[CLS]')] };
        j.normalizer = { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'Lowercase' }, { type: 'StripAccents' }] };
      }),
    );
    expect(bert.encode('CAFÉ', 16).ids).toEqual([id('[CLS]'), id('cafe'), id('[SEP]')]);
    const bare = WordPieceTokenizer.fromJson(variant((j) => (j.post_processor = null)));
    expect(bare.encode('star', 16).ids).toEqual([id('[CLS]'), id('star'), id('[SEP]')]);
    // A cased model keeps case: "Heart" is then not in this lowercase vocabulary.
    const cased = WordPieceTokenizer.fromJson(variant((j) => (j.normalizer = { type: 'BertNormalizer', lowercase: false })));
    expect(cased.tokenize('Heart heart')).toEqual(['[UNK]', 'heart']);
  });

  it('rejects tokenizers it cannot reproduce with a ParseError naming the field', () => {
    const cases: [Record<string, any>, string][] = [
      [variant((j) => (j.model.type = 'BPE')), 'model.type'],
      [variant((j) => delete j.model.vocab), 'model.vocab'],
      [variant((j) => (j.model.unk_token = '<unk>')), 'model.unk_token'],
      [variant((j) => (j.pre_tokenizer = { type: 'Metaspace' })), 'pre_tokenizer.type'],
      [variant((j) => (j.normalizer = { type: 'Precompiled' })), 'normalizer'],
    ];
    for (const [bad, field] of cases) {
      let error: unknown;
      try {
        WordPieceTokenizer.fromJson(bad, 'x/tokenizer.json');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).code).toBe('parse_error');
      expect((error as ParseError).details).toMatchObject({ source: 'x/tokenizer.json', field });
    }
  });
});
