/**
 * The one bounded min-heap keeping the k best (score, doc) pairs, for the lexical top-k and the
 * vector indexes alike. Order is score descending, then the external key ascending when one is
 * given (the evaluation reference runs break ties by doc id string), else the doc number
 * ascending, so ties resolve the same way however the candidates arrive.
 */
export class TopKHeap {
  private readonly docs: Int32Array;
  private readonly scores: Float64Array;
  size = 0;

  constructor(
    readonly k: number,
    private readonly keyOf?: (doc: number) => string,
  ) {
    this.docs = new Int32Array(Math.max(1, k));
    this.scores = new Float64Array(Math.max(1, k));
  }

  get full(): boolean {
    return this.size === this.k;
  }

  /** Score of the worst kept entry; -Infinity until the heap is full. */
  get threshold(): number {
    return this.size === this.k ? this.scores[0]! : -Infinity;
  }

  /** True when (sa, a) ranks below (sb, b). */
  private worse(sa: number, a: number, sb: number, b: number): boolean {
    return sa < sb || (sa === sb && (this.keyOf ? this.keyOf(a) > this.keyOf(b) : a > b));
  }

  /** The doc of the i-th kept entry, in heap order (0 <= i < size). */
  docAt(i: number): number {
    return this.docs[i]!;
  }

  /** Offers a candidate; returns true when it was kept. */
  offer(doc: number, score: number): boolean {
    if (this.k === 0) return false;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(score, doc, this.scores[parent]!, this.docs[parent]!)) break;
        this.docs[i] = this.docs[parent]!;
        this.scores[i] = this.scores[parent]!;
        i = parent;
      }
      this.docs[i] = doc;
      this.scores[i] = score;
      return true;
    }
    if (!this.worse(this.scores[0]!, this.docs[0]!, score, doc)) return false;
    // Sift the new entry down from the root.
    let i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.worse(this.scores[r]!, this.docs[r]!, this.scores[l]!, this.docs[l]!)) c = r;
      if (!this.worse(this.scores[c]!, this.docs[c]!, score, doc)) break;
      this.docs[i] = this.docs[c]!;
      this.scores[i] = this.scores[c]!;
      i = c;
    }
    this.docs[i] = doc;
    this.scores[i] = score;
    return true;
  }

  /** Entries best first. */
  sorted(): { doc: number; score: number }[] {
    const out = [];
    for (let i = 0; i < this.size; i++) out.push({ doc: this.docs[i]!, score: this.scores[i]! });
    const keyOf = this.keyOf;
    return out.sort((a, b) => (a.score !== b.score ? b.score - a.score : keyOf ? (keyOf(a.doc) < keyOf(b.doc) ? -1 : 1) : a.doc - b.doc));
  }
}
