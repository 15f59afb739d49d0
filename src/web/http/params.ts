/**
 * Query-string parsing at the edge: zod schemas for every reader route and one helper that
 * turns the first problem into a ValidationError naming the field (a 400 with a stable code,
 * never a 500). Limits here are the public contract (the OpenAPI document repeats them).
 */
import { z } from 'zod';
import { ValidationError } from '../../domain/errors.js';
import { MAX_QUERY_CHARS } from '../../services/reader/search-papers.service.js';

const intIn = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^-?\d{1,7}$/, 'must be an integer')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .optional()
    .transform((v) => v ?? fallback);

const category = z
  .string()
  .max(20, 'is too long')
  .regex(/^([a-z-]+(\.[A-Za-z-]+)?)?$/, 'is not an arXiv category (e.g. cs.LG)')
  .optional()
  .transform((v) => v || undefined);

const flag = z
  .enum(['1', 'on', 'true', '0', 'off', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'on' || v === 'true');

/** On unless turned off: absent or empty means true. */
const flagOn = z
  .enum(['1', 'on', 'true', '0', 'off', 'false', ''])
  .optional()
  .transform((v) => v !== '0' && v !== 'off' && v !== 'false');

const date = z
  .string()
  .optional()
  .transform((v) => v || undefined);

export const feedPageParams = z.object({
  sort: z.enum(['trending', 'newest']).optional().transform((v) => v ?? 'trending'),
  page: intIn(0, 10_000, 0),
  category,
  /** Only papers with a code link. */
  code: flag,
});

export const searchPageParams = z.object({
  q: z.string().max(MAX_QUERY_CHARS, `must be at most ${MAX_QUERY_CHARS} characters`).optional().transform((v) => (v ?? '').trim()),
  from: date,
  to: date,
  category,
  has_code: flag,
  /** The search page numbers pages from 1 (0, from older links, is the first page too); see searchPageIndex. */
  page: intIn(0, 10_000, 1),
  /** Search by meaning too (related words, papers that use other words); `expand=0` keeps to the query's words. */
  expand: flagOn,
});

export const dailyPapersParams = z.object({
  p: intIn(0, 10_000, 0),
  limit: intIn(1, 100, 50),
  date: z.string().optional(),
  week: z.string().optional(),
  month: z.string().optional(),
  submitter: z.string().max(40, 'is too long').optional(),
  sort: z.enum(['publishedAt', 'trending']).optional().transform((v) => v ?? 'publishedAt'),
});

export const paperListParams = z.object({
  cursor: z.string().max(400, 'is not a cursor this server handed out').optional().transform((v) => v || undefined),
  limit: intIn(1, 100, 50),
});

export const commentListParams = z.object({
  p: intIn(0, 10_000, 0),
  /** Top-level threads per page; each comes with all its replies. */
  limit: intIn(1, 100, 50),
});

export const searchApiParams = z.object({
  q: z.string().max(MAX_QUERY_CHARS, `must be at most ${MAX_QUERY_CHARS} characters`).optional().transform((v) => (v ?? '').trim()),
  limit: intIn(1, 120, 50),
});

/** The API keeps 0-based pages (`page=0` is the first), like `p` of the Hugging Face API. */
export const v1SearchParams = searchPageParams.extend({ limit: intIn(1, 120, 20), page: intIn(0, 10_000, 0) });

/** The 0-based page index of the search page's 1-based `page`. */
export function searchPageIndex(page: number): number {
  return Math.max(1, page) - 1;
}

export const suggestParams = z.object({
  q: z.string().max(MAX_QUERY_CHARS, `must be at most ${MAX_QUERY_CHARS} characters`).optional().transform((v) => (v ?? '').trim()),
});

/** Parses a query object; the first problem becomes a ValidationError naming its field. */
export function parseParams<S extends z.ZodType>(schema: S, input: Record<string, string>): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = String(issue?.path[0] ?? 'query');
  const value = input[field];
  const shown = value === undefined ? '' : ` (got "${value.length > 40 ? `${value.slice(0, 40)}…` : value}")`;
  throw new ValidationError(`"${field}" ${issue?.code === 'invalid_value' ? 'has an unsupported value' : (issue?.message ?? 'is invalid')}${shown}.`, { field });
}
