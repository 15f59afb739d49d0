/**
 * Starts a worker thread from a module next to the caller. Built code runs the `.js` file; from
 * sources (tests, tsx) the worker is a `.ts` file, loaded through tsx's API because
 * `--import tsx` in a worker's execArgv does not reach it on Node 20.
 */
import { Worker } from 'node:worker_threads';

/**
 * `name` is the module's file name without extension; `callerUrl` the caller's `import.meta.url`.
 * Buffers in `transferList` move to the worker instead of being copied (the caller loses them).
 */
export function startModuleWorker(name: string, callerUrl: string, workerData: unknown, transferList: ArrayBuffer[] = []): Worker {
  if (callerUrl.endsWith('.ts')) {
    const href = new URL(`./${name}.ts`, callerUrl).href;
    return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(href)}); });`, { eval: true, workerData, transferList });
  }
  return new Worker(new URL(`./${name}.js`, callerUrl), { workerData, transferList });
}

/** Resolves with the worker's first message and ends the worker; rejects on error or early exit. */
export async function firstMessage<T>(worker: Worker, run: { background?: boolean } = {}): Promise<T> {
  // In the background the worker does not keep the process alive: a command that ends meanwhile exits.
  if (run.background) worker.unref();
  return await new Promise<T>((resolve, reject) => {
    worker.once('message', (message: T) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with code ${code}`));
    });
  });
}
