/**
 * Every kind of error Paperboy reports, declared once: its stable code (the key), the HTTP status
 * the web answers with and the exit code the CLI ends with. `AppError` only accepts these codes,
 * so a new kind is added here or it does not compile, and the web handler and the CLI cannot
 * disagree about what a code means.
 */
import { ExitCode, type ExitCodeValue } from './exit-code.js';

export interface ErrorKind {
  readonly status: number;
  readonly exitCode: ExitCodeValue;
  /**
   * Shown on browser pages instead of the error's own message, for kinds whose messages are
   * written for operators: they name upstream URLs, hosts, files or errno codes that a visitor
   * cannot act on and should not see. API clients and logs still get the full message.
   */
  readonly browserMessage?: string;
  /**
   * Not logged per request: an expected answer under load, which a metric counts (a log line
   * with a stack for each of thousands of 503s a minute would itself slow the server).
   */
  readonly countedNotLogged?: true;
}

const UPSTREAM_PAGE = 'Paperboy could not reach arXiv or another service it depends on just now. Please try again in a few minutes.';
const SERVER_PAGE = 'Something went wrong on our side.';

export const ERROR_CATALOGUE = {
  // What a user, a request or a file supplied.
  invalid_input: { status: 400, exitCode: ExitCode.dataError },
  parse_error: { status: 400, exitCode: ExitCode.dataError, browserMessage: 'Paperboy could not read a response or file it needed. Please try again later.' },
  invalid_url: { status: 400, exitCode: ExitCode.software },
  payload_too_large: { status: 413, exitCode: ExitCode.software },

  // Things that do not exist.
  not_found: { status: 404, exitCode: ExitCode.software },
  paper_not_found: { status: 404, exitCode: ExitCode.software },
  comment_not_found: { status: 404, exitCode: ExitCode.software },
  member_not_found: { status: 404, exitCode: ExitCode.software },
  subscription_not_found: { status: 404, exitCode: ExitCode.software },

  // Who may do what.
  unauthorized: { status: 401, exitCode: ExitCode.software },
  forbidden: { status: 403, exitCode: ExitCode.software },
  /** A Bearer token that is unknown, revoked, or its member suspended. */
  invalid_token: { status: 401, exitCode: ExitCode.software },
  /** A read-only token used for a write. */
  insufficient_scope: { status: 403, exitCode: ExitCode.software },
  csrf_failed: { status: 403, exitCode: ExitCode.software },
  member_suspended: { status: 403, exitCode: ExitCode.software },
  rate_limited: { status: 429, exitCode: ExitCode.software },

  // The state does not allow it.
  conflict: { status: 409, exitCode: ExitCode.software },
  already_on_feed: { status: 409, exitCode: ExitCode.software },
  handle_taken: { status: 409, exitCode: ExitCode.software },

  // Links sent by mail: sign-in links, then digest confirmation and preference links.
  sign_in_link_used: { status: 410, exitCode: ExitCode.software },
  sign_in_link_expired: { status: 410, exitCode: ExitCode.software },
  sign_in_link_invalid: { status: 400, exitCode: ExitCode.software },
  link_expired: { status: 400, exitCode: ExitCode.software },
  invalid_link: { status: 400, exitCode: ExitCode.software },

  // arXiv and other remote services. Only an unreachable service is a 502; the others keep the
  // 400 they have always answered with, which API clients may already branch on.
  upstream_unavailable: { status: 502, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  upstream_bad_status: { status: 400, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  upstream_too_many_redirects: { status: 400, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  upstream_body_too_large: { status: 400, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  host_not_allowed: { status: 400, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  arxiv_api_error: { status: 400, exitCode: ExitCode.software, browserMessage: UPSTREAM_PAGE },

  // OAI-PMH: the protocol's own error codes (noRecordsMatch is an empty answer, not an error),
  // one for any code the protocol does not define, and a server that repeats a resumption token.
  oai_badArgument: { status: 400, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  oai_badResumptionToken: { status: 400, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  oai_badVerb: { status: 400, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  oai_cannotDisseminateFormat: { status: 400, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  oai_idDoesNotExist: { status: 400, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  oai_noMetadataFormats: { status: 400, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  oai_noSetHierarchy: { status: 400, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  oai_unknown: { status: 400, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  oai_token_repeated: { status: 400, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },

  // Embedding providers: an OpenAI-compatible endpoint, then a local ONNX model directory.
  embeddings_rejected: { status: 400, exitCode: ExitCode.software, browserMessage: UPSTREAM_PAGE },
  embeddings_unavailable: { status: 400, exitCode: ExitCode.software, browserMessage: UPSTREAM_PAGE },
  embeddings_malformed_response: { status: 400, exitCode: ExitCode.software, browserMessage: UPSTREAM_PAGE },
  embeddings_dimension_mismatch: { status: 400, exitCode: ExitCode.software, browserMessage: SERVER_PAGE },
  embedding_model_not_found: { status: 404, exitCode: ExitCode.software, browserMessage: SERVER_PAGE },
  embedding_model_incompatible: { status: 400, exitCode: ExitCode.software, browserMessage: SERVER_PAGE },
  embedding_inference_failed: { status: 400, exitCode: ExitCode.software, browserMessage: SERVER_PAGE },

  // Operating Paperboy.
  /** The server is at capacity (its queue for expensive work is full, or a request waited too long in it); Retry-After says when to come back. */
  overloaded: { status: 503, exitCode: ExitCode.unavailable, browserMessage: 'Paperboy is very busy right now. Please try again in a moment.', countedNotLogged: true },
  /** What was asked cannot be done with this set-up (e.g. `paperboy backup` on PostgreSQL, which pg_dump does). */
  not_supported: { status: 400, exitCode: ExitCode.usage },
  /** A request did not finish within the server's time limit. */
  request_timeout: { status: 503, exitCode: ExitCode.unavailable, browserMessage: 'That took too long. Please try again in a moment.' },
  invalid_config: { status: 400, exitCode: ExitCode.config, browserMessage: SERVER_PAGE },
  migration_failed: { status: 400, exitCode: ExitCode.software, browserMessage: SERVER_PAGE },
  interrupted: { status: 400, exitCode: ExitCode.interrupted },
  /** A scheduled harvest in which some sets could not be fetched; the next slot tries again. */
  harvest_failed: { status: 502, exitCode: ExitCode.unavailable, browserMessage: UPSTREAM_PAGE },
  /** A job's lease went to another instance while it ran (this one stalled past the lease). */
  lease_lost: { status: 500, exitCode: ExitCode.software, browserMessage: SERVER_PAGE },
  /** A file of an import that could not be read at all; reported in the run's summary. */
  file_unreadable: { status: 400, exitCode: ExitCode.software },
  /** Anything that is not an AppError: a bug or an unexpected failure. */
  internal_error: { status: 500, exitCode: ExitCode.software, browserMessage: SERVER_PAGE },
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Codes of things that do not exist, the only ones `NotFoundError` takes. */
export type NotFoundCode = Extract<ErrorCode, `${string}_not_found`>;

/** OAI-PMH error codes as Paperboy reports them (`oai_` and the protocol's code). */
export type OaiErrorCode = Extract<ErrorCode, `oai_${string}`>;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/** The statuses the catalogue uses, as literals, so HTTP code can use them without a cast. */
export type ErrorStatus = (typeof ERROR_CATALOGUE)[ErrorCode]['status'];

export function errorKind(code: ErrorCode): ErrorKind {
  return ERROR_CATALOGUE[code];
}

export function httpStatusOf(code: ErrorCode): ErrorStatus {
  return ERROR_CATALOGUE[code].status;
}

export function exitCodeOf(code: ErrorCode): ExitCodeValue {
  return ERROR_CATALOGUE[code].exitCode;
}
