/** `paperboy bench web`: autocannon against the feed page, a paper page and the APIs, next to /healthz. */
import type { Command } from 'commander';
import type { CliContext } from './cli-context.js';

export function registerBenchWebCommand(program: Command, ctx: CliContext): Command {
  const bench = program.commands.find((c) => c.name() === 'bench') ?? program.command('bench').description('Benchmarks that print figures next to a peer measured in the same run.');
  return bench
    .command('web')
    .description('Serve the 30,538 recorded papers from a fresh SQLite database and load the feed page, a paper page and the APIs with autocannon, /healthz as the baseline.')
    .option('--seconds <n>', 'seconds per target', '10')
    .option('--connections <n>', 'concurrent connections', '20')
    .action(async (opts: { seconds: string; connections: string }) => {
      // Loaded only when asked: the benchmark needs autocannon, a dev dependency.
      const { runWebBench } = await import('../../bench/web.bench.js');
      await runWebBench({ seconds: Number(opts.seconds), connections: Number(opts.connections), sharedDataDir: ctx.sharedDataDir(), out: ctx.stdout });
    });
}
