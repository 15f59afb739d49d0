/**
 * How a failed command ends: a usage mistake is 64, an AppError exits with its kind's code from
 * the error catalogue, and anything else is a software error.
 */
import { CommanderError } from 'commander';
import { exitCodeOf } from '../domain/error-catalogue.js';
import { AppError } from '../domain/errors.js';
import { ExitCode, type ExitCodeValue } from '../domain/exit-code.js';

export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof CommanderError) {
    // Commander ends `--help` and `--version` by throwing too; those runs succeeded.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return ExitCode.ok;
    return ExitCode.usage;
  }
  if (error instanceof AppError) return exitCodeOf(error.code);
  return ExitCode.software;
}
