/**
 * Tokenizer for scientific text. Raw titles and abstracts (with TeX) become display text
 * (`texToText`), which is split into words that understand how papers are written:
 * - compounds joined by `-` or `+` (`state-of-the-art`, `12-lead`, `COVID-19`, `3D+T`) index
 *   each part and also the joined form (`12lead`, `covid19`, `3dt`), so `e-mail` meets `email`;
 * - decimals (`3.5`, `802.11e`) stay whole, dotted acronyms (`U.S.A.`) close up (`usa`);
 * - possessive `'s` is dropped, other apostrophes close up (`O'Brien` -> `obrien`);
 * - Greek letters (from `$\alpha$` or Unicode) are words of their own, spelled out;
 * - all-capital acronyms (`IT`, `WHO`, `US`) are not mistaken for stop words, unless the whole
 *   text is in capitals (old collections and NPL queries are);
 * - terms are lowercased, folded to ASCII, stop words removed, Porter-stemmed.
 * Positions count every word (stop words included) so phrase distances stay true.
 */
import { stemmer } from 'stemmer';
import { ENGLISH_STOP_WORDS } from './stop-words.js';
import { SURFACE_ACRONYM, SURFACE_HASH_PRIME as FNV_PRIME, SURFACE_HASH_SEED as FNV_SEED, SURFACE_STOP, SURFACE_USABLE, SurfaceCache } from './surface-cache.js';
import { foldWord, isGreekLetter } from './term-folding.js';
import { texToPlain, texToText } from '../domain/tex-to-text.js';

export interface Token {
  /** The index term (folded, stemmed). */
  term: string;
  /** Word position; a compound's joined form shares the position of its first part. */
  position: number;
  /** UTF-16 offsets of the word in the display text. */
  start: number;
  end: number;
  /** True for the joined form of a compound (`12lead` from `12-lead`). */
  joined?: boolean;
}

export interface AnalyzedText {
  /** Display text: TeX turned into Unicode, whitespace collapsed. */
  text: string;
  tokens: Token[];
}

/** A term dictionary, as the analyzer's fast indexing path sees it. */
export interface TermInterner {
  /** Id of `term`, created when new; ids never change. */
  intern(term: string): number;
}

/** Turns text into index terms; the same analyzer must serve documents and queries. */
export interface Analyzer {
  readonly name: string;
  /** Index terms in reading order (a compound's joined form follows its parts). */
  terms(raw: string): string[];
  /**
   * Optional fast path: appends the ids `interner` gives the terms of `raw` to `out`, and
   * their word positions to `positions` when given.
   */
  termIds?(raw: string, interner: TermInterner, out: number[], positions?: number[]): void;
  /** Display text and tokens with offsets into it, for snippets and highlighting. */
  analyze(raw: string): AnalyzedText;
}

export interface ScientificAnalyzerOptions {
  /** Porter stemming (default true). */
  stem?: boolean;
  /** Stop words to drop (default English); null keeps every word. */
  stopWords?: ReadonlySet<string> | null;
  /** Also index the joined form of hyphen/plus compounds (default true). */
  compounds?: boolean;
}

/**
 * An index term with the id one dictionary gave it, remembered so that indexing a word seen
 * before costs no dictionary lookup. `owner` says which dictionary the id belongs to.
 */
interface TermSlot {
  term: string;
  id: number;
  owner: TermInterner | null;
}

interface PartInfo {
  folded: string;
  /** Index term, or null when the word is empty or too long to index. */
  slot: TermSlot | null;
  stop: boolean;
  acronym: boolean;
}

type Emit = (slot: TermSlot, position: number, start: number, end: number, joined: boolean) => void;

const KIND_OTHER = 0;
const KIND_WORD = 1;
/** A character that is a word of its own: a Greek letter, or a superscript/subscript (`n²` reads `n 2`). */
const KIND_SINGLE = 2;
const KIND_MARK = 3;

/** Class of every BMP code unit, filled lazily (0 = not yet known). */
const kindCache = new Uint8Array(65536);
const WORD_CHAR = /[\p{L}\p{N}]/u;
const MARK_CHAR = /\p{M}/u;
const MAX_PART_LENGTH = 64;

function kindOf(code: number): number {
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) ? KIND_WORD : KIND_OTHER;
  }
  const cached = kindCache[code]!;
  if (cached !== 0) return cached - 1;
  let kind: number;
  if (code >= 0xd800 && code <= 0xdfff) kind = KIND_WORD; // astral letters (math alphanumerics); NFKD folds them
  else if (isGreekLetter(code) || isScriptChar(code)) kind = KIND_SINGLE;
  else if (MARK_CHAR.test(String.fromCharCode(code))) kind = KIND_MARK;
  else kind = WORD_CHAR.test(String.fromCharCode(code)) ? KIND_WORD : KIND_OTHER;
  kindCache[code] = kind + 1;
  return kind;
}

/** Superscript and subscript digits and letters, which the TeX converter writes for `^` and `_`. */
function isScriptChar(code: number): boolean {
  return code === 0xb2 || code === 0xb3 || code === 0xb9 || (code >= 0x2070 && code <= 0x209c) || (code >= 0x1d2c && code <= 0x1d6a) || code === 0x1d9c || code === 0x2c7c;
}

function isWordStart(kind: number): boolean {
  return kind === KIND_WORD || kind === KIND_SINGLE;
}

function isConnector(code: number): boolean {
  return code === 45 /* - */ || code === 43 /* + */ || code === 0x2010 || code === 0x2011;
}

function isApostrophe(code: number): boolean {
  return code === 39 || code === 0x2019;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** All-capital text (NPL queries, old titles) has no acronyms to protect. The first 256 chars tell. */
function isMostlyUpperCase(s: string): boolean {
  let upper = 0;
  let lower = 0;
  const n = Math.min(s.length, 256);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) {
      lower++;
      // Even if every remaining char were a capital, lowercase would still be too many.
      if (lower * 4 >= upper + (n - i - 1)) return false;
    }
  }
  return upper >= 8 && lower * 4 < upper;
}

function isAcronym(part: string): boolean {
  if (part.length < 2) return false;
  let letters = 0;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
    if (c >= 65 && c <= 90) letters++;
  }
  return letters >= 2;
}

class ScientificAnalyzer implements Analyzer {
  readonly name: string;
  private readonly stem: boolean;
  private readonly stopWords: ReadonlySet<string> | null;
  private readonly compounds: boolean;
  /** Raw word -> what it becomes; bounded so a huge vocabulary cannot grow it forever. */
  private readonly cache = new Map<string, PartInfo>();
  /** The same for words read without edits (nearly all), looked up without slicing. */
  private readonly surfaceCache = new SurfaceCache<PartInfo>(1_000_000);
  /** Joined compound form -> term. */
  private readonly joinedCache = new Map<string, TermSlot>();
  // Parts of the compound being read, reused across compounds (`partCount` is their number).
  private readonly partInfos: PartInfo[] = [];
  /** Surface-cache entry of each part, or -1 for a word read with edits (its info is in partInfos). */
  private readonly partEntries: number[] = [];
  private readonly partStart: number[] = [];
  private readonly partEnd: number[] = [];
  private partCount = 0;
  // Where `scan` sends tokens: term ids (indexing) or a callback.
  private sinkIds: number[] | null = null;
  private sinkPositions: number[] | null = null;
  private sinkInterner: TermInterner | null = null;
  private sinkFn: Emit | null = null;

  constructor(options: ScientificAnalyzerOptions) {
    this.stem = options.stem ?? true;
    this.stopWords = options.stopWords === undefined ? ENGLISH_STOP_WORDS : options.stopWords;
    this.compounds = options.compounds ?? true;
    this.name = `scientific(${this.stem ? 'porter' : 'nostem'},${this.stopWords ? `stop${this.stopWords.size}` : 'nostop'}${this.compounds ? ',compounds' : ''})`;
  }

  terms(raw: string): string[] {
    const out: string[] = [];
    this.scanTo(texToPlain(raw), (slot) => {
      out.push(slot.term);
    });
    return out;
  }

  termIds(raw: string, interner: TermInterner, out: number[], positions?: number[]): void {
    this.sinkIds = out;
    this.sinkPositions = positions ?? null;
    this.sinkInterner = interner;
    try {
      this.scan(texToPlain(raw));
    } finally {
      this.sinkIds = null;
      this.sinkPositions = null;
      this.sinkInterner = null;
    }
  }

  analyze(raw: string): AnalyzedText {
    const text = texToText(raw);
    const tokens: Token[] = [];
    this.scanTo(text, ({ term }, position, start, end, joined) => {
      tokens.push(joined ? { term, position, start, end, joined } : { term, position, start, end });
    });
    return { text, tokens };
  }

  private scanTo(s: string, emit: Emit): void {
    this.sinkFn = emit;
    try {
      this.scan(s);
    } finally {
      this.sinkFn = null;
    }
  }

  /** Sends one token where `scan` was told to (ids for indexing are handled inline, no closure call). */
  private emit(slot: TermSlot, position: number, start: number, end: number, joined: boolean): void {
    const ids = this.sinkIds;
    if (ids !== null) {
      const interner = this.sinkInterner!;
      if (slot.owner !== interner) {
        slot.id = interner.intern(slot.term);
        slot.owner = interner;
      }
      ids.push(slot.id);
      if (this.sinkPositions !== null) this.sinkPositions.push(position);
      return;
    }
    this.sinkFn!(slot, position, start, end, joined);
  }

  /** What a raw word (as written, case kept) becomes; cached because words repeat a lot. */
  private partInfo(raw: string): PartInfo {
    let info = this.cache.get(raw);
    if (info === undefined) {
      info = this.newPartInfo(raw);
      if (this.cache.size > 1_000_000) this.cache.clear();
      this.cache.set(raw, info);
    }
    return info;
  }

  /** Surface-cache entry of s[start, end) (hash `h`), created when new. */
  private entryAt(s: string, start: number, end: number, h: number): number {
    const entry = this.surfaceCache.find(s, start, end, h);
    if (entry >= 0) return entry;
    const info = this.newPartInfo(s.slice(start, end));
    const flags = (info.slot !== null ? SURFACE_USABLE : 0) | (info.stop ? SURFACE_STOP : 0) | (info.acronym ? SURFACE_ACRONYM : 0);
    return this.surfaceCache.add(s, start, end, h, flags, info);
  }

  private newPartInfo(raw: string): PartInfo {
    const folded = foldWord(raw.toLowerCase());
    const usable = folded.length > 0 && folded.length <= MAX_PART_LENGTH;
    return {
      folded,
      slot: usable ? { term: this.toTerm(folded), id: -1, owner: null } : null,
      stop: usable && this.stopWords !== null && this.stopWords.has(folded),
      acronym: isAcronym(raw),
    };
  }

  private toTerm(folded: string): string {
    // Porter only makes sense on words that end in letters (`12lead`, not `802.11`).
    return this.stem && folded.length > 2 && isAsciiLetter(folded.charCodeAt(folded.length - 1)) ? stemmer(folded) : folded;
  }

  private scan(s: string): void {
    this.surfaceCache.trim();
    const upperMode = isMostlyUpperCase(s);
    const n = s.length;
    let position = 0;
    let i = 0;
    const partInfos = this.partInfos;
    const partEntries = this.partEntries;
    const partStart = this.partStart;
    const partEnd = this.partEnd;
    while (i < n) {
      if (!isWordStart(kindOf(s.charCodeAt(i)))) {
        i++;
        continue;
      }
      let parts = 0;
      // Read parts joined by connectors.
      for (;;) {
        let start = i;
        let text = '';
        let pieceStart = i;
        // `edited` when chars were dropped (apostrophes, acronym dots).
        let edited = false;
        // SurfaceCache.hash of s[start, i), kept up to date as the word is read.
        let h = FNV_SEED;
        if (kindOf(s.charCodeAt(i)) === KIND_SINGLE) {
          i++;
          while (i < n && kindOf(s.charCodeAt(i)) === KIND_MARK) i++;
          h = SurfaceCache.hash(s, start, i);
        } else {
          let segmentStart = i; // start of the current dot-separated segment, for `U.S.A.`
          while (i < n) {
            const code = s.charCodeAt(i);
            if (code < 128 ? (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) : kindOf(code) === KIND_WORD || kindOf(code) === KIND_MARK) {
              h = Math.imul(h ^ code, FNV_PRIME);
              i++;
              continue;
            }
            const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
            const nextIsWord = i + 1 < n && kindOf(next) === KIND_WORD;
            if (isApostrophe(code) && nextIsWord) {
              const afterNext = i + 2 < n ? kindOf(s.charCodeAt(i + 2)) : KIND_OTHER;
              if ((next === 115 || next === 83) && afterNext !== KIND_WORD) {
                // Possessive: `Gödel's` -> `Gödel`.
                edited = true;
                text += s.slice(pieceStart, i);
                i += 2;
                pieceStart = i;
                break;
              }
              if (i - start === 1 && text === '' && next >= 97 && next <= 122) {
                // French elision (`l'auto`, `d'essais`): the article is not part of the word,
                // unlike a name such as `O'Brien`.
                i++;
                start = i;
                pieceStart = i;
                segmentStart = i;
                position++;
                h = FNV_SEED;
                continue;
              }
              edited = true;
              text += s.slice(pieceStart, i);
              i++;
              pieceStart = i;
              continue;
            }
            if (code === 46 /* . */ && nextIsWord) {
              if (isDigit(s.charCodeAt(i - 1)) && isDigit(next)) {
                h = Math.imul(h ^ code, FNV_PRIME);
                i++;
                continue;
              }
              const afterNext = i + 2 < n ? s.charCodeAt(i + 2) : 0;
              if (i - segmentStart === 1 && isAsciiLetter(s.charCodeAt(i - 1)) && isAsciiLetter(next) && (afterNext === 46 || kindOf(afterNext) !== KIND_WORD)) {
                edited = true;
                text += s.slice(pieceStart, i);
                i++;
                pieceStart = i;
                segmentStart = i;
                continue;
              }
            }
            break;
          }
          // A trailing acronym dot (`U.S.A.`) is punctuation and is left behind.
        }
        const end = i;
        if (edited) {
          partEntries[parts] = -1;
          partInfos[parts] = this.partInfo(text + s.slice(pieceStart, end));
        } else {
          partEntries[parts] = this.entryAt(s, start, end, h);
        }
        partStart[parts] = start;
        partEnd[parts] = end;
        parts++;
        if (i + 1 < n && isConnector(s.charCodeAt(i)) && isWordStart(kindOf(s.charCodeAt(i + 1)))) {
          i++;
          continue;
        }
        break;
      }
      this.partCount = parts;
      this.emitCompound(position, upperMode);
      position += parts;
    }
  }

  private emitCompound(position: number, upperMode: boolean): void {
    const count = this.partCount;
    const cache = this.surfaceCache;
    if (count === 1 && this.partEntries[0]! >= 0) {
      // The common case, served from the cache's flat records without touching its objects.
      const entry = this.partEntries[0]!;
      const flags = cache.flags(entry);
      if ((flags & SURFACE_USABLE) === 0 || ((flags & SURFACE_STOP) !== 0 && (upperMode || (flags & SURFACE_ACRONYM) === 0))) return;
      const ids = this.sinkIds;
      if (ids !== null) {
        const interner = this.sinkInterner!;
        let id = cache.termId(entry, interner);
        if (id < 0) {
          id = interner.intern(cache.value(entry).slot!.term);
          cache.setTermId(entry, id);
        }
        ids.push(id);
        if (this.sinkPositions !== null) this.sinkPositions.push(position);
        return;
      }
      this.sinkFn!(cache.value(entry).slot!, position, this.partStart[0]!, this.partEnd[0]!, false);
      return;
    }
    for (let p = 0; p < count; p++) if (this.partEntries[p]! >= 0) this.partInfos[p] = cache.value(this.partEntries[p]!);
    if (count === 1) {
      const info = this.partInfos[0]!;
      if (info.slot !== null && !(info.stop && (upperMode || !info.acronym))) this.emit(info.slot, position, this.partStart[0]!, this.partEnd[0]!, false);
      return;
    }
    let joined = '';
    let joinedOk = true;
    for (let p = 0; p < count; p++) {
      const info = this.partInfos[p]!;
      joined += info.folded;
      if (info.slot === null) {
        joinedOk = false;
        continue;
      }
      if (info.stop && (upperMode || !info.acronym)) continue;
      this.emit(info.slot, position + p, this.partStart[p]!, this.partEnd[p]!, false);
    }
    if (this.compounds && joinedOk && joined.length <= MAX_PART_LENGTH) {
      let slot = this.joinedCache.get(joined);
      if (slot === undefined) {
        slot = { term: this.toTerm(joined), id: -1, owner: null };
        if (this.joinedCache.size > 200_000) this.joinedCache.clear();
        this.joinedCache.set(joined, slot);
      }
      this.emit(slot, position, this.partStart[0]!, this.partEnd[count - 1]!, true);
    }
  }
}

/** An analyzer with the term-id fast path. */
export type IndexingAnalyzer = Analyzer & Required<Pick<Analyzer, 'termIds'>>;

export function createScientificAnalyzer(options: ScientificAnalyzerOptions = {}): IndexingAnalyzer {
  return new ScientificAnalyzer(options);
}

const ALNUM_RUN = /[a-z0-9]+/g;

/**
 * The reference runs' tokenization (data README, section 5): lowercase, maximal runs of
 * `[a-z0-9]`, no stop words, no stemming. Used to check our BM25 against those figures.
 */
export function createPlainAnalyzer(): Analyzer {
  return {
    name: 'plain([a-z0-9]+)',
    terms(raw) {
      return raw.toLowerCase().match(ALNUM_RUN) ?? [];
    },
    analyze(raw) {
      const text = raw.toLowerCase();
      const tokens: Token[] = [];
      let position = 0;
      for (const m of text.matchAll(ALNUM_RUN)) tokens.push({ term: m[0], position: position++, start: m.index, end: m.index + m[0].length });
      return { text: raw, tokens };
    },
  };
}
