/**
 * Web benchmark: autocannon against the reader server with the 30,538 recorded papers, in one
 * run: the static `/healthz` as the baseline, the feed page `/` (the latest day with papers),
 * a day page, a paper page, the Hugging Face-compatible daily papers API and the search API.
 * The server runs in its own process (bench/web-server.ts); figures are requests/s and the
 * p50/p99 latency. Goal: feed page >= 1,500 req/s with p99 <= 50 ms on 2 cores.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import autocannon from 'autocannon';

export interface WebBenchRow {
  target: string;
  path: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

export const WEB_BENCH_TARGETS: { target: string; path: string }[] = [
  { target: 'healthz (baseline)', path: '/healthz' },
  { target: 'feed page /', path: '/' },
  { target: 'day page', path: '/date/2012-03-20' },
  { target: 'paper page', path: '/papers/1203.4705' },
  { target: 'API daily_papers', path: '/api/daily_papers?date=2012-03-20' },
  { target: 'API search', path: '/api/papers/search?q=graph+coloring&limit=20' },
];

const here = fileURLToPath(import.meta.url);

async function startServerProcess(sharedDataDir: string | undefined): Promise<{ baseUrl: string; papers: number; stop: () => void }> {
  // The server is this file's sibling: `web-server.ts` from sources (through tsx), `web-server.js` once built.
  const fromSources = path.extname(here) === '.ts';
  const child = spawn(process.execPath, [...(fromSources ? ['--import', 'tsx'] : []), path.join(path.dirname(here), `web-server${path.extname(here)}`)], {
    env: { ...process.env, ...(sharedDataDir ? { PAPERBOY_SHARED_DATA: sharedDataDir } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line) {
        const info = JSON.parse(line) as { baseUrl: string; papers: number };
        resolve({ ...info, stop: () => child.kill('SIGTERM') });
      }
    });
    child.on('exit', (code) => reject(new Error(`benchmark server exited with ${code}`)));
  });
}

function run(url: string, seconds: number, connections: number): Promise<autocannon.Result> {
  return autocannon({ url, duration: seconds, connections, pipelining: 1, headers: { accept: 'text/html,application/json' } });
}

export async function runWebBench(options: { seconds?: number; connections?: number; sharedDataDir?: string; out: Writable }): Promise<WebBenchRow[]> {
  const seconds = options.seconds ?? 10;
  const connections = options.connections ?? 20;
  const out = options.out;
  out.write(`Starting the reader server (importing the recorded cs harvest)...\n`);
  const server = await startServerProcess(options.sharedDataDir);
  const rows: WebBenchRow[] = [];
  try {
    out.write(`${server.papers} papers at ${server.baseUrl}; ${seconds} s per target, ${connections} connections\n\n`);
    // One request each first: the search index builds on first use and must not land in a measurement.
    for (const t of WEB_BENCH_TARGETS) await fetch(`${server.baseUrl}${t.path}`, { signal: AbortSignal.timeout(120_000) }).then((r) => r.arrayBuffer());
    for (const t of WEB_BENCH_TARGETS) {
      await run(`${server.baseUrl}${t.path}`, 1, connections); // warm-up: caches, JIT
      const r = await run(`${server.baseUrl}${t.path}`, seconds, connections);
      rows.push({ target: t.target, path: t.path, requestsPerSecond: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
    }
  } finally {
    server.stop();
  }
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'path'];
  const table = [header, ...rows.map((r) => [r.target, String(r.requestsPerSecond), String(r.p50Ms), String(r.p99Ms), String(r.non2xx), String(r.errors), r.path])];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) out.write(`${row.map((cell, i) => (i === 0 || i === row.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}\n`);
  const feed = rows.find((r) => r.path === '/');
  if (feed) out.write(`\nfeed page goal (>= 1500 req/s, p99 <= 50 ms): ${feed.requestsPerSecond >= 1500 && feed.p99Ms <= 50 ? 'met' : 'NOT met'}\n`);
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  await runWebBench({ seconds, out: process.stdout });
}
