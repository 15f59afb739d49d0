/**
 * Typed application errors. Every error that crosses a layer boundary carries a stable code from
 * the error catalogue, which says what the web answers and how the CLI exits.
 */
import type { ErrorCode, NotFoundCode } from './error-catalogue.js';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }
}

/** Input that a user or a file supplied is not acceptable. */
export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_input', message, { details });
  }
}

/** A thing that was asked for does not exist. */
export class NotFoundError extends AppError {
  constructor(code: NotFoundCode, message: string, details?: Record<string, unknown>) {
    super(code, message, { details });
  }
}

/** A file or response could not be parsed; `details` names the source and position. */
export class ParseError extends AppError {
  constructor(message: string, details: { source?: string; line?: number; column?: number; record?: number } & Record<string, unknown>, cause?: unknown) {
    super('parse_error', message, { details, cause });
  }
}

/** A remote source (arXiv) could not be reached or answered with an error. */
export class UpstreamError extends AppError {
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(code, message, { details, cause });
  }
}

/** Settings are missing or invalid. */
export class ConfigError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_config', message, { details });
  }
}
