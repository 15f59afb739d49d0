/**
 * A bounded queue in front of expensive work (search, "For you"): at most `concurrency` jobs
 * run, at most `maxQueued` wait, and none waits longer than `maxWaitMs`. A job that cannot be
 * admitted fails at once with `overloaded` (HTTP 503 with Retry-After), so under a burst the
 * server answers every request quickly, some with "come back in a second", instead of letting
 * requests pile up until clients time out.
 */
import { AppError } from './errors.js';

export class OverloadedError extends AppError {
  constructor(message: string, retryAfterSeconds: number, details: Record<string, unknown> = {}) {
    super('overloaded', message, { details: { ...details, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) } });
  }
}

export interface AdmissionStats {
  running: number;
  queued: number;
  admitted: number;
  rejected: number;
}

interface Waiter {
  admit: () => void;
  timer: NodeJS.Timeout;
}

export class AdmissionQueue {
  #running = 0;
  readonly #waiting: Waiter[] = [];
  #admitted = 0;
  #rejected = 0;

  constructor(private readonly options: { concurrency: number; maxQueued: number; maxWaitMs: number }) {}

  /** Runs `job` once admitted; throws OverloadedError when the queue is full or the wait ran out. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    await this.#enter();
    try {
      return await job();
    } finally {
      this.#leave();
    }
  }

  stats(): AdmissionStats {
    return { running: this.#running, queued: this.#waiting.length, admitted: this.#admitted, rejected: this.#rejected };
  }

  #enter(): Promise<void> {
    if (this.#running < this.options.concurrency && this.#waiting.length === 0) {
      this.#running++;
      this.#admitted++;
      return Promise.resolve();
    }
    if (this.#waiting.length >= this.options.maxQueued) {
      this.#rejected++;
      return Promise.reject(new OverloadedError('The server is busy: too many searches are waiting. Try again in a second.', 1, { queued: this.#waiting.length }));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(waiter.timer);
          this.#running++;
          this.#admitted++;
          resolve();
        },
        timer: setTimeout(() => {
          const at = this.#waiting.indexOf(waiter);
          if (at >= 0) this.#waiting.splice(at, 1);
          this.#rejected++;
          reject(new OverloadedError(`The server is busy: the request waited ${this.options.maxWaitMs} ms for its turn. Try again in a second.`, 1, { waitedMs: this.options.maxWaitMs }));
        }, this.options.maxWaitMs),
      };
      this.#waiting.push(waiter);
    });
  }

  #leave(): void {
    this.#running--;
    const next = this.#waiting.shift();
    next?.admit();
  }
}
