/**
 * Settings, read once from the environment and validated as a whole: every problem is
 * reported at the same time and the process stops before doing anything. Tests build
 * `Config` objects directly with `buildConfig`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
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

export const DEFAULT_DENSE_SEARCH_CONFIG: DenseSearchConfig = Object.freeze({ mode: 'auto' as const, model: 'contrastive' as const, dimensions: 128, minPapers: 1000, fitSample: 50_000 });

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

export const DEFAULT_MEMBERS_CONFIG: MembersConfig = Object.freeze({
  arxivApiUrl: 'https://export.arxiv.org/api/query',
  magicLinkTtlMinutes: 15,
  magicLinkGraceSeconds: 120,
  sessionTtlDays: 30,
  secureCookies: false,
  trustProxy: false,
  submissionsPerDay: 5,
  commentEditMinutes: 15,
  limits: Object.freeze({ signInPerEmailPerHour: 5, signInPerIpPerHour: 20, votesPerMinute: 60, commentsPerHour: 30 }),
});

/** Email digests (SMTP_URL and MAIL_FROM are shared with the rest of the mail, in `mail`). */
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

export const DEFAULT_DIGEST_CONFIG: DigestConfig = Object.freeze({
  unsubscribeMailto: null,
  maxConnections: 3,
  ratePerSecond: 10,
  schedule: '*/5 * * * *',
  pollSeconds: 20,
  leaseSeconds: 300,
  maxAttempts: 6,
  papersPerDigest: 10,
  tokenSecrets: [],
  dkim: null,
  adminToken: null,
});

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

export const DEFAULT_JOBS_CONFIG: JobsConfig = Object.freeze({ leaseSeconds: 60, keepRuns: 100 });

/** Digest settings that involve several variables or files, reported with the others. */
function digestProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const dkim = [env.DKIM_DOMAIN, env.DKIM_SELECTOR, env.DKIM_PRIVATE_KEY_PATH];
  if (dkim.some(Boolean) && !dkim.every(Boolean)) problems.push('DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_PATH: set all three to sign mail, or none');
  if (env.DKIM_PRIVATE_KEY_PATH) {
    try {
      if (!fs.readFileSync(env.DKIM_PRIVATE_KEY_PATH, 'utf8').includes('PRIVATE KEY')) problems.push(`DKIM_PRIVATE_KEY_PATH: ${env.DKIM_PRIVATE_KEY_PATH} is not a PEM private key`);
    } catch (error) {
      problems.push(`DKIM_PRIVATE_KEY_PATH: cannot read ${env.DKIM_PRIVATE_KEY_PATH} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  for (const secret of (env.TOKEN_SECRET ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (secret.length < 32) problems.push('TOKEN_SECRET: each secret needs at least 32 characters (e.g. `openssl rand -base64 32`)');
  }
  if (env.DIGEST_SCHEDULE) {
    try {
      new Cron(env.DIGEST_SCHEDULE, { paused: true }).stop();
    } catch (error) {
      problems.push(`DIGEST_SCHEDULE: ${(error as Error).message}`);
    }
  }
  return problems;
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

export const DEFAULT_EMBEDDINGS_CONFIG: EmbeddingsConfig = Object.freeze({
  provider: 'lsa' as const,
  modelDir: null,
  url: null,
  model: null,
  apiKey: null,
  dimensions: null,
  queryPrefix: '',
  documentPrefix: '',
});

/** Each provider's required settings, reported with the others. */
function embeddingsProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.EMBEDDINGS_PROVIDER === 'onnx') {
    if (!env.EMBEDDINGS_MODEL_DIR) problems.push('EMBEDDINGS_MODEL_DIR: required when EMBEDDINGS_PROVIDER=onnx (a folder with config.json, tokenizer.json, model.onnx)');
    else if (!fs.existsSync(env.EMBEDDINGS_MODEL_DIR) || !fs.statSync(env.EMBEDDINGS_MODEL_DIR).isDirectory()) problems.push(`EMBEDDINGS_MODEL_DIR: ${env.EMBEDDINGS_MODEL_DIR} is not a directory`);
  }
  if (env.EMBEDDINGS_PROVIDER === 'openai') {
    if (!env.EMBEDDINGS_URL) problems.push('EMBEDDINGS_URL: required when EMBEDDINGS_PROVIDER=openai (e.g. https://api.openai.com)');
    if (!env.EMBEDDINGS_MODEL) problems.push('EMBEDDINGS_MODEL: required when EMBEDDINGS_PROVIDER=openai (e.g. text-embedding-3-small)');
  }
  return problems;
}

const csv = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const envSchema = z.object({
  DATABASE_URL: z.string().default('sqlite:./data/paperboy.db'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HARVEST_SETS: csv,
  HARVEST_INTERVAL_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(360),
  ARXIV_OAI_URL: z.string().url().default('https://arxiv.org/oai'),
  ARXIV_METADATA_PREFIX: z.enum(['arXiv', 'arXivRaw']).default('arXiv'),
  ARXIV_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(5),
  ARXIV_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(3_000),
  PAPERBOY_EXTRA_ALLOWED_HOSTS: csv,
  PAPERBOY_SHARED_DATA: z.string().optional(),
  SEARCH_INDEX_DIR: z.string().optional(),
  SEARCH_DENSE: z.enum(['auto', 'off']).default(DEFAULT_DENSE_SEARCH_CONFIG.mode),
  SEARCH_DENSE_MODEL: z.enum(['contrastive', 'lsa']).default(DEFAULT_DENSE_SEARCH_CONFIG.model),
  SEARCH_DENSE_DIMENSIONS: z.coerce.number().int().min(8).max(1024).default(DEFAULT_DENSE_SEARCH_CONFIG.dimensions),
  SEARCH_DENSE_MIN_PAPERS: z.coerce.number().int().min(10).default(DEFAULT_DENSE_SEARCH_CONFIG.minPapers),
  SEARCH_DENSE_FIT_SAMPLE: z.coerce.number().int().min(100).default(DEFAULT_DENSE_SEARCH_CONFIG.fitSample),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('Paperboy <paperboy@localhost>'),
  ARXIV_API_URL: z.string().url().default(DEFAULT_MEMBERS_CONFIG.arxivApiUrl),
  MAGIC_LINK_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(DEFAULT_MEMBERS_CONFIG.magicLinkTtlMinutes),
  MAGIC_LINK_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(DEFAULT_MEMBERS_CONFIG.magicLinkGraceSeconds),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(DEFAULT_MEMBERS_CONFIG.sessionTtlDays),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  SUBMISSIONS_PER_DAY: z.coerce.number().int().min(0).max(1000).default(DEFAULT_MEMBERS_CONFIG.submissionsPerDay),
  COMMENT_EDIT_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(DEFAULT_MEMBERS_CONFIG.commentEditMinutes),
  RATE_SIGNIN_PER_EMAIL_HOUR: z.coerce.number().int().min(1).max(1000).default(DEFAULT_MEMBERS_CONFIG.limits.signInPerEmailPerHour),
  RATE_SIGNIN_PER_IP_HOUR: z.coerce.number().int().min(1).max(100000).default(DEFAULT_MEMBERS_CONFIG.limits.signInPerIpPerHour),
  RATE_VOTES_PER_MINUTE: z.coerce.number().int().min(1).max(100000).default(DEFAULT_MEMBERS_CONFIG.limits.votesPerMinute),
  RATE_COMMENTS_PER_HOUR: z.coerce.number().int().min(1).max(100000).default(DEFAULT_MEMBERS_CONFIG.limits.commentsPerHour),
  MAIL_UNSUBSCRIBE_MAILTO: z.string().email().optional(),
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(50).default(DEFAULT_DIGEST_CONFIG.maxConnections),
  DIGEST_RATE_LIMIT: z.coerce.number().min(0).max(10_000).default(DEFAULT_DIGEST_CONFIG.ratePerSecond),
  DIGEST_SCHEDULE: z.string().default(DEFAULT_DIGEST_CONFIG.schedule),
  DIGEST_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(DEFAULT_DIGEST_CONFIG.pollSeconds),
  DIGEST_LEASE_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(DEFAULT_DIGEST_CONFIG.leaseSeconds),
  DIGEST_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(DEFAULT_DIGEST_CONFIG.maxAttempts),
  DIGEST_PAPERS: z.coerce.number().int().min(1).max(100).default(DEFAULT_DIGEST_CONFIG.papersPerDigest),
  TOKEN_SECRET: csv,
  DKIM_DOMAIN: z.string().optional(),
  DKIM_SELECTOR: z.string().optional(),
  DKIM_PRIVATE_KEY_PATH: z.string().optional(),
  DIGEST_ADMIN_TOKEN: z.string().min(16).optional(),
  JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(DEFAULT_JOBS_CONFIG.leaseSeconds),
  EMBEDDINGS_PROVIDER: z.enum(['lsa', 'onnx', 'openai']).default(DEFAULT_EMBEDDINGS_CONFIG.provider),
  EMBEDDINGS_MODEL_DIR: z.string().optional(),
  EMBEDDINGS_URL: z.string().regex(/^https?:\/\//, 'must be an http:// or https:// URL').optional(),
  EMBEDDINGS_MODEL: z.string().optional(),
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().min(1).max(16_384).optional(),
  EMBEDDINGS_QUERY_PREFIX: z.string().default(''),
  EMBEDDINGS_DOCUMENT_PREFIX: z.string().default(''),
});

/** Parses `sqlite:PATH`, `sqlite::memory:` or a `postgres://` URL. */
export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new ConfigError('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/paperboy.db');
    return { dialect: 'sqlite', file: file === ':memory:' ? file : path.resolve(cwd, file), url };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', url };
  throw new ConfigError(`DATABASE_URL must start with "sqlite:" or "postgres://", got "${url}"`);
}

/** Checks that involve several variables, reported together with the per-variable ones. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  // The submission client may only ever talk to arXiv (or a host a test allowed explicitly).
  if (env.ARXIV_API_URL && URL.canParse(env.ARXIV_API_URL)) {
    const api = new URL(env.ARXIV_API_URL);
    const extra = (env.PAPERBOY_EXTRA_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase());
    const allowed = ['arxiv.org', 'export.arxiv.org', ...extra];
    if (!allowed.includes(api.hostname.toLowerCase()) && !allowed.includes(api.host.toLowerCase())) {
      problems.push(`ARXIV_API_URL: host "${api.host}" is not an arXiv host (nor listed in PAPERBOY_EXTRA_ALLOWED_HOSTS)`);
    }
  }
  return problems;
}

/** Reads and validates the environment; throws one ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>, overrides: { port?: number; databaseUrl?: string } = {}): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  problems.push(...crossFieldProblems(env));
  problems.push(...digestProblems(env));
  problems.push(...embeddingsProblems(env));
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`, { problems });
  }
  const e = parsed.data;
  const port = overrides.port ?? e.PORT;
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${port}`;
  const database = parseDatabaseUrl(overrides.databaseUrl ?? e.DATABASE_URL);
  return buildConfig({
    database,
    searchIndexDir: e.SEARCH_INDEX_DIR ? path.resolve(e.SEARCH_INDEX_DIR) : defaultIndexDir(database),
    denseSearch: { mode: e.SEARCH_DENSE, model: e.SEARCH_DENSE_MODEL, dimensions: e.SEARCH_DENSE_DIMENSIONS, minPapers: e.SEARCH_DENSE_MIN_PAPERS, fitSample: e.SEARCH_DENSE_FIT_SAMPLE },
    port,
    host: e.HOST,
    publicUrl,
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
    sharedDataDir: path.resolve(e.PAPERBOY_SHARED_DATA ?? '../shared/data'),
    mail: { smtpUrl: e.SMTP_URL ?? null, from: e.MAIL_FROM },
    members: {
      arxivApiUrl: e.ARXIV_API_URL,
      magicLinkTtlMinutes: e.MAGIC_LINK_TTL_MINUTES,
      magicLinkGraceSeconds: e.MAGIC_LINK_GRACE_SECONDS,
      sessionTtlDays: e.SESSION_TTL_DAYS,
      secureCookies: e.COOKIE_SECURE === 'auto' ? publicUrl.startsWith('https:') : e.COOKIE_SECURE === 'true',
      trustProxy: e.TRUST_PROXY === 'true',
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
      dkim:
        e.DKIM_DOMAIN && e.DKIM_SELECTOR && e.DKIM_PRIVATE_KEY_PATH
          ? { domainName: e.DKIM_DOMAIN, keySelector: e.DKIM_SELECTOR, privateKey: fs.readFileSync(e.DKIM_PRIVATE_KEY_PATH, 'utf8') }
          : null,
      adminToken: e.DIGEST_ADMIN_TOKEN ?? null,
    },
    jobs: { leaseSeconds: e.JOB_LEASE_SECONDS, keepRuns: DEFAULT_JOBS_CONFIG.keepRuns },
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
  });
}

/** Next to a SQLite file by default; with PostgreSQL each instance keeps its replica in memory. */
function defaultIndexDir(database: DatabaseConfig): string | null {
  if (database.dialect !== 'sqlite' || database.file === ':memory:') return null;
  return path.join(path.dirname(database.file), 'search-index');
}

/** Builds a frozen config, filling defaults; the way tests make one. */
/** Member settings a test may override one by one (limits too). */
export type MembersConfigOverrides = Partial<Omit<MembersConfig, 'limits'>> & { limits?: Partial<MembersConfig['limits']> };

export function buildConfig(partial: Omit<Partial<Config>, 'members'> & { database: DatabaseConfig; members?: MembersConfigOverrides }): Config {
  const port = partial.port ?? 3000;
  return Object.freeze({
    port,
    host: '127.0.0.1',
    publicUrl: `http://localhost:${port}`,
    logLevel: 'info' as const,
    sharedDataDir: path.resolve('../shared/data'),
    searchIndexDir: null,
    ...partial,
    harvest: Object.freeze({
      sets: [],
      intervalMinutes: 360,
      oaiBaseUrl: 'https://arxiv.org/oai',
      metadataPrefix: 'arXiv' as const,
      maxRetries: 5,
      delayMs: 3_000,
      extraAllowedHosts: [],
      ...partial.harvest,
    }),
    mail: Object.freeze({ smtpUrl: null, from: 'Paperboy <paperboy@localhost>', ...partial.mail }),
    embeddings: Object.freeze({ ...DEFAULT_EMBEDDINGS_CONFIG, ...partial.embeddings }),
    members: Object.freeze({
      ...DEFAULT_MEMBERS_CONFIG,
      ...partial.members,
      limits: Object.freeze({ ...DEFAULT_MEMBERS_CONFIG.limits, ...partial.members?.limits }),
    }),
    digest: Object.freeze({ ...DEFAULT_DIGEST_CONFIG, ...partial.digest }),
    jobs: Object.freeze({ ...DEFAULT_JOBS_CONFIG, ...partial.jobs }),
    denseSearch: Object.freeze({ ...DEFAULT_DENSE_SEARCH_CONFIG, ...partial.denseSearch }),
  });
}
