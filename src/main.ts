/**
 * Composition root: the only module that reads the environment. It builds config, then the
 * application graph on demand, and runs the CLI (which includes `serve`).
 */
import { CommanderError } from 'commander';
import { createApp, type App } from './app.js';
import { ExitCode, type CliContext } from './cli/cli-context.js';
import { buildProgram } from './cli/program.js';
import { loadConfig } from './config/config.js';
import { AppError, ConfigError } from './domain/errors.js';

function exitCodeFor(error: AppError): number {
  if (error instanceof ConfigError) return ExitCode.config;
  if (error.code === 'parse_error' || error.code === 'invalid_input') return ExitCode.dataError;
  if (error.code.startsWith('upstream') || error.code.startsWith('oai_') || error.code === 'host_not_allowed') return ExitCode.unavailable;
  if (error.code === 'interrupted') return ExitCode.interrupted;
  return ExitCode.software;
}

export async function main(argv: string[]): Promise<number> {
  let app: App | undefined;
  const ctx: CliContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    sharedDataDir: () => loadConfig(process.env).sharedDataDir,
    openApp: async (overrides = {}) => {
      app ??= await createApp(loadConfig(process.env, overrides));
      return app;
    },
  };
  try {
    await buildProgram(ctx).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return ExitCode.ok;
      return ExitCode.usage;
    }
    if (error instanceof AppError) {
      process.stderr.write(`error: ${error.message}\n`);
      return exitCodeFor(error);
    }
    process.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
    return ExitCode.software;
  } finally {
    await app?.close();
  }
}
