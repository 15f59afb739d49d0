/** Builds the `paperboy` command tree; each command lives in its own file. */
import { Command } from 'commander';
import type { CliContext } from './cli-context.js';
import { registerBackupCommands } from './backup.command.js';
import { registerBenchCommand } from './bench.command.js';
import { registerBenchSearchCommand } from './bench-search.command.js';
import { registerBenchWebCommand } from './bench-web.command.js';
import { registerEvalCommand } from './eval.command.js';
import { registerEvalForYouCommand } from './eval-for-you.command.js';
import { registerDigestCommand } from './digest.command.js';
import { registerImportCommand } from './import.command.js';
import { registerSearchCommands } from './search.command.js';
import { registerIngestCommand } from './ingest.command.js';
import { registerJobsCommand } from './jobs.command.js';
import { registerMigrateCommand } from './migrate.command.js';
import { registerServeCommand } from './serve.command.js';
import { registerUserCommand } from './user.command.js';
import { registerMailCommand } from './mail.command.js';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('paperboy')
    .description('Paperboy: a self-hostable research-paper radar (daily papers for your own field).')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .exitOverride();
  registerServeCommand(program, ctx);
  registerMigrateCommand(program, ctx);
  registerImportCommand(program, ctx);
  registerIngestCommand(program, ctx);
  registerSearchCommands(program, ctx);
  registerBenchCommand(program, ctx);
  registerBenchSearchCommand(program, ctx);
  registerBenchWebCommand(program, ctx);
  registerEvalCommand(program, ctx);
  registerEvalForYouCommand(program, ctx);
  registerDigestCommand(program, ctx);
  registerUserCommand(program, ctx);
  registerMailCommand(program, ctx);
  registerJobsCommand(program, ctx);
  registerBackupCommands(program, ctx);
  return program;
}
