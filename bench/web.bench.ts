/**
 * Web benchmark: autocannon against `paperboy serve` itself (the product's command, settings and
 * middleware) with the 30,538 recorded cs papers, every target at 50 and at 200 connections,
 * `/healthz` measured in the same run as the baseline. Two set-ups:
 * - `sqlite`: one instance on a fresh SQLite file, as a small group runs it;
 * - `postgres`: two instances on one PostgreSQL schema, connections dealt round-robin between
 *   them by the load generator (on loopback, no proxy in between).
 * Each instance is measured once `/readyz` says it is ready and its paper vectors answer, as a
 * running server has them. The API's per-client limit is switched off (the load comes from one
 * address); everything else is the default configuration.
 *
 * Targets: the pages, the Hugging Face-compatible API, and search twice: the same query over
 * and over (answered from the answer cache after the first), and a new query on every request
 * (`uncached`: real title fragments, so the engine, the database and the presenters all work).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import autocannon from 'autocannon';
import pg from 'pg';
import { harvestPages } from '../e2e/reader.server.js';
import { createApp } from '../src/app.js';
import { buildConfig, parseDatabaseUrl } from '../src/config/config.js';
import { createLogger } from '../src/logger.js';
import { titleFragmentQueries } from '../src/search/title-fragment-queries.js';
import { writeAlignedTable } from './aligned-table.js';
import { printSoakTable, soak, type SoakRow } from './web-soak.js';

export interface WebBenchRow {
  setup: string;
  connections: number;
  target: string;
  path: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** 503 answers (overload, with Retry-After): answers, not errors, but counted apart. */
  status503: number;
  errors: number;
  timeouts: number;
  requests: number;
}

interface Target {
  target: string;
  path: string;
  /** A new path for every request (uncached search). */
  paths?: () => string;
}

const DAY = '2012-03-20';

function targets(queries: readonly string[]): Target[] {
  let next = 0;
  return [
    { target: 'healthz (baseline)', path: '/healthz' },
    { target: 'feed page /', path: '/' },
    { target: 'day page', path: `/date/${DAY}` },
    { target: 'paper page', path: '/papers/1203.4705' },
    { target: 'API daily_papers', path: `/api/daily_papers?date=${DAY}` },
    { target: 'API search', path: '/api/papers/search?q=graph+coloring&limit=20' },
    { target: 'API search, uncached', path: '/api/papers/search?q=…&limit=20', paths: () => `/api/papers/search?q=${encodeURIComponent(queries[next++ % queries.length]!)}&limit=20` },
  ];
}

const here = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(here), path.extname(here) === '.ts' ? '..' : '../..');

/** `paperboy serve` from sources (through tsx) when this file runs from sources, else the built command. */
function serveCommand(role: string): string[] {
  return path.extname(here) === '.ts' ? ['--import', 'tsx', path.join(repoRoot, 'src/cli-entry.ts'), 'serve', '--role', role, '--port', '0'] : [path.join(repoRoot, 'bin/paperboy.js'), 'serve', '--role', role, '--port', '0'];
}

interface Instance {
  baseUrl: string;
  child: ChildProcess;
}

async function startInstance(env: Record<string, string>, role: string): Promise<Instance> {
  const child = spawn(process.execPath, serveCommand(role), { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /running at (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`paperboy serve exited with ${code} before listening: ${out}`)));
  });
  child.stdout!.resume();
  return { baseUrl, child };
}

async function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => instance.child.once('exit', () => resolve()));
  instance.child.kill('SIGTERM');
  await exited;
}

/** Waits until /readyz says ready and the paper vectors answer (building them takes a minute or two). */
async function waitUntilReady(instance: Instance, out: Writable): Promise<void> {
  const started = Date.now();
  for (;;) {
    const r = await fetch(`${instance.baseUrl}/readyz`).catch(() => null);
    const body = r ? ((await r.json()) as { ready: boolean; checks: { vectors: string } }) : null;
    if (body?.ready && body.checks.vectors !== 'not yet') {
      out.write(`  ${instance.baseUrl} ready after ${((Date.now() - started) / 1000).toFixed(0)} s (vectors ${body.checks.vectors})\n`);
      return;
    }
    if (Date.now() - started > 15 * 60_000) throw new Error(`${instance.baseUrl} not ready after 15 minutes`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

function load(urls: string[], t: Target, seconds: number, connections: number): Promise<autocannon.Result> {
  const paths = t.paths;
  return autocannon({
    // Several URLs: autocannon deals the connections among them round-robin (its types say one).
    url: urls.map((u) => `${u}${t.path}`) as unknown as string,
    duration: seconds,
    connections,
    pipelining: 1,
    timeout: 10,
    // As browsers and HTTP libraries ask (requests, undici): gzip when the server offers it.
    headers: { accept: 'text/html,application/json', 'accept-encoding': 'gzip' },
    ...(paths ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: paths() }) }] } : {}),
  });
}

async function measure(setup: string, urls: string[], queries: readonly string[], options: { seconds: number; connectionCounts: number[] }, out: Writable): Promise<WebBenchRow[]> {
  const rows: WebBenchRow[] = [];
  const list = targets(queries);
  // One client, one query after the other: what a single uncached search costs through HTTP.
  const uncached = list.find((t) => t.paths)!;
  await load(urls, uncached, 1, 1);
  const alone = await load(urls, uncached, options.seconds, 1);
  rows.push({ setup, connections: 1, target: uncached.target, path: uncached.path, requestsPerSecond: Math.round(alone.requests.average), p50Ms: alone.latency.p50, p99Ms: alone.latency.p99, non2xx: alone.non2xx, status503: 0, errors: alone.errors, timeouts: alone.timeouts, requests: alone.requests.total });
  out.write(`  ${setup}, 1 connection, ${uncached.target}: p50 ${alone.latency.p50} ms, p99 ${alone.latency.p99} ms\n`);
  for (const connections of options.connectionCounts) {
    for (const t of list) {
      await load(urls, t, 1, connections); // warm-up: caches, JIT
      const r = await load(urls, t, options.seconds, connections);
      const status503 = (r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats?.['503']?.count ?? 0;
      const row = { setup, connections, target: t.target, path: t.path, requestsPerSecond: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, status503, errors: r.errors, timeouts: r.timeouts, requests: r.requests.total };
      rows.push(row);
      out.write(`  ${setup}, ${connections} connections, ${t.target}: ${row.requestsPerSecond} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, non-2xx ${row.non2xx} (503: ${status503}), errors ${row.errors}\n`);
    }
  }
  return rows;
}

/** Imports the recorded harvest into a fresh database (what `paperboy import` does). */
async function importInto(databaseUrl: string, sharedDataDir: string | undefined, out: Writable): Promise<number> {
  const logger = createLogger('silent');
  const app = await createApp(buildConfig({ database: parseDatabaseUrl(databaseUrl), logLevel: 'silent', denseSearch: { mode: 'off' } }), { logger });
  try {
    const started = performance.now();
    const summary = await app.services.importFiles(harvestPages(sharedDataDir ?? path.join(repoRoot, '../shared/data')));
    if (summary.failed.length > 0) throw new Error(`import failed: ${JSON.stringify(summary.failed)}`);
    const papers = await app.services.countPapers();
    out.write(`  imported ${papers} papers in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    return papers;
  } finally {
    await app.close();
  }
}

/** Search queries (real title fragments) and the ids of papers, from the imported database. */
async function realQueries(databaseUrl: string): Promise<{ queries: string[]; papers: string[] }> {
  const app = await createApp(buildConfig({ database: parseDatabaseUrl(databaseUrl), logLevel: 'silent', denseSearch: { mode: 'off' } }), { logger: createLogger('silent'), migrate: false });
  try {
    const recent = await app.services.recentPapers({ limit: 40_000 });
    return { queries: titleFragmentQueries(recent.map((p) => p.title), 20_000, 7), papers: recent.slice(0, 5_000).map((p) => p.arxivId) };
  } finally {
    await app.close();
  }
}

/** The soak's mix: every read target of the per-target figures, uncached searches, and member writes. */
function soakPlan(queries: readonly string[], papers: readonly string[]) {
  const list = targets(queries);
  const uncached = list.find((t) => t.paths)!.paths!;
  return { reads: list.filter((t) => !t.paths && t.path !== '/healthz').map((t) => t.path), uncachedSearch: uncached, papers };
}

/**
 * The API's per-client limit is off (the load comes from one address); members' own vote and
 * comment limits are raised so the soak's members are not refused for writing fast, and the
 * soak's members sit behind a trusted proxy, each with an address of their own.
 */
const SERVER_ENV = { API_RATE_LIMIT_PER_MINUTE: '0', HOST: '127.0.0.1', TRUST_PROXY: 'true', RATE_VOTES_PER_MINUTE: '100000', RATE_COMMENTS_PER_HOUR: '100000' };

export async function runWebBench(options: {
  seconds?: number;
  connections?: number[];
  setups?: ('sqlite' | 'postgres')[];
  postgresUrl?: string;
  sharedDataDir?: string;
  /** Also soak each set-up for this many seconds (0: no soak). */
  soakSeconds?: number;
  soakClients?: number;
  /** False: the soak only, no per-target figures. */
  perTarget?: boolean;
  out: Writable;
}): Promise<{ rows: WebBenchRow[]; soak: SoakRow[] }> {
  const seconds = options.seconds ?? 10;
  const connectionCounts = options.perTarget === false ? [] : (options.connections ?? [50, 200]);
  const out = options.out;
  const rows: WebBenchRow[] = [];
  const soakRows: SoakRow[] = [];
  const soakSeconds = options.soakSeconds ?? 0;
  const soakClients = options.soakClients ?? 200;
  if (connectionCounts.length > 0) out.write(`Web benchmark: ${seconds} s per target at ${connectionCounts.join(' and ')} connections; ${os.cpus().length} cores.\n`);
  if (soakSeconds > 0) out.write(`Soak: ${soakClients} members for ${soakSeconds} s per set-up, every target mixed with votes and comments; ${os.cpus().length} cores.\n`);

  if ((options.setups ?? ['sqlite', 'postgres']).includes('sqlite')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-web-'));
    const databaseUrl = `sqlite:${path.join(dir, 'paperboy.db')}`;
    try {
      out.write(`\nsqlite: one instance (${databaseUrl})\n`);
      await importInto(databaseUrl, options.sharedDataDir, out);
      const { queries, papers } = await realQueries(databaseUrl);
      const instance = await startInstance({ ...SERVER_ENV, DATABASE_URL: databaseUrl }, 'all');
      try {
        await waitUntilReady(instance, out);
        if (connectionCounts.length > 0) rows.push(...(await measure('sqlite, 1 instance', [instance.baseUrl], queries, { seconds, connectionCounts }, out)));
        if (soakSeconds > 0) soakRows.push(await soak('sqlite, 1 instance', [instance.baseUrl], databaseUrl, soakPlan(queries, papers), { seconds: soakSeconds, clients: soakClients }, out));
      } finally {
        await stopInstance(instance);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  if ((options.setups ?? ['sqlite', 'postgres']).includes('postgres')) {
    const baseUrl = options.postgresUrl ?? 'postgres://postgres@127.0.0.1:5432/test';
    const schema = `bench_web_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const databaseUrl = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    try {
      out.write(`\npostgres: two instances on schema ${schema}, connections round-robin\n`);
      await importInto(databaseUrl, options.sharedDataDir, out);
      const { queries, papers } = await realQueries(databaseUrl);
      const a = await startInstance({ ...SERVER_ENV, DATABASE_URL: databaseUrl }, 'all');
      const b = await startInstance({ ...SERVER_ENV, DATABASE_URL: databaseUrl }, 'web');
      try {
        await Promise.all([waitUntilReady(a, out), waitUntilReady(b, out)]);
        if (connectionCounts.length > 0) rows.push(...(await measure('postgres, 2 instances', [a.baseUrl, b.baseUrl], queries, { seconds, connectionCounts }, out)));
        if (soakSeconds > 0) soakRows.push(await soak('postgres, 2 instances', [a.baseUrl, b.baseUrl], databaseUrl, soakPlan(queries, papers), { seconds: soakSeconds, clients: soakClients }, out));
      } finally {
        await Promise.all([stopInstance(a), stopInstance(b)]);
      }
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  }

  out.write('\n');
  if (rows.length > 0) printTable(rows, out);
  if (soakRows.length > 0) {
    out.write(`\nSoak: ${soakClients} members, every target mixed with votes and comments, ${soakSeconds} s per set-up\n`);
    printSoakTable(soakRows, out);
  }
  return { rows, soak: soakRows };
}

function printTable(rows: readonly WebBenchRow[], out: Writable): void {
  const header = ['setup', 'conns', 'target', 'req/s', '% healthz', 'p50 ms', 'p99 ms', 'non-2xx', '503', 'errors'];
  const table = [
    header,
    ...rows.map((r) => {
      const base = rows.find((b) => b.setup === r.setup && b.connections === r.connections && b.path === '/healthz');
      const share = base && base.requestsPerSecond > 0 ? `${Math.round((100 * r.requestsPerSecond) / base.requestsPerSecond)}%` : '-';
      return [r.setup, String(r.connections), r.target, String(r.requestsPerSecond), share, String(r.p50Ms), String(r.p99Ms), String(r.non2xx), String(r.status503), String(r.errors + r.timeouts)];
    }),
  ];
  writeAlignedTable(table, 3, out);
}
