/** `paperboy ingest arxiv`: a polite, resumable OAI-PMH harvest from arXiv. */
import { InvalidArgumentError, type Command } from 'commander';
import { ExitCode } from '../domain/exit-code.js';
import type { CliContext } from './cli-context.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(flag: string) {
  return (value: string): string => {
    const parsed = new Date(`${value}T00:00:00Z`);
    // Round-tripping rejects dates that Date would silently roll over (2025-02-30).
    if (!DATE.test(value) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
      throw new InvalidArgumentError(`${flag} must be a date like 2024-01-31, got "${value}"`);
    }
    return value;
  };
}

export function registerIngestCommand(program: Command, ctx: CliContext): void {
  const ingest = program.command('ingest').description('Fetch papers from remote sources.');
  ingest
    .command('arxiv')
    .description('Harvest arXiv over OAI-PMH (polite: delays with jitter, honours Retry-After, resumes after a crash or Ctrl-C).')
    .option('--set <set>', 'OAI set, e.g. "cs" (old interface) or "cs:cs:AI" (current interface)')
    .option('--from <date>', 'harvest records changed on or after this date (default: where the last harvest of this set ended)', parseDate('--from'))
    .option('--until <date>', 'harvest records changed up to this date', parseDate('--until'))
    .action(async (opts: { set?: string; from?: string; until?: string }) => {
      const app = await ctx.openApp();
      const controller = new AbortController();
      const onSigint = () => {
        ctx.stderr.write('\nstopping after the current page; run the same command again to resume\n');
        controller.abort();
      };
      process.once('SIGINT', onSigint);
      try {
        const summary = await app.services.harvestArxiv({
          ...opts,
          signal: controller.signal,
          onPage: (p) => ctx.stderr.write(`\rpages: ${p.pages}  records: ${p.records}${p.token ? '' : '  (last page)'}   `),
        });
        ctx.stderr.write('\n');
        ctx.stdout.write(
          `${summary.resumed ? 'resumed; ' : ''}pages: ${summary.pages}  records: ${summary.records}  inserted: ${summary.inserted}  ` +
            `updated: ${summary.updated}  skipped: ${summary.skipped}  deleted: ${summary.deleted}\n`,
        );
      } catch (error) {
        if (controller.signal.aborted) {
          ctx.stderr.write('harvest interrupted; progress is saved\n');
          process.exitCode = ExitCode.interrupted;
          return;
        }
        throw error;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
