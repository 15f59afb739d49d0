/**
 * Loads many papers into a LexicalIndex with the tokenizing done on worker threads
 * (lexical-tokenize.worker.ts): reading the text is most of the cost of indexing, and each
 * paper is independent, while the postings must be built in one place. Workers keep term
 * dictionaries of their own; the main thread maps their ids to the index's as replies arrive,
 * strictly in the papers' order, and builds the postings while the workers read the next
 * batches. The index ends up answering exactly as if each paper had gone through `add`.
 *
 * If a worker fails, `addAll` rejects and the papers before the failed batch stay in the
 * index: callers building a fresh index discard it.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { GrowableArray, i32 } from './growable-array.js';
import type { LexicalIndex } from './lexical-index.js';
import type { TokenizeReply, TokenizeRequest } from './lexical-tokenize.protocol.js';
import { startModuleWorker } from './module-worker.js';
import type { SearchDocument } from './search-document.js';
import { createScientificAnalyzer } from './tokenizer.js';

/** Papers per message: large enough that messaging is cheap, small enough to keep the pipeline full. */
const BATCH = 512;
/** Batches queued per worker, so one is ready when it finishes the last. */
const QUEUED_PER_WORKER = 2;

/** One worker, its requests in flight (it answers in order) and its local -> index id maps. */
class TokenizeWorker {
  readonly termIds = new GrowableArray(i32, 1 << 16);
  readonly wordIds = new GrowableArray(i32, 1 << 12);
  private readonly pending: { resolve: (r: TokenizeReply) => void; reject: (e: unknown) => void }[] = [];
  private failure: Error | null = null;
  private nextId = 0;

  constructor(private readonly worker: Worker) {
    worker.on('message', (r: TokenizeReply) => this.pending.shift()?.resolve(r));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`tokenizer worker exited with code ${code}`)));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.splice(0)) p.reject(this.failure);
  }

  tokenize(documents: readonly SearchDocument[]): Promise<TokenizeReply> {
    if (this.failure) return Promise.reject(this.failure);
    const texts: string[] = [];
    for (const d of documents) texts.push(d.title ?? '', d.abstract ?? '', d.authors ?? '');
    const request: TokenizeRequest = { id: this.nextId++, texts };
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

export class LexicalBulkLoader {
  private readonly workers: TokenizeWorker[];
  /** Reused per paper: field ids and positions in the index's ids, and title-word ids. */
  private readonly fieldIds: number[][] = [[], [], []];
  private readonly fieldPositions: number[][] = [[], [], []];
  private readonly counts: number[] = [0, 0, 0];
  private readonly titleWords: number[] = [];

  /** `threads` defaults to the machine's cores. The index must use the default scientific analyzer. */
  constructor(
    private readonly index: LexicalIndex,
    threads = os.availableParallelism(),
  ) {
    const expected = createScientificAnalyzer().name;
    if (index.analyzerName !== expected) throw new RangeError(`bulk loading needs the ${expected} analyzer; this index uses ${index.analyzerName}`);
    const workerData = { completions: index.keepsCompletions };
    this.workers = Array.from({ length: Math.max(1, threads) }, () => new TokenizeWorker(startModuleWorker('lexical-tokenize.worker', import.meta.url, workerData)));
  }

  get threads(): number {
    return this.workers.length;
  }

  /** Adds the papers in order (a paper replaces a live one with its key); resolves once all are in. */
  async addAll(documents: readonly SearchDocument[]): Promise<void> {
    const queue: { batch: readonly SearchDocument[]; worker: TokenizeWorker; reply: Promise<TokenizeReply> }[] = [];
    let next = 0;
    let turn = 0;
    try {
      while (next < documents.length || queue.length > 0) {
        while (next < documents.length && queue.length < this.workers.length * QUEUED_PER_WORKER) {
          const batch = documents.slice(next, next + BATCH);
          next += batch.length;
          const worker = this.workers[turn++ % this.workers.length]!;
          queue.push({ batch, worker, reply: worker.tokenize(batch) });
        }
        const head = queue.shift()!;
        this.apply(head.worker, head.batch, await head.reply);
      }
    } finally {
      // Nothing may stay unobserved when one batch failed.
      for (const q of queue) q.reply.catch(() => undefined);
    }
  }

  private apply(worker: TokenizeWorker, batch: readonly SearchDocument[], r: TokenizeReply): void {
    const termIds = worker.termIds;
    for (const term of r.newTerms) termIds.push(this.index.internTerm(term));
    const wordIds = worker.wordIds;
    for (const word of r.newWords) wordIds.push(this.index.internCompletionWord(word));
    const map = termIds.array;
    const wordMap = wordIds.array;
    let at = 0;
    let wordAt = 0;
    for (let d = 0; d < batch.length; d++) {
      for (let f = 0; f < 3; f++) {
        // Written by index, never emptied: the arrays only grow, and `counts` says how much is used.
        const ids = this.fieldIds[f]!;
        const positions = this.fieldPositions[f]!;
        const count = r.counts[d * 3 + f]!;
        this.counts[f] = count;
        for (let k = 0; k < count; k++, at++) {
          ids[k] = map[r.ids[at]!]!;
          positions[k] = r.positions[at]!;
        }
      }
      const document = batch[d]!;
      let titleWords: number[] | null = null;
      if (this.index.keepsCompletions && document.title) {
        titleWords = this.titleWords;
        titleWords.length = 0;
        const end = wordAt + r.wordCounts[d]!;
        for (; wordAt < end; wordAt++) titleWords.push(wordMap[r.wordIds[wordAt]!]!);
      }
      this.index.addAnalyzed(document, this.fieldIds, this.fieldPositions, this.counts, titleWords);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
