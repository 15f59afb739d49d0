/** Messages between lexical-bulk-loader.ts and lexical-tokenize.worker.ts. */

export interface TokenizeRequest {
  id: number;
  /** Title, abstract and authors of each paper, in order (three strings a paper). */
  texts: string[];
}

export interface TokenizeReply {
  id: number;
  /** Terms this worker met for the first time in this batch; local ids continue from the last batch. */
  newTerms: string[];
  /** The same for title words (completions). */
  newWords: string[];
  /** Local term ids of every field, concatenated in request order. */
  ids: Uint32Array;
  /** Word position of each id within its field. */
  positions: Uint32Array;
  /** Number of ids of each field (three a paper). */
  counts: Uint32Array;
  /** Local title-word ids of each paper, concatenated. */
  wordIds: Uint32Array;
  /** Number of title words of each paper (0 without a title or completions). */
  wordCounts: Uint32Array;
}
