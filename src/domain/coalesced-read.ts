/**
 * Coalesces concurrent reads of a changing value without ever answering with a value read
 * before the caller asked: a caller joins the read that has not started yet, or starts one,
 * and never one already under way (it may predate a write the caller has seen committed).
 * Under load this is at most one read in flight and one queued, whatever the request rate.
 */
export function coalescedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  const start = (): Promise<T> => {
    const p = read();
    running = p;
    const clear = () => {
      if (running === p) running = null;
    };
    p.then(clear, clear);
    return p;
  };
  return () => {
    if (queued) return queued;
    if (!running) return start();
    const after = running.then(
      () => undefined,
      () => undefined,
    );
    const q = after.then(() => {
      queued = null;
      return start();
    });
    queued = q;
    return q;
  };
}
