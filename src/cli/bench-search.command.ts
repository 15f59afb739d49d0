/**
 * `paperboy bench search [--docs N]`: builds the search index over the real arXiv records and a
 * synthetic corpus of N papers and prints build time, memory and query latency next to SQLite
 * FTS5 and MiniSearch measured in the same run.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { SEARCH_BENCH_SYSTEMS, type SearchBenchSystem } from '../../bench/search-bench-systems.js';
import type { CliContext } from './cli-context.js';

function parseDocs(value: string): number {
  const n = Number(value.replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000'));
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--docs must be a whole number like 100000, 100k or 1m, got "${value}"`);
  return n;
}

function parseThreads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new InvalidArgumentError('expected a whole number of threads from 0 to 64');
  return n;
}

function parseSystems(value: string): SearchBenchSystem[] {
  return value.split(',').map((s) => {
    const name = s.trim() as SearchBenchSystem;
    if (!SEARCH_BENCH_SYSTEMS.includes(name)) throw new InvalidArgumentError(`unknown system "${s}"; known: ${SEARCH_BENCH_SYSTEMS.join(', ')}`);
    return name;
  });
}

/** Adds `search` under the existing `bench` command (or creates `bench` when it is not there yet). */
export function registerBenchSearchCommand(program: Command, ctx: CliContext): Command {
  const bench = program.commands.find((c) => c.name() === 'bench') ?? program.command('bench').description('Benchmarks that print figures next to a peer measured in the same run.');
  return bench
    .command('search')
    .description('Search build time, memory and query latency (p50/p99) of the lexical, dense and hybrid indexes on real and synthetic arXiv papers, next to SQLite FTS5 and MiniSearch.')
    .option('--docs <n>', 'synthetic corpus size (e.g. 100000, 1m); 0 = real records only', parseDocs, 100_000)
    .option('--systems <names>', `systems to run: ${SEARCH_BENCH_SYSTEMS.join(', ')}`, parseSystems)
    .option('--no-real', 'skip the real 30,538-record corpus')
    // Defaults are the server's (DEFAULT_DENSE_SEARCH_CONFIG: 128 dimensions fitted on 50,000 papers), so the figures are the product's.
    .option('--dims <n>', 'LSA dimensions of the dense vectors', parseDocs, 128)
    .option('--fit-sample <n>', 'papers the LSA model is fitted on (the rest are folded in)', parseDocs, 50_000)
    .option('--lexical-threads <n>', 'tokenizer threads of the lexical build (default: all cores; 0 = one paper at a time on the main thread)', parseThreads)
    .option('--no-ann-peer', 'skip the usearch HNSW peer built next to our IVF (it takes minutes at 1M papers)')
    .action(async (opts: { docs: number; systems?: SearchBenchSystem[]; real: boolean; dims: number; fitSample: number; annPeer: boolean; lexicalThreads?: number }) => {
      const { runSearchBench } = await import('../../bench/search.bench.js');
      await runSearchBench({
        sharedDataDir: ctx.sharedDataDir(),
        docs: opts.docs,
        real: opts.real,
        dimensions: opts.dims,
        fitSample: opts.fitSample,
        annPeer: opts.annPeer,
        ...(opts.systems ? { systems: opts.systems } : {}),
        ...(opts.lexicalThreads !== undefined ? { lexicalThreads: opts.lexicalThreads } : {}),
        out: ctx.stdout,
        log: (line) => ctx.stderr.write(`${line}\n`),
      });
    });
}
