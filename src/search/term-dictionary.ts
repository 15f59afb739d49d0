/**
 * Term strings <-> dense term ids, with document frequencies, and sorted prefix lookup for
 * search-as-you-type. The sorted view is rebuilt lazily: terms added since the last sort
 * wait in a short unsorted tail that lookups scan too.
 */
import { GrowableArray, u32 } from './growable-array.js';

const MAX_UNSORTED_TAIL = 4096;

export class TermDictionary {
  private readonly ids = new Map<string, number>();
  readonly terms: string[] = [];
  /** Documents containing the term in any field (tombstoned ones included until compaction). */
  readonly df = new GrowableArray(u32, 1024);
  private sorted: number[] = [];
  private sortedUpTo = 0;

  get size(): number {
    return this.terms.length;
  }

  idOf(term: string): number | undefined {
    return this.ids.get(term);
  }

  /** Id of `term`, creating it when new. */
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
      this.df.push(0);
    }
    return id;
  }

  /** Ids of terms starting with `prefix`, in term order. */
  withPrefix(prefix: string): number[] {
    if (this.terms.length - this.sortedUpTo > MAX_UNSORTED_TAIL) this.resort();
    const out: number[] = [];
    const sorted = this.sorted;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.terms[sorted[mid]!]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < sorted.length && this.terms[sorted[i]!]!.startsWith(prefix); i++) out.push(sorted[i]!);
    for (let id = this.sortedUpTo; id < this.terms.length; id++) if (this.terms[id]!.startsWith(prefix)) out.push(id);
    return out;
  }

  private resort(): void {
    this.sorted = Array.from({ length: this.terms.length }, (_, i) => i).sort((a, b) => (this.terms[a]! < this.terms[b]! ? -1 : 1));
    this.sortedUpTo = this.terms.length;
  }

  static restore(terms: string[], df: ArrayLike<number>): TermDictionary {
    const d = new TermDictionary();
    for (const t of terms) d.intern(t);
    d.df.array.set(df);
    return d;
  }
}
