/**
 * BERT's WordPiece tokenizer, read from a Hugging Face `tokenizer.json`, so a local ONNX model is
 * fed the ids it was trained on without Python or a download. It reproduces what `tokenizers`
 * does for BERT-style models: the BertNormalizer (clean text, space around CJK characters, strip
 * accents, lowercase; or a Sequence of the simple normalizers), the BertPreTokenizer (split on
 * whitespace, every punctuation character on its own), greedy longest-match-first word pieces
 * with the `##` continuation prefix, and the post-processor's template ([CLS] A [SEP]).
 * Added tokens written literally in the text (a "[MASK]" inside an abstract) are not matched
 * as specials; paper text does not contain them.
 */
import { ParseError } from '../../domain/errors.js';

export interface WordPieceEncoding {
  ids: number[];
  /** Segment of each id (0 for a single text), for models with a token_type_ids input. */
  typeIds: number[];
}

type Normalize = (text: string) => string;
interface Split {
  pieces: string[];
  ids: number[];
}
/** Distinct words remembered before the cache starts over (a corpus has a few hundred thousand). */
const CACHE_LIMIT = 200_000;
type TemplatePiece = { special: number[]; typeId: number } | { sequence: true; typeId: number };

/** A punctuation character (Unicode P*, plus ASCII symbols such as $ + < = > ^ ` | ~), or a run of anything else but whitespace. */
const WORDS = /[\p{P}!-/:-@[-`{-~]|[^\p{P}!-/:-@[-`{-~\p{White_Space}]+/gu;
/** Removed by clean_text: NUL, U+FFFD and control/format/private/unassigned characters other than tab and newlines. */
const UNCLEAN = /\uFFFD|(?![\t\n\r])[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu;
const SPACES = /\p{White_Space}/gu;
/** The CJK Unified Ideograph blocks BERT puts spaces around. */
const CJK = /[\u4E00-\u9FFF\u3400-\u4DBF\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\uF900-\uFAFF\u{2F800}-\u{2FA1F}]/gu;
const NON_ASCII = /[^\x00-\x7F]/;
const ACCENTS = /\p{Mn}/gu;

export class WordPieceTokenizer {
  private readonly cache = new Map<string, Split>();
  /** Code points of the longest vocabulary entry, "##" included (a safe upper bound). */
  private readonly longestToken: number;

  private constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    private readonly normalize: Normalize,
    private readonly template: readonly TemplatePiece[],
    private readonly unkToken: string,
    readonly unkId: number,
    readonly padId: number,
    private readonly prefix: string,
    private readonly maxCharsPerWord: number,
    /** `truncation.max_length` from the file, if it sets one. */
    readonly truncationLength: number | null,
  ) {
    let longest = 1;
    for (const token of vocab.keys()) longest = Math.max(longest, [...token].length);
    this.longestToken = longest;
  }

  get vocabularySize(): number {
    return this.vocab.size;
  }

  /** Ids the template adds around a text ([CLS] and [SEP] for BERT). */
  get specialTokenCount(): number {
    return this.template.reduce((n, p) => n + ('special' in p ? p.special.length : 0), 0);
  }

  /** Parses the JSON of a `tokenizer.json`; `source` names the file in errors. */
  static fromJson(json: unknown, source = 'tokenizer.json'): WordPieceTokenizer {
    const fail = (field: string, message: string): never => {
      throw new ParseError(`${source}: ${field} ${message}`, { source, field });
    };
    if (!isObject(json)) return fail('(root)', 'is not a JSON object');
    const model = json.model;
    if (!isObject(model)) return fail('model', 'is missing');
    if (model.type !== undefined && model.type !== 'WordPiece') fail('model.type', `is "${String(model.type)}"; only WordPiece tokenizers (BERT-style models) are supported`);
    if (!isObject(model.vocab)) return fail('model.vocab', 'is missing or not an object of token -> id');
    const vocab = new Map<string, number>();
    for (const [token, id] of Object.entries(model.vocab)) {
      if (!Number.isInteger(id) || (id as number) < 0) fail('model.vocab', `has a bad id for "${token}"`);
      vocab.set(token, id as number);
    }
    const unkToken = typeof model.unk_token === 'string' ? model.unk_token : '[UNK]';
    const unkId = vocab.get(unkToken);
    if (unkId === undefined) return fail('model.unk_token', `"${unkToken}" is not in the vocabulary`);
    const prefix = typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : '##';
    const maxChars = typeof model.max_input_chars_per_word === 'number' ? model.max_input_chars_per_word : 100;

    const preTokenizer = json.pre_tokenizer;
    if (isObject(preTokenizer) && preTokenizer.type !== 'BertPreTokenizer') {
      fail('pre_tokenizer.type', `is "${String(preTokenizer.type)}"; only BertPreTokenizer is supported`);
    }
    const normalize = json.normalizer == null ? (t: string) => t : normalizerFrom(json.normalizer, (m) => fail('normalizer', m));
    const template = templateFrom(json.post_processor, vocab, (f, m) => fail(f, m));
    const padding = isObject(json.padding) ? json.padding : null;
    const padId = typeof padding?.pad_id === 'number' ? padding.pad_id : (vocab.get('[PAD]') ?? 0);
    const truncation = isObject(json.truncation) && typeof json.truncation.max_length === 'number' ? json.truncation.max_length : null;
    return new WordPieceTokenizer(vocab, normalize, template, unkToken, unkId, padId, prefix, maxChars, truncation);
  }

  /** Word pieces of `text`, without special tokens ("unaffable" -> un ##aff ##able). */
  tokenize(text: string): string[] {
    return preTokenize(this.normalize(text)).flatMap((word) => this.split(word).pieces);
  }

  /** Pieces of one pre-tokenized word; words repeat a lot in a corpus, so results are cached. */
  private split(word: string): Split {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const result = this.splitUncached(word);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, result);
    return result;
  }

  private splitUncached(word: string): Split {
    const unknown = { pieces: [this.unkToken], ids: [this.unkId] };
    // Offsets of code points, so a piece never cuts a surrogate pair.
    const offsets: number[] = [];
    for (let i = 0; i < word.length; i += word.codePointAt(i)! > 0xffff ? 2 : 1) offsets.push(i);
    const count = offsets.length;
    offsets.push(word.length);
    if (count > this.maxCharsPerWord) return unknown;
    const pieces: string[] = [];
    const ids: number[] = [];
    let start = 0;
    while (start < count) {
      // No vocabulary entry is longer than the longest one: start the search there.
      let end = Math.min(count, start + this.longestToken);
      let id: number | undefined;
      let piece = '';
      for (; end > start; end--) {
        piece = (start > 0 ? this.prefix : '') + word.slice(offsets[start], offsets[end]);
        id = this.vocab.get(piece);
        if (id !== undefined) break;
      }
      // One piece that cannot be matched makes the whole word unknown, as in BERT.
      if (id === undefined) return unknown;
      pieces.push(piece);
      ids.push(id);
      start = end;
    }
    return { pieces, ids };
  }

  /** Ids with the template's special tokens, the text truncated so the whole fits `maxLength`. */
  encode(text: string, maxLength: number): WordPieceEncoding {
    const budget = Math.max(0, maxLength - this.specialTokenCount);
    const body: number[] = [];
    for (const word of preTokenize(this.normalize(text))) {
      if (body.length >= budget) break;
      body.push(...this.split(word).ids);
    }
    body.length = Math.min(body.length, budget);
    const ids: number[] = [];
    const typeIds: number[] = [];
    for (const piece of this.template) {
      const add = 'special' in piece ? piece.special : body;
      ids.push(...add);
      for (let i = 0; i < add.length; i++) typeIds.push(piece.typeId);
    }
    return { ids, typeIds };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stripAccents(text: string): string {
  return text.normalize('NFD').replace(ACCENTS, '');
}

function bertNormalizer(config: Record<string, unknown>): Normalize {
  const clean = config.clean_text !== false;
  const chinese = config.handle_chinese_chars !== false;
  const lowercase = config.lowercase !== false;
  // `null` means "follow lowercase", which is what BERT uncased does.
  const strip = config.strip_accents == null ? lowercase : config.strip_accents === true;
  return (text) => {
    let out = text;
    if (clean) out = out.replace(UNCLEAN, '').replace(SPACES, ' ');
    if (chinese) out = out.replace(CJK, ' $& ');
    // Only non-ASCII text can carry accents; most of an English corpus skips NFD.
    if (strip && NON_ASCII.test(out)) out = stripAccents(out);
    return lowercase ? lowercaseByCharacter(out) : out;
  };
}

/**
 * Lowercase as `tokenizers` does, one character at a time: JS applies the Greek final-sigma rule
 * (ΣΑΣ -> σας), Rust's per-character mapping does not (σασ), and the vocabulary follows Rust.
 */
function lowercaseByCharacter(text: string): string {
  return text.replace(/Σ/g, 'σ').toLowerCase();
}

function normalizerFrom(config: unknown, fail: (message: string) => never): Normalize {
  if (!isObject(config)) return fail('is not an object');
  switch (config.type) {
    case 'BertNormalizer':
      return bertNormalizer(config);
    case 'Lowercase':
      return lowercaseByCharacter;
    case 'StripAccents':
      return (t) => t.replace(ACCENTS, '');
    case 'NFD':
    case 'NFKD':
    case 'NFC':
    case 'NFKC': {
      const form = config.type;
      return (t) => t.normalize(form);
    }
    case 'Sequence': {
      if (!Array.isArray(config.normalizers)) return fail('Sequence has no normalizers list');
      const steps = config.normalizers.map((n) => normalizerFrom(n, fail));
      return (t) => steps.reduce((acc, step) => step(acc), t);
    }
    default:
      return fail(`type "${String(config.type)}" is not supported`);
  }
}

/** Whitespace splits words; each punctuation character becomes a word of its own. */
function preTokenize(text: string): string[] {
  return text.match(WORDS) ?? [];
}

function templateFrom(config: unknown, vocab: ReadonlyMap<string, number>, fail: (field: string, message: string) => never): TemplatePiece[] {
  const byToken = (field: string, token: string): number => vocab.get(token) ?? fail(field, `names "${token}", which is not in the vocabulary`);
  if (isObject(config) && config.type === 'TemplateProcessing') {
    if (!Array.isArray(config.single)) return fail('post_processor.single', 'is missing');
    const specials = isObject(config.special_tokens) ? config.special_tokens : {};
    return config.single.map((piece: unknown): TemplatePiece => {
      if (isObject(piece) && isObject(piece.Sequence)) return { sequence: true, typeId: Number(piece.Sequence.type_id ?? 0) };
      if (isObject(piece) && isObject(piece.SpecialToken)) {
        const id = String(piece.SpecialToken.id);
        const entry = specials[id];
        const ids = isObject(entry) && Array.isArray(entry.ids) ? entry.ids.map(Number) : [byToken('post_processor.single', id)];
        return { special: ids, typeId: Number(piece.SpecialToken.type_id ?? 0) };
      }
      return fail('post_processor.single', 'has a piece that is neither Sequence nor SpecialToken');
    });
  }
  if (isObject(config) && config.type === 'BertProcessing') {
    const pair = (name: 'cls' | 'sep'): number => {
      const v = config[name];
      return Array.isArray(v) && typeof v[1] === 'number' ? v[1] : fail(`post_processor.${name}`, 'is not [token, id]');
    };
    return [{ special: [pair('cls')], typeId: 0 }, { sequence: true, typeId: 0 }, { special: [pair('sep')], typeId: 0 }];
  }
  if (config != null) return fail('post_processor.type', `is "${String(isObject(config) ? config.type : config)}"; TemplateProcessing or BertProcessing expected`);
  // No post-processor: BERT's layout if the vocabulary has its tokens, otherwise the bare text.
  const cls = vocab.get('[CLS]');
  const sep = vocab.get('[SEP]');
  if (cls === undefined || sep === undefined) return [{ sequence: true, typeId: 0 }];
  return [{ special: [cls], typeId: 0 }, { sequence: true, typeId: 0 }, { special: [sep], typeId: 0 }];
}
