/**
 * Import benchmark: Paperboy's `import` of real arXiv OAI-PMH pages into a fresh database,
 * next to a plain streaming XML parse (saxes, counting records, no mapping, no database) of the
 * same files in the same run. Every measurement runs in its own child process so peak memory
 * (maxRSS) belongs to that measurement alone. 1x is the 30,538-record cs harvest; 3x adds 61
 * gzipped pages of the same harvest (91,538 distinct records).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import pg from 'pg';
import { SaxesParser } from 'saxes';
import { createApp } from '../src/app.js';
import { buildConfig, parseDatabaseUrl } from '../src/config/config.js';
import { createLogger } from '../src/logger.js';
import { openDatabase } from '../src/store/database.js';

export interface ImportBenchResult {
  system: string;
  scale: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  maxRssMb: number;
}

type Scenario = { system: 'paperboy-import' | 'saxes-parse'; scale: '1x' | '3x'; databaseUrl?: string };

export function benchFiles(sharedDataDir: string, scale: '1x' | '3x'): string[] {
  const plainDir = path.join(sharedDataDir, 'arxiv/oai-pmh/arXiv-format_set-cs_harvest-2016-03-09');
  const moreDir = path.join(sharedDataDir, 'arxiv/oai-pmh/arXiv-format_set-cs_harvest-2016-03-09-more');
  const plain = fs.readdirSync(plainDir).filter((f) => f.endsWith('.xml')).sort().map((f) => path.join(plainDir, f));
  if (scale === '1x') return plain;
  const more = fs.readdirSync(moreDir).filter((f) => f.endsWith('.xml.gz')).sort().slice(0, 61).map((f) => path.join(moreDir, f));
  return [...plain, ...more];
}

async function parseOnly(files: string[]): Promise<number> {
  let records = 0;
  for (const file of files) {
    const parser = new SaxesParser({ xmlns: false });
    parser.on('opentag', (tag) => {
      if (tag.name === 'record') records++;
    });
    let stream: NodeJS.ReadableStream = fs.createReadStream(file);
    if (file.endsWith('.gz')) stream = stream.pipe(zlib.createGunzip());
    stream.setEncoding('utf8');
    for await (const chunk of stream) parser.write(chunk as string);
    parser.close();
  }
  return records;
}

async function withPg(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function runScenario(scenario: Scenario, sharedDataDir: string): Promise<ImportBenchResult> {
  const files = benchFiles(sharedDataDir, scenario.scale);
  const started = performance.now();
  let records: number;
  if (scenario.system === 'saxes-parse') {
    records = await parseOnly(files);
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-'));
    const database = parseDatabaseUrl(scenario.databaseUrl ?? `sqlite:${path.join(dir, 'bench.db')}`);
    // A private schema keeps the PostgreSQL run from touching anything already in that database.
    const pgSchema = `pb_bench_${process.pid}`;
    if (database.dialect === 'postgres') await withPg(database.url, `CREATE SCHEMA ${pgSchema}`);
    const db = openDatabase(database, database.dialect === 'postgres' ? { pgSchema } : {});
    const app = await createApp(buildConfig({ database, logLevel: 'warn' }), { logger: createLogger('warn'), db });
    try {
      const summary = await app.services.importFiles(files);
      if (summary.failed.length > 0) throw new Error(`import failed: ${JSON.stringify(summary.failed)}`);
      records = summary.records;
    } finally {
      await app.close();
      if (database.dialect === 'postgres') await withPg(database.url, `DROP SCHEMA ${pgSchema} CASCADE`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    system: scenario.system + (scenario.databaseUrl ? ' (postgres)' : scenario.system === 'paperboy-import' ? ' (sqlite)' : ''),
    scale: scenario.scale,
    records,
    seconds,
    recordsPerSecond: records / seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

function runInChild(scenario: Scenario, sharedDataDir: string): Promise<ImportBenchResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--bench-child', JSON.stringify(scenario), sharedDataDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve(m as ImportBenchResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`benchmark child for ${scenario.system} ${scenario.scale} exited with ${code}`));
    });
  });
}

export async function runImportBench(options: { sharedDataDir: string; scales: ('1x' | '3x')[]; postgresUrl?: string; out: NodeJS.WritableStream }): Promise<ImportBenchResult[]> {
  const results: ImportBenchResult[] = [];
  const { out } = options;
  out.write(`import benchmark on ${os.cpus().length} cores, Node ${process.version}\n`);
  for (const scale of options.scales) {
    const scenarios: Scenario[] = [{ system: 'saxes-parse', scale }, { system: 'paperboy-import', scale }];
    if (options.postgresUrl) scenarios.push({ system: 'paperboy-import', scale, databaseUrl: options.postgresUrl });
    for (const s of scenarios) results.push(await runInChild(s, options.sharedDataDir));
  }
  out.write(`${'system'.padEnd(28)}${'scale'.padEnd(7)}${'records'.padStart(9)}${'seconds'.padStart(10)}${'records/s'.padStart(12)}${'peak RSS MB'.padStart(13)}${'vs parse'.padStart(10)}\n`);
  for (const r of results) {
    const base = results.find((b) => b.scale === r.scale && b.system === 'saxes-parse');
    const ratio = base ? `${(base.recordsPerSecond / r.recordsPerSecond).toFixed(2)}x` : '';
    out.write(
      `${r.system.padEnd(28)}${r.scale.padEnd(7)}${String(r.records).padStart(9)}${r.seconds.toFixed(2).padStart(10)}${Math.round(r.recordsPerSecond).toString().padStart(12)}${r.maxRssMb.toFixed(0).padStart(13)}${ratio.padStart(10)}\n`,
    );
  }
  out.write('"vs parse" = how many times slower than only parsing the XML; peak RSS is per child process.\n');
  return results;
}

if (process.argv[2] === '--bench-child') {
  const scenario = JSON.parse(process.argv[3] ?? '{}') as Scenario;
  const result = await runScenario(scenario, process.argv[4] ?? '../shared/data');
  process.send?.(result);
}
