/**
 * Merges posting segments that cover ascending, disjoint doc ranges into one, optionally
 * renumbering doc ids and dropping deleted documents (compaction). Postings of a term are the
 * concatenation of its runs in segment order, so lists stay sorted without re-sorting.
 */
import { PostingSegment } from './posting-segment.js';
import { FIELD_COUNT } from './search-document.js';

/**
 * @param remap old doc id -> new doc id, or -1 to drop the posting; must preserve order.
 */
export function mergeSegments(segments: readonly PostingSegment[], remap?: Int32Array): PostingSegment {
  // Union of term ids (each segment's list is sorted).
  const all = new Set<number>();
  for (const s of segments) for (const t of s.termIds) all.add(t);
  const union = Uint32Array.from(all).sort();
  const locals = segments.map(() => 0);
  const counts = new Uint32Array(union.length);
  // Pass 1: count surviving postings per term.
  for (let u = 0; u < union.length; u++) {
    const t = union[u]!;
    let n = 0;
    segments.forEach((s, si) => {
      const li = locals[si]!;
      if (li < s.termIds.length && s.termIds[li] === t) {
        if (!remap) n += s.offsets[li + 1]! - s.offsets[li]!;
        else for (let p = s.offsets[li]!; p < s.offsets[li + 1]!; p++) if (remap[s.docs[p]!]! >= 0) n++;
        locals[si] = li + 1;
      }
    });
    counts[u] = n;
  }
  let kept = 0;
  for (let u = 0; u < union.length; u++) if (counts[u]! > 0) kept++;
  const termIds = new Uint32Array(kept);
  const offsets = new Uint32Array(kept + 1);
  let k = 0;
  for (let u = 0; u < union.length; u++) {
    if (counts[u]! === 0) continue;
    termIds[k] = union[u]!;
    offsets[k + 1] = offsets[k]! + counts[u]!;
    k++;
  }
  const docs = new Uint32Array(offsets[kept]!);
  const tfs = new Uint8Array(docs.length * FIELD_COUNT);
  // Pass 2: copy.
  locals.fill(0);
  let w = 0;
  for (let u = 0; u < union.length; u++) {
    const t = union[u]!;
    segments.forEach((s, si) => {
      const li = locals[si]!;
      if (li < s.termIds.length && s.termIds[li] === t) {
        const from = s.offsets[li]!;
        const to = s.offsets[li + 1]!;
        if (!remap) {
          docs.set(s.docs.subarray(from, to), w);
          tfs.set(s.tfs.subarray(from * FIELD_COUNT, to * FIELD_COUNT), w * FIELD_COUNT);
          w += to - from;
        } else {
          for (let p = from; p < to; p++) {
            const nd = remap[s.docs[p]!]!;
            if (nd < 0) continue;
            docs[w] = nd;
            for (let f = 0; f < FIELD_COUNT; f++) tfs[w * FIELD_COUNT + f] = s.tfs[p * FIELD_COUNT + f]!;
            w++;
          }
        }
        locals[si] = li + 1;
      }
    });
  }
  return new PostingSegment(termIds, offsets, docs, tfs);
}
