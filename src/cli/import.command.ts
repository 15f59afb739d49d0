/** `paperboy import FILE...`: streams arXiv files into the database and prints a summary. */
import path from 'node:path';
import type { Command } from 'commander';
import { ExitCode } from '../domain/exit-code.js';
import type { CliContext } from './cli-context.js';
import { createProgress } from './progress.js';

export function registerImportCommand(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('Import arXiv metadata files: OAI-PMH pages, API Atom, RSS, snapshot JSON lines (.gz too). One transaction per file.')
    .argument('<files...>', 'files to import')
    .option('--json', 'print the summary as JSON')
    .action(async (files: string[], opts: { json?: boolean }) => {
      const app = await ctx.openApp();
      const progress = createProgress(ctx.stderr, 'import');
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      const started = performance.now();
      const summary = await app.services
        .importFiles(files.map((f) => path.resolve(f)), {
          signal: controller.signal,
          onProgress: (p) => progress.update(p.bytesDone, p.bytesTotal, { records: p.records, file: path.basename(p.file) }),
        })
        .finally(() => {
          progress.stop();
          process.off('SIGINT', onSigint);
        });
      const seconds = (performance.now() - started) / 1000;
      if (opts.json) {
        ctx.stdout.write(`${JSON.stringify({ ...summary, seconds })}\n`);
      } else {
        ctx.stdout.write(
          `files: ${summary.files}/${files.length}  records: ${summary.records}  inserted: ${summary.inserted}  updated: ${summary.updated}  ` +
            `skipped: ${summary.skipped}  deleted: ${summary.deleted}  failed: ${summary.failed.length}  (${seconds.toFixed(1)} s)\n`,
        );
      }
      for (const f of summary.failed) ctx.stderr.write(`error: ${f.file}: ${f.message}\n`);
      if (controller.signal.aborted) process.exitCode = ExitCode.interrupted;
      else if (summary.failed.length > 0) process.exitCode = ExitCode.dataError;
    });
}
