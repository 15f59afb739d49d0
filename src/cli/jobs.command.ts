/**
 * `paperboy jobs`: the recent runs of the background jobs, across every instance on the database
 * (who ran what, for which slot, how it ended), as a table or as JSON lines for scripts.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { JobRun } from '../domain/job-run.js';
import type { CliContext } from './cli-context.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError(`expected a whole number from 1 to 10000, got "${value}"`);
  return n;
}

function duration(run: JobRun): string {
  if (!run.finishedAt) return '-';
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  if (ms < 1_000) return `${ms}ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.round(ms / 60_000)}min`;
}

/** Left-aligned columns; the last one (the error) is not padded. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export function registerJobsCommand(program: Command, ctx: CliContext): void {
  program
    .command('jobs')
    .description('List recent background job runs (harvest, digests, search index) of every instance, newest first.')
    .option('--limit <n>', 'how many runs', positiveInt, 20)
    .option('--job <name>', 'only this job (e.g. harvest_arxiv, send_digests)')
    .option('--json', 'print JSON (an array of runs)')
    .action(async (opts: { limit: number; job?: string; json?: boolean }) => {
      const app = await ctx.openApp();
      const runs = await app.services.jobLeases.recentRuns({ limit: opts.limit, ...(opts.job ? { job: opts.job } : {}) });
      if (opts.json) {
        ctx.stdout.write(`${JSON.stringify(runs)}\n`);
        return;
      }
      if (runs.length === 0) {
        ctx.stdout.write('No job runs yet (they are recorded by "paperboy serve").\n');
        return;
      }
      const rows = runs.map((r) => [r.startedAt, r.job, r.outcome, duration(r), r.slot ?? '-', r.holder, r.error ?? '']);
      ctx.stdout.write(table(['STARTED', 'JOB', 'OUTCOME', 'TOOK', 'SLOT', 'HOLDER', 'ERROR'], rows));
    });
}
