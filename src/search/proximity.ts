/**
 * Second-stage features over a document's term sequence (from the forward index): how close
 * the query terms stand, and whether a quoted phrase occurs exactly.
 *
 * Proximity is BM25TP (Rasolofo & Savoy 2003, "Term proximity scoring for keyword-based
 * retrieval systems"): every occurrence of two different query terms at most `window` words
 * apart adds 1 / distance^2 to that pair's accumulator (weighted by the field's BM25F weight);
 * each pair then contributes min(idf_a, idf_b) * (k1 + 1) * acc / (k1 + acc), which
 * saturates like a term frequency does. The index adds `weight` times the sum to the BM25F
 * score of the first-stage candidates and re-sorts them.
 */
import type { DecodedDoc } from './forward-index.js';

export interface ProximityParams {
  /** Multiplier of the proximity score added to BM25F (0 turns the second stage off). */
  weight: number;
  /** Largest distance in words that still counts (1 = adjacent only). */
  window: number;
  /** Pairs of query terms scored: neighbours in the query only, or every pair. */
  pairs: 'adjacent' | 'all';
  /**
   * First-stage candidates re-scored. Deeper ranks keep their BM25F order (their final score
   * is their BM25F score, never above a re-scored one).
   */
  depth: number;
}

/**
 * Chosen on the training splits only (SciFact train, NFCorpus dev; mean nDCG@10 0.5088 without
 * proximity, 0.5103 with): weights 0.05-1, windows 1-8, all or adjacent pairs, depths 30-200.
 * The surface is flat around weight 0.2; depth did not change the top 10 from 30 up, and a
 * deeper first stage costs query time (at 300k papers k=50 took twice the time of k=10).
 */
export const DEFAULT_PROXIMITY_PARAMS: ProximityParams = { weight: 0.2, window: 5, pairs: 'all', depth: 30 };

export interface ProximityQuery {
  /** Distinct query terms (ids), in query order. */
  termIds: Int32Array;
  /** Idf (times query weight) of each term. */
  idf: Float64Array;
}

/** A quoted phrase: term ids with their word offsets from the first term. */
export interface Phrase {
  termIds: Int32Array;
  offsets: Int32Array;
}

/**
 * Proximity score of one document. `fieldEnds` are cumulative token counts per field,
 * `fieldWeights` the BM25F weight of each field.
 */
export function proximityScore(doc: DecodedDoc, fieldEnds: ArrayLike<number>, fieldWeights: ArrayLike<number>, query: ProximityQuery, k1: number, params: ProximityParams): number {
  const window = params.window;
  const q = query.termIds.length;
  if (q < 2) return 0;
  const last = new Int32Array(q);
  const acc = new Float64Array(q * q);
  let k = 0;
  for (let f = 0; f < fieldEnds.length; f++) {
    const end = fieldEnds[f]!;
    const w = fieldWeights[f] ?? 1;
    last.fill(-1_000_000);
    for (; k < end; k++) {
      const term = doc.terms[k]!;
      let qi = 0;
      while (qi < q && query.termIds[qi] !== term) qi++;
      if (qi === q) continue;
      const position = doc.positions[k]!;
      for (let qj = 0; qj < q; qj++) {
        if (qj === qi) continue;
        const distance = position - last[qj]!;
        if (distance > 0 && distance <= window) acc[qi < qj ? qi * q + qj : qj * q + qi]! += w / (distance * distance);
      }
      last[qi] = position;
    }
  }
  let score = 0;
  for (let a = 0; a < q; a++) {
    const lastB = params.pairs === 'adjacent' ? Math.min(q - 1, a + 1) : q - 1;
    for (let b = a + 1; b <= lastB; b++) {
      const tp = acc[a * q + b]!;
      if (tp > 0) score += Math.min(query.idf[a]!, query.idf[b]!) * ((k1 + 1) * tp) / (k1 + tp);
    }
  }
  return score;
}

/** True when `phrase` occurs in one field of the document, each term at its offset from the first. */
export function containsPhrase(doc: DecodedDoc, fieldEnds: ArrayLike<number>, phrase: Phrase): boolean {
  const n = phrase.termIds.length;
  if (n === 0) return true;
  const first = phrase.termIds[0]!;
  let fieldStart = 0;
  for (let f = 0; f < fieldEnds.length; f++) {
    const end = fieldEnds[f]!;
    for (let k = fieldStart; k < end; k++) {
      if (doc.terms[k] !== first) continue;
      const base = doc.positions[k]!;
      let matched = 1;
      // Positions never decrease within a field, so each later term is searched forward.
      let at = k + 1;
      for (; matched < n; matched++) {
        const want = base + phrase.offsets[matched]!;
        const term = phrase.termIds[matched]!;
        while (at < end && doc.positions[at]! < want) at++;
        let found = false;
        for (let j = at; j < end && doc.positions[j] === want; j++) {
          if (doc.terms[j] === term) {
            found = true;
            break;
          }
        }
        if (!found) break;
      }
      if (matched === n) return true;
    }
    fieldStart = end;
  }
  return false;
}
