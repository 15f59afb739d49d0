/** `paperboy bench web`: autocannon against `paperboy serve` (SQLite, and two instances on PostgreSQL), /healthz as the baseline. */
import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from './cli-context.js';

const SETUPS = ['sqlite', 'postgres'] as const;

export function registerBenchWebCommand(program: Command, ctx: CliContext): Command {
  const bench = program.commands.find((c) => c.name() === 'bench') ?? program.command('bench').description('Benchmarks that print figures next to a peer measured in the same run.');
  return bench
    .command('web')
    .description('Import the 30,538 recorded papers, start `paperboy serve` (one instance on SQLite; two on PostgreSQL, round-robin) and load every page and API target with autocannon at 50 and 200 connections, /healthz as the baseline.')
    .option('--seconds <n>', 'seconds per target', '10')
    .option('--connections <list>', 'connection counts, comma-separated', '50,200')
    .option('--setups <list>', `which set-ups: ${SETUPS.join(', ')}`, SETUPS.join(','))
    .option('--soak <seconds>', 'also soak each set-up: 200 members, every target mixed with votes and comments, then check no acknowledged write was lost (0: no soak)', '0')
    .option('--soak-only', 'the soak without the per-target figures')
    .option('--postgres-url <url>', 'PostgreSQL server for the postgres set-up (a fresh schema is made and dropped)', 'postgres://postgres@127.0.0.1:5432/test')
    .action(async (opts: { seconds: string; connections: string; setups: string; postgresUrl: string; soak: string; soakOnly?: boolean }) => {
      const setups = opts.setups.split(',').map((s) => s.trim());
      for (const s of setups) if (!(SETUPS as readonly string[]).includes(s)) throw new InvalidArgumentError(`--setups takes ${SETUPS.join(', ')}, got "${s}"`);
      const connections = opts.connections.split(',').map(Number);
      if (connections.some((n) => !Number.isInteger(n) || n < 1)) throw new InvalidArgumentError(`--connections takes positive integers, got "${opts.connections}"`);
      const soakSeconds = Number(opts.soak);
      if (!Number.isInteger(soakSeconds) || soakSeconds < 0) throw new InvalidArgumentError(`--soak takes whole seconds, got "${opts.soak}"`);
      if (opts.soakOnly && soakSeconds === 0) throw new InvalidArgumentError('--soak-only needs --soak SECONDS');
      // Loaded only when asked: the benchmark needs autocannon, a dev dependency.
      const { runWebBench } = await import('../../bench/web.bench.js');
      await runWebBench({ seconds: Number(opts.seconds), connections, setups: setups as (typeof SETUPS)[number][], postgresUrl: opts.postgresUrl, sharedDataDir: ctx.sharedDataDir(), soakSeconds, perTarget: !opts.soakOnly, out: ctx.stdout });
    });
}
