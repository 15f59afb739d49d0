/**
 * Rate limiting rules, free of I/O: an error that carries `Retry-After`, a sliding-window log
 * limiter for per-process limits, and the arithmetic for limits counted in the database
 * (those hold across instances).
 */
import { AppError } from './errors.js';

/** Too many requests; the web layer answers 429 with `Retry-After: retryAfterSeconds`. */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number, details: Record<string, unknown> = {}) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super('rate_limited', message, { details: { ...details, retryAfterSeconds: seconds } });
    this.retryAfterSeconds = seconds;
  }
}

export interface LimitDecision {
  allowed: boolean;
  /** When not allowed: how long until one more request fits in the window. */
  retryAfterMs: number;
  remaining: number;
  /** How long until the oldest counted request leaves the window, freeing one more (RateLimit-Reset). */
  resetMs?: number;
}

/**
 * At most `limit` hits per key in any window of `windowMs`. Memory is bounded: keys whose hits
 * are all outside the window are dropped, and beyond `maxKeys` the oldest keys go first.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly options: { limit: number; windowMs: number; maxKeys?: number }) {}

  hit(key: string, nowMs: number): LimitDecision {
    const { limit, windowMs } = this.options;
    const since = nowMs - windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (list.length >= limit) {
      this.hits.set(key, list);
      const retryAfterMs = (list[0] ?? nowMs) + windowMs - nowMs;
      return { allowed: false, retryAfterMs, remaining: 0, resetMs: retryAfterMs };
    }
    list.push(nowMs);
    // Re-inserting moves the key to the end, so iteration order is least recently used first.
    this.hits.delete(key);
    this.hits.set(key, list);
    this.evict();
    return { allowed: true, retryAfterMs: 0, remaining: limit - list.length, resetMs: list[0]! + windowMs - nowMs };
  }

  private evict(): void {
    const maxKeys = this.options.maxKeys ?? 100_000;
    if (this.hits.size <= maxKeys) return;
    // Least recently hit keys come first in a Map's iteration order.
    for (const key of this.hits.keys()) {
      if (this.hits.size <= Math.floor(maxKeys * 0.9)) break;
      this.hits.delete(key);
    }
  }
}

/**
 * For a limit counted from stored rows: given how many fall in the window and the oldest of
 * them, says whether one more is allowed and when the oldest leaves the window.
 */
export function decideFromCount(count: number, oldestAt: string | null, limit: number, windowMs: number, nowMs: number): LimitDecision {
  if (count < limit) return { allowed: true, retryAfterMs: 0, remaining: limit - count - 1 };
  const oldest = oldestAt ? Date.parse(oldestAt) : nowMs;
  return { allowed: false, retryAfterMs: Math.max(1000, oldest + windowMs - nowMs), remaining: 0 };
}

/** Milliseconds until the next UTC midnight, for per-day limits. */
export function msUntilNextUtcDay(nowMs: number): number {
  const d = new Date(nowMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - nowMs;
}
