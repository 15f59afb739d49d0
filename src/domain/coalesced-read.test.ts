import { describe, expect, it } from 'vitest';
import { coalescedRead } from './coalesced-read.js';

/** A read whose answers the test releases by hand, counting how many reads started. */
function manualSource() {
  let value = 0;
  const pending: ((v: number) => void)[] = [];
  let started = 0;
  return {
    read: () => {
      started++;
      const seen = value;
      return new Promise<number>((resolve) => pending.push(() => resolve(seen)));
    },
    set: (v: number) => {
      value = v;
    },
    releaseOne: async () => {
      pending.shift()?.(0);
      await new Promise((r) => setImmediate(r));
    },
    get started() {
      return started;
    },
  };
}

describe('coalescedRead', () => {
  it('never answers a caller with a read that started before it asked', async () => {
    const src = manualSource();
    const read = coalescedRead(src.read);
    const first = read(); // starts read #1, which sees 0
    src.set(1); // a write commits while read #1 is under way
    const second = read(); // must not join read #1
    const third = read(); // joins the queued read with the second caller
    await src.releaseOne();
    expect(await first).toBe(0);
    expect(src.started).toBe(2);
    await src.releaseOne();
    expect(await second).toBe(1);
    expect(await third).toBe(1);
    expect(src.started).toBe(2);
  });

  it('keeps at most one read in flight and one queued under a burst', async () => {
    const src = manualSource();
    const read = coalescedRead(src.read);
    const answers = Array.from({ length: 50 }, () => read());
    await src.releaseOne();
    await src.releaseOne();
    await Promise.all(answers);
    expect(src.started).toBe(2);
  });

  it('recovers after a failed read', async () => {
    let fail = true;
    const read = coalescedRead(async () => {
      if (fail) throw new Error('down');
      return 7;
    });
    await expect(read()).rejects.toThrow('down');
    fail = false;
    expect(await read()).toBe(7);
  });
});
