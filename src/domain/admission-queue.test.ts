import { describe, expect, it } from 'vitest';
import { AdmissionQueue, OverloadedError } from './admission-queue.js';

/** A job that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const done = new Promise<void>((r) => (open = r));
  return { job: () => done, open };
}

describe('AdmissionQueue', () => {
  it('runs at most `concurrency` jobs and starts queued ones in arrival order', async () => {
    const q = new AdmissionQueue({ concurrency: 2, maxQueued: 10, maxWaitMs: 10_000 });
    const gates = [gate(), gate(), gate()];
    const order: number[] = [];
    const runs = gates.map((g, i) => q.run(async () => (order.push(i), g.job())));
    await Promise.resolve();
    expect(q.stats()).toMatchObject({ running: 2, queued: 1 });
    expect(order).toEqual([0, 1]);
    gates[1]!.open();
    await runs[1];
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1, 2]);
    gates[0]!.open();
    gates[2]!.open();
    await Promise.all(runs);
    expect(q.stats()).toEqual({ running: 0, queued: 0, admitted: 3, rejected: 0 });
  });

  it('turns away a job at once when the queue is full, with a retry hint', async () => {
    const q = new AdmissionQueue({ concurrency: 1, maxQueued: 1, maxWaitMs: 10_000 });
    const g = gate();
    const first = q.run(g.job);
    const second = q.run(async () => 'ran');
    const error = await q.run(async () => 'never').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverloadedError);
    expect((error as OverloadedError).code).toBe('overloaded');
    expect((error as OverloadedError).details?.retryAfterSeconds).toBe(1);
    g.open();
    await first;
    expect(await second).toBe('ran');
  });

  it('gives up on a job that waited longer than maxWaitMs, and a failing job frees its slot', async () => {
    const q = new AdmissionQueue({ concurrency: 1, maxQueued: 5, maxWaitMs: 20 });
    const g = gate();
    const first = q.run(g.job);
    await expect(q.run(async () => 'late')).rejects.toBeInstanceOf(OverloadedError);
    g.open();
    await first;
    await expect(q.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await q.run(async () => 'free')).toBe('free');
    expect(q.stats()).toMatchObject({ running: 0, queued: 0, rejected: 1 });
  });
});
