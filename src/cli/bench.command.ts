/** `paperboy bench import`: prints import throughput and memory next to a plain XML-parse baseline. */
import type { Command } from 'commander';
import type { CliContext } from './cli-context.js';

export function registerBenchCommand(program: Command, ctx: CliContext): Command {
  const bench = program.command('bench').description('Benchmarks that print figures next to a peer measured in the same run.');
  bench
    .command('import')
    .description('Import the real arXiv pages (1x = 30,538 records, 3x = 91,538) into a fresh SQLite database vs. a plain streaming XML parse.')
    .option('--scale <scales>', 'comma-separated: 1x,3x', '1x,3x')
    .option('--postgres <url>', 'also import into this PostgreSQL database (a private schema is created and dropped)')
    .action(async (opts: { scale: string; postgres?: string }) => {
      const scales = opts.scale.split(',').filter((s): s is '1x' | '3x' => s === '1x' || s === '3x');
      const { runImportBench } = await import('../../bench/import.bench.js');
      await runImportBench({ sharedDataDir: ctx.sharedDataDir(), scales, ...(opts.postgres ? { postgresUrl: opts.postgres } : {}), out: ctx.stdout });
    });
  return bench;
}
