import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorCode } from '../domain/error-catalogue.js';
import { AppError, ConfigError, ParseError } from '../domain/errors.js';
import { ExitCode } from '../domain/exit-code.js';
import { HostNotAllowedError } from '../ingest/polite-fetch.js';
import { exitCodeFor } from './exit-status.js';
import { runCli } from './testing/run-cli.js';

describe('exit codes', () => {
  it('ends an AppError with its kind exit code from the catalogue', () => {
    for (const code of Object.keys(ERROR_CATALOGUE) as ErrorCode[]) expect(exitCodeFor(new AppError(code, 'x')), code).toBe(ERROR_CATALOGUE[code].exitCode);
    expect(exitCodeFor(new ConfigError('x'))).toBe(ExitCode.config);
    expect(exitCodeFor(new ParseError('x', {}))).toBe(ExitCode.dataError);
    expect(exitCodeFor(new HostNotAllowedError('http://example.com/', 'example.com'))).toBe(ExitCode.unavailable);
  });

  it('tells usage mistakes, help and unknown failures apart', () => {
    expect(exitCodeFor(new CommanderError(1, 'commander.unknownOption', 'x'))).toBe(ExitCode.usage);
    expect(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', 'x'))).toBe(ExitCode.ok);
    expect(exitCodeFor(new Error('bug'))).toBe(ExitCode.software);
    expect(exitCodeFor('thrown string')).toBe(ExitCode.software);
  });

  it('makes the real CLI exit with the catalogue code of a bad configuration', async () => {
    const result = await runCli(['migrate'], { DATABASE_URL: 'mysql://db/papers' });
    expect(result.code).toBe(ERROR_CATALOGUE.invalid_config.exitCode);
    expect(result.stderr).toContain('DATABASE_URL: must start with "sqlite:" or "postgres://"');
  });
});
