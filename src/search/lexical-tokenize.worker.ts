/**
 * Worker thread body for lexical-bulk-loader.ts: turns papers' fields into term ids with a
 * term dictionary of its own. Each reply lists the terms (and title words) this worker saw
 * for the first time in that batch, in id order, so the main thread can map its local ids to
 * the index's ids without ever seeing the text again.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GrowableArray, u32 } from './growable-array.js';
import type { TokenizeReply, TokenizeRequest } from './lexical-tokenize.protocol.js';
import { createScientificAnalyzer, type TermInterner } from './tokenizer.js';

/** Term -> local id; the terms created since the last `takeNew` are kept for the reply. */
class LocalInterner implements TermInterner {
  private readonly ids = new Map<string, number>();
  private fresh: string[] = [];

  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(term, id);
      this.fresh.push(term);
    }
    return id;
  }

  takeNew(): string[] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }
}

const { completions } = workerData as { completions: boolean };
const analyzer = createScientificAnalyzer();
const surfaceAnalyzer = createScientificAnalyzer({ stem: false, compounds: false });
const terms = new LocalInterner();
const words = new LocalInterner();
const fieldIds: number[] = [];
const fieldPositions: number[] = [];
const titleWords: number[] = [];

parentPort!.on('message', (m: TokenizeRequest) => {
  const docs = m.texts.length / 3;
  const ids = new GrowableArray(u32, 64 * docs);
  const positions = new GrowableArray(u32, 64 * docs);
  const counts = new Uint32Array(m.texts.length);
  const wordIds = new GrowableArray(u32, 8 * docs);
  const wordCounts = new Uint32Array(docs);
  for (let i = 0; i < m.texts.length; i++) {
    fieldIds.length = 0;
    fieldPositions.length = 0;
    analyzer.termIds(m.texts[i]!, terms, fieldIds, fieldPositions);
    counts[i] = fieldIds.length;
    for (let k = 0; k < fieldIds.length; k++) {
      ids.push(fieldIds[k]!);
      positions.push(fieldPositions[k]!);
    }
  }
  if (completions) {
    for (let d = 0; d < docs; d++) {
      const title = m.texts[d * 3]!;
      if (!title) continue;
      titleWords.length = 0;
      surfaceAnalyzer.termIds(title, words, titleWords);
      wordCounts[d] = titleWords.length;
      for (const w of titleWords) wordIds.push(w);
    }
  }
  const reply: TokenizeReply = {
    id: m.id,
    newTerms: terms.takeNew(),
    newWords: words.takeNew(),
    ids: ids.toTrimmed(),
    positions: positions.toTrimmed(),
    counts,
    wordIds: wordIds.toTrimmed(),
    wordCounts,
  };
  parentPort!.postMessage(reply, [reply.ids.buffer, reply.positions.buffer, reply.counts.buffer, reply.wordIds.buffer, reply.wordCounts.buffer] as ArrayBuffer[]);
});
