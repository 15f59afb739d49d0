/**
 * FNV-1a over UTF-16 code units, as an unsigned 32-bit integer: fast, and stable across runs and
 * platforms, so hashed features (the contrastive encoder's rows, "For you"'s TF-IDF buckets)
 * mean the same after a restart. A different `seed` gives an independent hash of the same text.
 */
export const FNV1A_OFFSET = 0x811c9dc5;

export function fnv1a(text: string, seed: number = FNV1A_OFFSET): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
