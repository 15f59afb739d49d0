/**
 * Settings, read once from the environment and validated as a whole: every problem is
 * reported at the same time and the process stops before doing anything. Tests build
 * `Config` objects directly with `buildConfig`.
 */
import path from 'node:path';
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
    /** Hosts besides arXiv's that outbound requests may reach (tests use loopback). */
    readonly extraAllowedHosts: readonly string[];
  };
  readonly sharedDataDir: string;
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
  PAPERBOY_EXTRA_ALLOWED_HOSTS: csv,
  PAPERBOY_SHARED_DATA: z.string().optional(),
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

/** Reads and validates the environment; throws one ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>, overrides: { port?: number; databaseUrl?: string } = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`, { problems });
  }
  const e = parsed.data;
  const port = overrides.port ?? e.PORT;
  return buildConfig({
    database: parseDatabaseUrl(overrides.databaseUrl ?? e.DATABASE_URL),
    port,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${port}`,
    logLevel: e.LOG_LEVEL,
    harvest: {
      sets: e.HARVEST_SETS,
      intervalMinutes: e.HARVEST_INTERVAL_MINUTES,
      oaiBaseUrl: e.ARXIV_OAI_URL,
      metadataPrefix: e.ARXIV_METADATA_PREFIX,
      extraAllowedHosts: e.PAPERBOY_EXTRA_ALLOWED_HOSTS,
    },
    sharedDataDir: path.resolve(e.PAPERBOY_SHARED_DATA ?? '../shared/data'),
  });
}

/** Builds a frozen config, filling defaults; the way tests make one. */
export function buildConfig(partial: Partial<Config> & { database: DatabaseConfig }): Config {
  const port = partial.port ?? 3000;
  return Object.freeze({
    port,
    host: '127.0.0.1',
    publicUrl: `http://localhost:${port}`,
    logLevel: 'info' as const,
    sharedDataDir: path.resolve('../shared/data'),
    ...partial,
    harvest: Object.freeze({
      sets: [],
      intervalMinutes: 360,
      oaiBaseUrl: 'https://arxiv.org/oai',
      metadataPrefix: 'arXiv' as const,
      extraAllowedHosts: [],
      ...partial.harvest,
    }),
  });
}
