import { describe, expect, it } from 'vitest';
import { ForwardIndex, decodedDoc } from './forward-index.js';

function decode(index: ForwardIndex, doc: number, counts: number[]) {
  const ends = counts.map((_, f) => counts.slice(0, f + 1).reduce((a, b) => a + b, 0));
  const out = decodedDoc(64);
  index.decode(doc, ends, out);
  const n = ends[ends.length - 1]!;
  return { terms: [...out.terms.subarray(0, n)], positions: [...out.positions.subarray(0, n)] };
}

describe('ForwardIndex', () => {
  it('stores term ids with word positions per field, large ids included', () => {
    const index = new ForwardIndex();
    // Title: words 0 and 2 (a stop word between); abstract: a compound (parts 0, 1, joined form
    // at 0) then a word far behind a run of stop words.
    index.append([[5, 70_000], [9, 10, 11, 3], []], [[0, 2], [0, 1, 0, 7], []], [2, 4, 0]);
    index.append([[1], [], [2, 3]], [[0], [], [0, 1]], [1, 0, 2]);
    expect(decode(index, 0, [2, 4, 0])).toEqual({ terms: [5, 70_000, 9, 10, 11, 3], positions: [0, 2, 0, 1, 1, 4] });
    expect(decode(index, 1, [1, 0, 2])).toEqual({ terms: [1, 2, 3], positions: [0, 0, 1] });
  });

  it('keeps only the first counts[f] tokens of a field', () => {
    const index = new ForwardIndex();
    index.append([[1, 2, 3]], [[0, 1, 2]], [2]);
    index.append([[4]], [[0]], [1]);
    expect(decode(index, 0, [2])).toEqual({ terms: [1, 2], positions: [0, 1] });
    expect(decode(index, 1, [1])).toEqual({ terms: [4], positions: [0] });
  });

  it('compacts to the kept documents and restores from its snapshot arrays', () => {
    const index = new ForwardIndex();
    const docs = Array.from({ length: 3000 }, (_, d) => Array.from({ length: 1 + (d % 7) }, (_, k) => d * 31 + k * 1000));
    for (const ids of docs) index.append([ids], [ids.map((_, k) => k)], [ids.length]);
    const remap = Int32Array.from(docs, (_, d) => (d % 3 === 0 ? -1 : d));
    const compacted = index.compacted(remap, (d) => docs[d]!.length);
    const kept = docs.filter((_, d) => d % 3 !== 0);
    expect(compacted.docCount).toBe(kept.length);
    const arrays = compacted.snapshotArrays();
    const chunks = Object.keys(arrays).filter((k) => k.startsWith('chunk')).map((k) => arrays[k] as Uint8Array);
    const restored = ForwardIndex.restore(arrays.starts as Float64Array, chunks);
    for (const [i, ids] of kept.entries()) {
      expect(decode(compacted, i, [ids.length]).terms).toEqual(ids);
      expect(decode(restored, i, [ids.length]).terms).toEqual(ids);
    }
    restored.append([[7]], [[0]], [1]);
    expect(decode(restored, kept.length, [1]).terms).toEqual([7]);
  });
});
