/**
 * Settings: one zod schema reads the environment, states every default once, checks the
 * settings that depend on each other, and reports every problem at the same time, so the
 * process stops before doing anything. Tests build a Config with `buildConfig`, which starts
 * from the same defaults.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { ARXIV_API_URL, ARXIV_OAI_URL, isAllowedHost } from '../domain/arxiv-hosts.js';
import { ConfigError } from '../domain/errors.js';

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string; url: string }
  | { dialect: 'postgres'; url: string };

export interface Config {
  readonly database: DatabaseConfig;
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly harvest: {
    /** arXiv OAI sets to harvest in-process, e.g. `cs` or `cs:cs:AI`; empty disables the scheduler. */
    readonly sets: readonly string[];
    readonly intervalMinutes: number;
    readonly oaiBaseUrl: string;
    readonly metadataPrefix: 'arXiv' | 'arXivRaw';
    /** Retries per request for network errors and 5xx before an attempt gives up. */
    readonly maxRetries: number;
    /** Pause between requests; arXiv asks automated clients for one request every 3 seconds. */
    readonly delayMs: number;
    /** Hosts besides arXiv's that outbound requests may reach (tests use loopback). */
    readonly extraAllowedHosts: readonly string[];
  };
  readonly sharedDataDir: string;
  /** Where the search index snapshot lives; null keeps it in memory only (rebuilt at start). */
  readonly searchIndexDir: string | null;
  /** Learned paper vectors for hybrid search and similar papers. */
  readonly denseSearch: DenseSearchConfig;
  readonly mail: MailConfig;
  readonly members: MembersConfig;
  readonly digest: DigestConfig;
  readonly jobs: JobsConfig;
  /** Where paper and query vectors come from (see EmbeddingsConfig). */
  readonly embeddings: EmbeddingsConfig;
  readonly http: HttpConfig;
}

/** How the web server protects itself and reports on itself. */
export interface HttpConfig {
  /** A read (GET) that has not been answered by then gets a 503 (the connection is not left hanging); writes finish. */
  readonly requestTimeoutMs: number;
  /** Expensive requests (search, "For you") that run at once; more wait in a bounded queue. */
  readonly heavyConcurrency: number;
  /** Expensive requests that may wait; beyond, a 503 with Retry-After at once. */
  readonly heavyQueue: number;
  /** How long an expensive request may wait for its turn before a 503. */
  readonly heavyQueueWaitMs: number;
  /**
   * An answer cached for anonymous readers is reused this long even if something was written
   * since: under a stream of votes, each page is rendered at most once per window instead of
   * after every vote. 0: every write shows on the next request. Members always see fresh pages.
   */
  readonly answerCacheSettleMs: number;
  /** JSON API requests one client address may make per minute (RateLimit-* headers); 0: no limit. */
  readonly apiRequestsPerMinute: number;
  /** Serve Prometheus metrics at /metrics. */
  readonly metrics: boolean;
  /** One structured log line per request (method, path, status, duration). */
  readonly accessLog: boolean;
}

export interface DenseSearchConfig {
  /** `auto` learns vectors from the corpus once it has `minPapers`; `off` keeps search lexical. */
  readonly mode: 'auto' | 'off';
  /**
   * What is learned from the corpus: `contrastive` (LSA refined by contrastive training on the
   * papers' own title/abstract pairs, the default) or `lsa` alone (faster to fit, weaker on rare topics).
   */
  readonly model: 'contrastive' | 'lsa';
  readonly dimensions: number;
  /** Below this many papers a corpus-trained model learns little; search stays lexical. */
  readonly minPapers: number;
  /** Papers the model is fitted on (the rest are folded in), which bounds fitting time and memory. */
  readonly fitSample: number;
}

export interface MailConfig {
  /** SMTP server, e.g. `smtp://user:pass@mail.example.org:587`; null logs sign-in links instead of sending them (development). */
  readonly smtpUrl: string | null;
  /** Sender of every message, e.g. `Paperboy <papers@example.org>`. */
  readonly from: string;
}

export interface MembersConfig {
  /** arXiv API (Atom) endpoint used to fetch metadata of submitted papers; must be an allowed host. */
  readonly arxivApiUrl: string;
  readonly magicLinkTtlMinutes: number;
  /** A used sign-in link keeps working this long (mail scanners and double clicks), then it is spent. */
  readonly magicLinkGraceSeconds: number;
  readonly sessionTtlDays: number;
  /** `Secure` (and `__Host-`) cookies; on by default when PUBLIC_URL is https. */
  readonly secureCookies: boolean;
  /** Take the client address from X-Forwarded-For (only behind a reverse proxy you control). */
  readonly trustProxy: boolean;
  readonly submissionsPerDay: number;
  readonly commentEditMinutes: number;
  readonly limits: {
    readonly signInPerEmailPerHour: number;
    readonly signInPerIpPerHour: number;
    readonly votesPerMinute: number;
    readonly commentsPerHour: number;
  };
}

/** Email digests (SMTP_URL and MAIL_FROM are shared with the rest of the mail, in `mail`). */
/** Scheduled background jobs shared by several instances (harvest, digests). */
export interface JobsConfig {
  /**
   * How long a job's lease lasts without a heartbeat (the holder renews it while it works): how
   * soon another instance takes over the job of one that died.
   */
  readonly leaseSeconds: number;
  /** Runs kept per job in the history `paperboy jobs` lists. */
  readonly keepRuns: number;
}

export interface DigestConfig {
  /** `mailto:` target of the List-Unsubscribe header; defaults to the MAIL_FROM address. */
  readonly unsubscribeMailto: string | null;
  /** Pooled SMTP connections used for digests. */
  readonly maxConnections: number;
  /** Messages per second over all connections; 0 means no limit. */
  readonly ratePerSecond: number;
  /** Cron pattern (croner) of the job that enqueues due digests and sends them. */
  readonly schedule: string;
  /** How often a worker looks for queued mail (confirmations, retries) between scheduled runs. */
  readonly pollSeconds: number;
  /** How long a claimed delivery belongs to one sender before another may recover it. */
  readonly leaseSeconds: number;
  /** Transient failures are retried with backoff up to this many attempts. */
  readonly maxAttempts: number;
  readonly papersPerDigest: number;
  /** Secrets for signed links; the first signs, all verify. Empty: one is generated and kept in the database. */
  readonly tokenSecrets: readonly string[];
  readonly dkim: { readonly domainName: string; readonly keySelector: string; readonly privateKey: string } | null;
  /** Bearer token for the admin page of digest runs; null hides the page. */
  readonly adminToken: string | null;
}

/**
 * Embedding provider: `lsa` learns vectors from the corpus itself (no download, the default);
 * `onnx` runs a local sentence-embedding model directory; `openai` calls an OpenAI-compatible
 * `/v1/embeddings` endpoint.
 */
export interface EmbeddingsConfig {
  readonly provider: 'lsa' | 'onnx' | 'openai';
  /** onnx: folder with config.json, tokenizer.json and model.onnx. */
  readonly modelDir: string | null;
  /** openai: server root, e.g. `https://api.openai.com` or `http://127.0.0.1:8080`. */
  readonly url: string | null;
  /** openai: model name sent with each request. */
  readonly model: string | null;
  /** openai: sent as a bearer token; null sends none. */
  readonly apiKey: string | null;
  /** Expected vector width; null learns it from the model (onnx) or one request (openai). */
  readonly dimensions: number | null;
  /** Put before queries and documents for models trained that way (e5: "query: ", "passage: "). */
  readonly queryPrefix: string;
  readonly documentPrefix: string;
}

const csv = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

/** `sqlite:PATH`, `sqlite::memory:` or a `postgres://` URL; otherwise what is wrong with it. */
function readDatabaseUrl(url: string, cwd: string): DatabaseConfig | { problem: string } {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) return { problem: '"sqlite:" needs a file path, e.g. sqlite:./data/paperboy.db' };
    return { dialect: 'sqlite', file: file === ':memory:' ? file : path.resolve(cwd, file), url };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', url };
  return { problem: `must start with "sqlite:" or "postgres://", got "${url}"` };
}

/** Parses `sqlite:PATH`, `sqlite::memory:` or a `postgres://` URL. */
export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseConfig {
  const database = readDatabaseUrl(url, cwd);
  if ('problem' in database) throw new ConfigError(`DATABASE_URL ${database.problem}`);
  return database;
}

/**
 * The key is read here, once, so a path that cannot be used is reported with the rest. An
 * unreadable key still counts as given, so the all-or-none DKIM rule does not complain twice.
 */
function readDkimKey(file: string | undefined, ctx: z.RefinementCtx): { file: string; pem: string } | undefined {
  if (!file) return undefined;
  try {
    const pem = fs.readFileSync(file, 'utf8');
    if (!pem.includes('PRIVATE KEY')) ctx.addIssue({ code: 'custom', message: `${file} is not a PEM private key` });
    return { file, pem };
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    return { file, pem: '' };
  }
}

const envFields = z.object({
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/paperboy.db')
    .transform((url, ctx) => {
      const database = readDatabaseUrl(url, process.cwd());
      if (!('problem' in database)) return database;
      ctx.addIssue({ code: 'custom', message: database.problem });
      return z.NEVER;
    }),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Unset: http://localhost:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HARVEST_SETS: csv,
  HARVEST_INTERVAL_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(360),
  ARXIV_OAI_URL: z.string().url().default(ARXIV_OAI_URL),
  ARXIV_METADATA_PREFIX: z.enum(['arXiv', 'arXivRaw']).default('arXiv'),
  ARXIV_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(5),
  ARXIV_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(3_000),
  PAPERBOY_EXTRA_ALLOWED_HOSTS: csv,
  PAPERBOY_SHARED_DATA: z
    .string()
    .default('../shared/data')
    .transform((dir) => path.resolve(dir)),
  /** Unset: next to a SQLite file, in memory for PostgreSQL. */
  SEARCH_INDEX_DIR: z
    .string()
    .optional()
    .transform((dir) => (dir ? path.resolve(dir) : undefined)),
  SEARCH_DENSE: z.enum(['auto', 'off']).default('auto'),
  SEARCH_DENSE_MODEL: z.enum(['contrastive', 'lsa']).default('contrastive'),
  SEARCH_DENSE_DIMENSIONS: z.coerce.number().int().min(8).max(1024).default(128),
  SEARCH_DENSE_MIN_PAPERS: z.coerce.number().int().min(10).default(1000),
  SEARCH_DENSE_FIT_SAMPLE: z.coerce.number().int().min(100).default(50_000),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('Paperboy <paperboy@localhost>'),
  ARXIV_API_URL: z.string().url().default(ARXIV_API_URL),
  MAGIC_LINK_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  MAGIC_LINK_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** `auto`: Secure cookies when PUBLIC_URL is https. */
  COOKIE_SECURE: z
    .enum(['auto', 'true', 'false'])
    .default('auto')
    .transform((v) => (v === 'auto' ? undefined : v === 'true')),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SUBMISSIONS_PER_DAY: z.coerce.number().int().min(0).max(1000).default(5),
  COMMENT_EDIT_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(15),
  RATE_SIGNIN_PER_EMAIL_HOUR: z.coerce.number().int().min(1).max(1000).default(5),
  RATE_SIGNIN_PER_IP_HOUR: z.coerce.number().int().min(1).max(100000).default(20),
  RATE_VOTES_PER_MINUTE: z.coerce.number().int().min(1).max(100000).default(60),
  RATE_COMMENTS_PER_HOUR: z.coerce.number().int().min(1).max(100000).default(30),
  MAIL_UNSUBSCRIBE_MAILTO: z.string().email().optional(),
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(50).default(3),
  DIGEST_RATE_LIMIT: z.coerce.number().min(0).max(10_000).default(10),
  DIGEST_SCHEDULE: z
    .string()
    .default('*/5 * * * *')
    .superRefine((pattern, ctx) => {
      try {
        new Cron(pattern, { paused: true }).stop();
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  DIGEST_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(20),
  DIGEST_LEASE_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(300),
  DIGEST_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  DIGEST_PAPERS: z.coerce.number().int().min(1).max(100).default(10),
  TOKEN_SECRET: csv.refine((secrets) => secrets.every((s) => s.length >= 32), 'each secret needs at least 32 characters (e.g. `openssl rand -base64 32`)'),
  DKIM_DOMAIN: z.string().optional(),
  DKIM_SELECTOR: z.string().optional(),
  DKIM_PRIVATE_KEY_PATH: z.string().optional().transform(readDkimKey),
  DIGEST_ADMIN_TOKEN: z.string().min(16).optional(),
  JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  EMBEDDINGS_PROVIDER: z.enum(['lsa', 'onnx', 'openai']).default('lsa'),
  EMBEDDINGS_MODEL_DIR: z.string().optional(),
  EMBEDDINGS_URL: z.string().regex(/^https?:\/\//, 'must be an http:// or https:// URL').optional(),
  EMBEDDINGS_MODEL: z.string().optional(),
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().min(1).max(16_384).optional(),
  EMBEDDINGS_QUERY_PREFIX: z.string().default(''),
  HTTP_REQUEST_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(15),
  HTTP_HEAVY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  HTTP_HEAVY_QUEUE: z.coerce.number().int().min(0).max(100_000).default(100),
  HTTP_HEAVY_QUEUE_WAIT_MS: z.coerce.number().int().min(1).max(600_000).default(3_000),
  ANSWER_CACHE_SETTLE_MS: z.coerce.number().int().min(0).max(30_000).default(1_000),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  METRICS: z.enum(['on', 'off']).default('off'),
  ACCESS_LOG: z.enum(['on', 'off']).default('on'),
  EMBEDDINGS_DOCUMENT_PREFIX: z.string().default(''),
});

type EnvSettings = z.output<typeof envFields>;

/**
 * Rules that involve several variables. They run even when single variables already failed
 * (`when`), so one run reports everything; a value that failed its own check may be missing or
 * of the wrong type here, hence the type tests.
 */
function crossFieldRules(e: EnvSettings, ctx: z.RefinementCtx): void {
  // The submission client may only ever talk to arXiv (or a host a test allowed explicitly).
  if (typeof e.ARXIV_API_URL === 'string' && URL.canParse(e.ARXIV_API_URL)) {
    const api = new URL(e.ARXIV_API_URL);
    if (!isAllowedHost(api, Array.isArray(e.PAPERBOY_EXTRA_ALLOWED_HOSTS) ? e.PAPERBOY_EXTRA_ALLOWED_HOSTS : [])) {
      ctx.addIssue({ code: 'custom', path: ['ARXIV_API_URL'], message: `host "${api.host}" is not an arXiv host (nor listed in PAPERBOY_EXTRA_ALLOWED_HOSTS)` });
    }
  }
  const dkim = [e.DKIM_DOMAIN, e.DKIM_SELECTOR, e.DKIM_PRIVATE_KEY_PATH];
  if (dkim.some(Boolean) && !dkim.every(Boolean)) ctx.addIssue({ code: 'custom', path: [], message: 'DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_PATH: set all three to sign mail, or none' });
  if (e.EMBEDDINGS_PROVIDER === 'onnx') {
    const dir = e.EMBEDDINGS_MODEL_DIR;
    if (!dir) ctx.addIssue({ code: 'custom', path: ['EMBEDDINGS_MODEL_DIR'], message: 'required when EMBEDDINGS_PROVIDER=onnx (a folder with config.json, tokenizer.json, model.onnx)' });
    else if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) ctx.addIssue({ code: 'custom', path: ['EMBEDDINGS_MODEL_DIR'], message: `${dir} is not a directory` });
  }
  if (e.EMBEDDINGS_PROVIDER === 'openai') {
    if (!e.EMBEDDINGS_URL) ctx.addIssue({ code: 'custom', path: ['EMBEDDINGS_URL'], message: 'required when EMBEDDINGS_PROVIDER=openai (e.g. https://api.openai.com)' });
    if (!e.EMBEDDINGS_MODEL) ctx.addIssue({ code: 'custom', path: ['EMBEDDINGS_MODEL'], message: 'required when EMBEDDINGS_PROVIDER=openai (e.g. text-embedding-3-small)' });
  }
}

/** A Config whose settings that follow from others may still be open (undefined: follow them). */
type OpenConfig = Omit<Config, 'publicUrl' | 'searchIndexDir' | 'members'> & {
  readonly publicUrl: string | undefined;
  readonly searchIndexDir: string | null | undefined;
  readonly members: Omit<MembersConfig, 'secureCookies'> & { readonly secureCookies: boolean | undefined };
};

function openConfigFrom(e: EnvSettings): OpenConfig {
  return {
    database: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    harvest: {
      sets: e.HARVEST_SETS,
      intervalMinutes: e.HARVEST_INTERVAL_MINUTES,
      oaiBaseUrl: e.ARXIV_OAI_URL,
      metadataPrefix: e.ARXIV_METADATA_PREFIX,
      maxRetries: e.ARXIV_MAX_RETRIES,
      delayMs: e.ARXIV_DELAY_MS,
      extraAllowedHosts: e.PAPERBOY_EXTRA_ALLOWED_HOSTS,
    },
    sharedDataDir: e.PAPERBOY_SHARED_DATA,
    searchIndexDir: e.SEARCH_INDEX_DIR,
    denseSearch: { mode: e.SEARCH_DENSE, model: e.SEARCH_DENSE_MODEL, dimensions: e.SEARCH_DENSE_DIMENSIONS, minPapers: e.SEARCH_DENSE_MIN_PAPERS, fitSample: e.SEARCH_DENSE_FIT_SAMPLE },
    mail: { smtpUrl: e.SMTP_URL ?? null, from: e.MAIL_FROM },
    members: {
      arxivApiUrl: e.ARXIV_API_URL,
      magicLinkTtlMinutes: e.MAGIC_LINK_TTL_MINUTES,
      magicLinkGraceSeconds: e.MAGIC_LINK_GRACE_SECONDS,
      sessionTtlDays: e.SESSION_TTL_DAYS,
      secureCookies: e.COOKIE_SECURE,
      trustProxy: e.TRUST_PROXY,
      submissionsPerDay: e.SUBMISSIONS_PER_DAY,
      commentEditMinutes: e.COMMENT_EDIT_MINUTES,
      limits: {
        signInPerEmailPerHour: e.RATE_SIGNIN_PER_EMAIL_HOUR,
        signInPerIpPerHour: e.RATE_SIGNIN_PER_IP_HOUR,
        votesPerMinute: e.RATE_VOTES_PER_MINUTE,
        commentsPerHour: e.RATE_COMMENTS_PER_HOUR,
      },
    },
    digest: {
      unsubscribeMailto: e.MAIL_UNSUBSCRIBE_MAILTO ?? null,
      maxConnections: e.SMTP_MAX_CONNECTIONS,
      ratePerSecond: e.DIGEST_RATE_LIMIT,
      schedule: e.DIGEST_SCHEDULE,
      pollSeconds: e.DIGEST_POLL_SECONDS,
      leaseSeconds: e.DIGEST_LEASE_SECONDS,
      maxAttempts: e.DIGEST_MAX_ATTEMPTS,
      papersPerDigest: e.DIGEST_PAPERS,
      tokenSecrets: e.TOKEN_SECRET,
      dkim: e.DKIM_DOMAIN && e.DKIM_SELECTOR && e.DKIM_PRIVATE_KEY_PATH ? { domainName: e.DKIM_DOMAIN, keySelector: e.DKIM_SELECTOR, privateKey: e.DKIM_PRIVATE_KEY_PATH.pem } : null,
      adminToken: e.DIGEST_ADMIN_TOKEN ?? null,
    },
    jobs: { leaseSeconds: e.JOB_LEASE_SECONDS, keepRuns: JOB_RUNS_KEPT },
    embeddings: {
      provider: e.EMBEDDINGS_PROVIDER,
      modelDir: e.EMBEDDINGS_MODEL_DIR ? path.resolve(e.EMBEDDINGS_MODEL_DIR) : null,
      url: e.EMBEDDINGS_URL ?? null,
      model: e.EMBEDDINGS_MODEL ?? null,
      apiKey: e.EMBEDDINGS_API_KEY || null,
      dimensions: e.EMBEDDINGS_DIMENSIONS ?? null,
      queryPrefix: e.EMBEDDINGS_QUERY_PREFIX,
      documentPrefix: e.EMBEDDINGS_DOCUMENT_PREFIX,
    },
    http: {
      requestTimeoutMs: Math.round(e.HTTP_REQUEST_TIMEOUT_SECONDS * 1000),
      heavyConcurrency: e.HTTP_HEAVY_CONCURRENCY,
      heavyQueue: e.HTTP_HEAVY_QUEUE,
      heavyQueueWaitMs: e.HTTP_HEAVY_QUEUE_WAIT_MS,
      answerCacheSettleMs: e.ANSWER_CACHE_SETTLE_MS,
      apiRequestsPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
      metrics: e.METRICS === 'on',
      accessLog: e.ACCESS_LOG === 'on',
    },
  };
}

/** Runs kept per job in the history; not a setting. */
const JOB_RUNS_KEPT = 100;

/** The environment, checked as a whole and shaped as a Config (derived settings still open). */
const envSchema = envFields.superRefine(crossFieldRules, { when: () => true }).transform(openConfigFrom);

/** Settings that follow from others unless they were given: public URL, Secure cookies, index folder. */
function settle(open: OpenConfig): Config {
  const publicUrl = open.publicUrl ?? `http://localhost:${open.port}`;
  return deepFreeze({
    ...open,
    publicUrl,
    searchIndexDir: open.searchIndexDir === undefined ? defaultIndexDir(open.database) : open.searchIndexDir,
    members: { ...open.members, secureCookies: open.members.secureCookies ?? publicUrl.startsWith('https:') },
  });
}

/** Next to a SQLite file by default; with PostgreSQL each instance keeps its replica in memory. */
function defaultIndexDir(database: DatabaseConfig): string | null {
  if (database.dialect !== 'sqlite' || database.file === ':memory:') return null;
  return path.join(path.dirname(database.file), 'search-index');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

/** Reads and validates the environment; throws one ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>, overrides: { port?: number; databaseUrl?: string } = {}): Config {
  // Command-line options win over the variables they stand for, and are checked the same way.
  const parsed = envSchema.safeParse({
    ...env,
    ...(overrides.port === undefined ? {} : { PORT: String(overrides.port) }),
    ...(overrides.databaseUrl === undefined ? {} : { DATABASE_URL: overrides.databaseUrl }),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(describeIssue);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`, { problems });
  }
  return settle(parsed.data);
}

/** Any subset of settings, at any depth; lists and optional groups (DKIM) are given whole. */
export type Overrides<T> = { readonly [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? Overrides<T[K]> : T[K] };

/** What a test gives `buildConfig`: its database, and whichever settings it cares about. */
export type ConfigOverrides = Overrides<Omit<Config, 'database'>> & { readonly database: DatabaseConfig };

/**
 * Builds a frozen Config from the defaults and the given settings; the way tests make one. The
 * search index stays in memory unless `searchIndexDir` is given, so tests never write snapshots.
 */
export function buildConfig(overrides: ConfigOverrides): Config {
  const { database, ...settings } = overrides;
  return settle({ ...withOverrides(envSchema.parse({}), { ...settings, searchIndexDir: settings.searchIndexDir ?? null }), database });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withOverrides<T extends object>(base: T, overrides: Overrides<T>): T {
  const merged = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? withOverrides(current, value) : value;
  }
  return merged as T;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const DEFAULTS = settle(envSchema.parse({}));
export const DEFAULT_DENSE_SEARCH_CONFIG: DenseSearchConfig = DEFAULTS.denseSearch;
export const DEFAULT_DIGEST_CONFIG: DigestConfig = DEFAULTS.digest;
