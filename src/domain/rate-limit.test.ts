import { describe, expect, it } from 'vitest';
import { decideFromCount, msUntilNextUtcDay, RateLimitedError, SlidingWindowLimiter } from './rate-limit.js';

describe('SlidingWindowLimiter', () => {
  it('allows `limit` hits per window per key and says when the next one fits', () => {
    const limiter = new SlidingWindowLimiter({ limit: 3, windowMs: 60_000 });
    expect([0, 10_000, 20_000].map((t) => limiter.hit('a', t))).toEqual([
      // Reset: until the oldest counted hit leaves the window and frees one more.
      { allowed: true, retryAfterMs: 0, remaining: 2, resetMs: 60_000 },
      { allowed: true, retryAfterMs: 0, remaining: 1, resetMs: 50_000 },
      { allowed: true, retryAfterMs: 0, remaining: 0, resetMs: 40_000 },
    ]);
    expect(limiter.hit('a', 30_000)).toEqual({ allowed: false, retryAfterMs: 30_000, remaining: 0, resetMs: 30_000 });
    expect(limiter.hit('b', 30_000).allowed).toBe(true);
    expect(limiter.hit('a', 60_001).allowed).toBe(true);
  });

  it('bounds memory by dropping the least recently used keys', () => {
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 60_000, maxKeys: 10 });
    for (let i = 0; i < 100; i++) limiter.hit(`k${i}`, i);
    expect(limiter.hit('k99', 200).allowed).toBe(false);
    expect(limiter.hit('k0', 200).allowed).toBe(true);
  });
});

describe('limits counted in the database', () => {
  it('waits until the oldest counted row leaves the window', () => {
    const now = Date.parse('2024-01-01T12:00:00Z');
    expect(decideFromCount(4, '2024-01-01T11:30:00Z', 5, 3_600_000, now).allowed).toBe(true);
    expect(decideFromCount(5, '2024-01-01T11:30:00Z', 5, 3_600_000, now)).toEqual({ allowed: false, retryAfterMs: 30 * 60_000, remaining: 0 });
  });

  it('counts per-day limits to the next UTC midnight', () => {
    expect(msUntilNextUtcDay(Date.parse('2024-03-10T23:59:00Z'))).toBe(60_000);
  });

  it('carries Retry-After in whole seconds, at least one', () => {
    const error = new RateLimitedError('slow down', 0.2);
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(1);
    expect(error.details).toEqual({ retryAfterSeconds: 1 });
  });
});
