/**
 * Worker thread body for lexical-bulk-loader.ts: turns papers' fields into term ids with a
 * term dictionary of its own. Each reply lists the terms (and title words) this worker saw
 * for the first time in that batch, in id order, so the main thread can map its local ids to
 * the index's ids without ever seeing the text again.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TokenizeReply, TokenizeRequest } from './lexical-tokenize.protocol.js';
import { TermDictionary } from './term-dictionary.js';
import { createScientificAnalyzer } from './tokenizer.js';

const { completions } = workerData as { completions: boolean };
const analyzer = createScientificAnalyzer();
const surfaceAnalyzer = createScientificAnalyzer({ stem: false, compounds: false });
// Local dictionaries: a reply lists the terms added since the previous one.
const terms = new TermDictionary();
const words = new TermDictionary();
// Reused across batches; emptied once a batch (emptying an array per field costs a reallocation each time).
const batchIds: number[] = [];
const batchPositions: number[] = [];
const batchWords: number[] = [];

parentPort!.on('message', (m: TokenizeRequest) => {
  const termsBefore = terms.size;
  const wordsBefore = words.size;
  const docs = m.texts.length / 3;
  const counts = new Uint32Array(m.texts.length);
  const wordCounts = new Uint32Array(docs);
  batchIds.length = 0;
  batchPositions.length = 0;
  batchWords.length = 0;
  for (let i = 0; i < m.texts.length; i++) {
    const before = batchIds.length;
    analyzer.termIds(m.texts[i]!, terms, batchIds, batchPositions);
    counts[i] = batchIds.length - before;
  }
  if (completions) {
    for (let d = 0; d < docs; d++) {
      const title = m.texts[d * 3]!;
      if (!title) continue;
      const before = batchWords.length;
      surfaceAnalyzer.termIds(title, words, batchWords);
      wordCounts[d] = batchWords.length - before;
    }
  }
  const reply: TokenizeReply = {
    id: m.id,
    newTerms: terms.terms.slice(termsBefore),
    newWords: words.terms.slice(wordsBefore),
    ids: Uint32Array.from(batchIds),
    positions: Uint32Array.from(batchPositions),
    counts,
    wordIds: Uint32Array.from(batchWords),
    wordCounts,
  };
  parentPort!.postMessage(reply, [reply.ids.buffer, reply.positions.buffer, reply.counts.buffer, reply.wordIds.buffer, reply.wordCounts.buffer] as ArrayBuffer[]);
});
