/**
 * Composition root: the only module that reads the environment. It builds config, then the
 * application graph on demand, and runs the CLI (which includes `serve`).
 */
import { CommanderError } from 'commander';
import { createApp, type App } from './app.js';
import type { CliContext } from './cli/cli-context.js';
import { exitCodeFor } from './cli/exit-status.js';
import { buildProgram } from './cli/program.js';
import { loadConfig } from './config/config.js';
import { AppError } from './domain/errors.js';
import { ExitCode } from './domain/exit-code.js';

export async function main(argv: string[]): Promise<number> {
  let app: App | undefined;
  const ctx: CliContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    sharedDataDir: () => loadConfig(process.env).sharedDataDir,
    config: () => loadConfig(process.env),
    openApp: async (overrides = {}) => {
      app ??= await createApp(loadConfig(process.env, overrides));
      return app;
    },
  };
  try {
    await buildProgram(ctx).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    // Commander has already printed its own message; an AppError's message is for people.
    if (!(error instanceof CommanderError)) process.stderr.write(`error: ${error instanceof AppError ? error.message : ((error as Error)?.stack ?? String(error))}\n`);
    return exitCodeFor(error);
  } finally {
    await app?.close();
  }
}
