/**
 * Builds and calibrates an IVF vector index in a worker thread (see ivf-build.worker.ts). The
 * rows move to the worker (no copy): `rows` is unusable afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { firstMessage, startModuleWorker } from '../module-worker.js';
import { VectorIndex } from './vector-index.js';

export async function buildIvfOffThread(rows: Float32Array, dimensions: number, options: { targetRecall?: number; background?: boolean } = {}): Promise<{ index: VectorIndex; probes: number; recall: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-ivf-'));
  const file = path.join(dir, 'ivf.idx');
  try {
    const worker = startModuleWorker('ivf-build.worker', import.meta.url, { rows, dimensions, file, targetRecall: options.targetRecall ?? 0.95 }, [rows.buffer as ArrayBuffer]);
    const calibration = await firstMessage<{ probes: number; recall: number }>(worker, { background: options.background ?? false });
    return { index: VectorIndex.load(file), ...calibration };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
