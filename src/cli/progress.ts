/** A byte-based progress bar on stderr when it is a terminal; silent otherwise. */
import cliProgress from 'cli-progress';
import type { Writable } from 'node:stream';

export interface Progress {
  update(done: number, total: number, payload?: Record<string, string | number>): void;
  stop(): void;
}

export function createProgress(stream: Writable, label: string): Progress {
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  if (!tty) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: `${label} [{bar}] {percentage}% | {records} records | {file}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, payload = {}) {
      if (!started) {
        bar.start(Math.max(total, 1), 0, { records: 0, file: '', ...payload });
        started = true;
      }
      bar.setTotal(Math.max(total, 1));
      bar.update(done, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
