import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, exitCodeOf, httpStatusOf, isErrorCode, type ErrorCode } from './error-catalogue.js';
import { ExitCode } from './exit-code.js';

const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];
const failureExitCodes = Object.values(ExitCode).filter((c) => c !== ExitCode.ok && c !== ExitCode.partial);

describe('error catalogue', () => {
  it('gives every code an HTTP error status and a failing exit code', () => {
    for (const code of codes) {
      expect(Number.isInteger(httpStatusOf(code)), code).toBe(true);
      expect(httpStatusOf(code) >= 400 && httpStatusOf(code) <= 599, code).toBe(true);
      expect(failureExitCodes, code).toContain(exitCodeOf(code));
    }
  });

  it('has unique, stable codes: snake_case, or oai_ and the protocol code', () => {
    expect(new Set(codes.map((c) => c.toLowerCase())).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$|^oai_[a-z][A-Za-z]*$/);
  });

  it('keeps the statuses and exit codes scripts and clients rely on', () => {
    expect([httpStatusOf('invalid_input'), exitCodeOf('invalid_input')]).toEqual([400, ExitCode.dataError]);
    expect([httpStatusOf('paper_not_found'), exitCodeOf('paper_not_found')]).toEqual([404, ExitCode.software]);
    expect([httpStatusOf('upstream_unavailable'), exitCodeOf('upstream_unavailable')]).toEqual([502, ExitCode.unavailable]);
    expect([httpStatusOf('invalid_config'), exitCodeOf('invalid_config')]).toEqual([400, ExitCode.config]);
    expect(exitCodeOf('interrupted')).toBe(ExitCode.interrupted);
    expect(exitCodeOf('oai_badResumptionToken')).toBe(ExitCode.unavailable);
  });

  it('says a browser message wherever the status is a server failure', () => {
    for (const code of codes) if (httpStatusOf(code) >= 500) expect(ERROR_CATALOGUE[code], code).toHaveProperty('browserMessage');
  });

  it('tells codes from other strings', () => {
    expect(isErrorCode('paper_not_found')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('paper_not_fund')).toBe(false);
  });
});
