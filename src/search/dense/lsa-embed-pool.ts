/**
 * Folds many papers into a fitted LSA model on several worker threads (lsa-embed.worker.ts):
 * tokenizing and projecting a million papers is the longest step of the dense pipeline, and
 * each paper is independent, so batches go to whichever worker is free. Only titles and
 * abstracts cross the thread boundary. Results are identical to `embedDocumentsSync`.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { SearchDocument } from '../search-document.js';
import type { LsaModel } from './lsa-model.js';
import { startModuleWorker } from '../module-worker.js';

export class LsaEmbedPool {
  private readonly workers: Worker[];
  private readonly idle: Worker[];
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<number, { resolve: (v: Float32Array) => void; reject: (e: unknown) => void }>();
  private nextId = 0;

  constructor(model: LsaModel, threads = os.cpus().length) {
    const parts = model.toParts();
    const workerData = { parts };
    const spawn = () => startModuleWorker('lsa-embed.worker', import.meta.url, workerData);
    this.workers = Array.from({ length: Math.max(1, threads) }, spawn);
    this.idle = [...this.workers];
    for (const w of this.workers) {
      w.on('message', (m: { id: number; vectors: Float32Array }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        this.release(w);
        p?.resolve(m.vectors);
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
    }
  }

  get threads(): number {
    return this.workers.length;
  }

  private release(w: Worker): void {
    this.idle.push(w);
    this.waiting.shift()?.();
  }

  /** Resolves when a worker is free (callers use it to keep at most `threads` batches in flight). */
  async ready(): Promise<void> {
    while (this.idle.length === 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** The papers' vectors (row-major), computed on the next free worker. */
  async embed(documents: readonly SearchDocument[]): Promise<Float32Array> {
    while (this.idle.length === 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    const worker = this.idle.pop()!;
    const id = this.nextId++;
    const slim = documents.map((d) => ({ key: d.key, title: d.title, abstract: d.abstract, authors: '' }));
    return await new Promise<Float32Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, documents: slim });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
