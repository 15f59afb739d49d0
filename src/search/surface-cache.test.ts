import { describe, expect, it } from 'vitest';
import { SURFACE_STOP, SURFACE_USABLE, SurfaceCache } from './surface-cache.js';

describe('SurfaceCache', () => {
  it('finds words by a slice of the text, and only exact matches', () => {
    const cache = new SurfaceCache<string>(100);
    const text = 'cardiac cardio card cardiac';
    const at = (word: string, from = 0) => {
      const start = text.indexOf(word, from);
      return [start, start + word.length] as const;
    };
    const [s1, e1] = at('cardiac');
    expect(cache.find(text, s1, e1, SurfaceCache.hash(text, s1, e1))).toBe(-1);
    const entry = cache.add(text, s1, e1, SurfaceCache.hash(text, s1, e1), SURFACE_USABLE | SURFACE_STOP, 'v-cardiac');
    // The same word elsewhere in the text, and a prefix of it that must not match.
    const [s2, e2] = at('cardiac', 1);
    expect(cache.find(text, s2, e2, SurfaceCache.hash(text, s2, e2))).toBe(entry);
    const [s3, e3] = at('card ');
    expect(cache.find(text, s3, e3 - 1, SurfaceCache.hash(text, s3, e3 - 1))).toBe(-1);
    expect(cache.value(entry)).toBe('v-cardiac');
    expect(cache.flags(entry)).toBe(SURFACE_USABLE | SURFACE_STOP);
  });

  it('tells apart different words that share a hash', () => {
    const cache = new SurfaceCache<string>(100);
    const a = cache.add('alpha', 0, 5, 42, 0, 'alpha');
    const b = cache.add('gamma', 0, 5, 42, 0, 'gamma');
    expect(cache.find('gamma', 0, 5, 42)).toBe(b);
    expect(cache.find('alpha', 0, 5, 42)).toBe(a);
    expect(cache.find('delta', 0, 5, 42)).toBe(-1);
  });

  it('keeps every entry through growth, and forgets term ids when another dictionary asks', () => {
    const cache = new SurfaceCache<number>(1_000_000);
    const words = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}x`);
    const entries = words.map((w, i) => cache.add(w, 0, w.length, SurfaceCache.hash(w, 0, w.length), 0, i));
    words.forEach((w, i) => expect(cache.find(`..${w}..`, 2, 2 + w.length, SurfaceCache.hash(w, 0, w.length))).toBe(entries[i]));
    const first = {};
    expect(cache.termId(entries[7]!, first)).toBe(-1);
    cache.setTermId(entries[7]!, 3);
    expect(cache.termId(entries[7]!, first)).toBe(3);
    expect(cache.termId(entries[7]!, {})).toBe(-1);
  });

  it('starts afresh past its bound, only when trimmed between texts', () => {
    const cache = new SurfaceCache<number>(3);
    for (const w of ['a', 'b', 'c', 'd']) cache.add(w, 0, 1, SurfaceCache.hash(w, 0, 1), 0, 0);
    expect(cache.size).toBe(4);
    cache.trim();
    expect(cache.size).toBe(0);
    expect(cache.find('a', 0, 1, SurfaceCache.hash('a', 0, 1))).toBe(-1);
  });
});
