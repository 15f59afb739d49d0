import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.js';
import { buildConfig, loadConfig, parseDatabaseUrl } from './config.js';

describe('loadConfig', () => {
  it('defaults to a SQLite file under ./data', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ dialect: 'sqlite', file: path.resolve('data/paperboy.db'), url: 'sqlite:./data/paperboy.db' });
    expect(config.port).toBe(3000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('switches to PostgreSQL for a postgres:// URL and lets --port override PORT', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/papers', PORT: '8080' }, { port: 9090 });
    expect(config.database).toEqual({ dialect: 'postgres', url: 'postgres://u:p@db:5432/papers' });
    expect(config.port).toBe(9090);
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', HARVEST_INTERVAL_MINUTES: '1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT');
    expect(message).toContain('LOG_LEVEL');
    expect(message).toContain('HARVEST_INTERVAL_MINUTES');
  });

  it('rejects an unknown database scheme', () => {
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/must start with "sqlite:" or "postgres:\/\/"/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty' })).toThrow(/DATABASE_URL: must start with "sqlite:" or "postgres:\/\/"[\s\S]*PORT/);
  });

  it('has these defaults for the server, harvesting and mail', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', publicUrl: 'http://localhost:3000', logLevel: 'info', sharedDataDir: path.resolve('../shared/data'), searchIndexDir: path.resolve('data/search-index') });
    expect(config.harvest).toEqual({ sets: [], intervalMinutes: 360, oaiBaseUrl: 'https://arxiv.org/oai', metadataPrefix: 'arXiv', maxRetries: 5, delayMs: 3_000, extraAllowedHosts: [] });
    expect(config.mail).toEqual({ smtpUrl: null, from: 'Paperboy <paperboy@localhost>' });
    expect(loadConfig({ DATABASE_URL: 'postgres://db/papers' }).searchIndexDir).toBeNull();
  });

  it('parses harvest sets as a list', () => {
    expect(loadConfig({ HARVEST_SETS: 'cs:cs:AI, cs:cs:LG' }).harvest.sets).toEqual(['cs:cs:AI', 'cs:cs:LG']);
  });

  it('reads the job lease length, a whole number of seconds', () => {
    expect(loadConfig({}).jobs).toEqual({ leaseSeconds: 60, keepRuns: 100 });
    expect(loadConfig({ JOB_LEASE_SECONDS: '15' }).jobs.leaseSeconds).toBe(15);
    expect(() => loadConfig({ JOB_LEASE_SECONDS: '0' })).toThrow(/JOB_LEASE_SECONDS/);
  });
});

describe('buildConfig', () => {
  const database = { dialect: 'postgres', url: 'postgres://db/papers' } as const;

  it('starts from the same defaults as the environment, keeping the search index in memory', () => {
    const { database: _fromEnv, searchIndexDir: _onDisk, ...defaults } = loadConfig({});
    const { database: built, searchIndexDir, ...rest } = buildConfig({ database });
    expect(rest).toEqual(defaults);
    expect(built).toEqual(database);
    expect(searchIndexDir).toBeNull();
  });

  it('takes any subset of settings at any depth, deriving the rest as loadConfig does', () => {
    const config = buildConfig({ database, port: 0, harvest: { extraAllowedHosts: ['127.0.0.1:9999'] }, digest: { tokenSecrets: ['s'.repeat(32)] } });
    expect(config.harvest).toMatchObject({ extraAllowedHosts: ['127.0.0.1:9999'], intervalMinutes: 360, delayMs: 3_000 });
    expect(config.digest).toMatchObject({ tokenSecrets: ['s'.repeat(32)], maxConnections: 3 });
    expect(config.publicUrl).toBe('http://localhost:0');
    expect(buildConfig({ database, publicUrl: 'https://papers.example.org' }).members.secureCookies).toBe(true);
    expect(buildConfig({ database, searchIndexDir: '/tmp/index' }).searchIndexDir).toBe('/tmp/index');
    expect(Object.isFrozen(config.harvest)).toBe(true);
  });
});

describe('loadConfig embeddings', () => {
  it('defaults to the corpus-trained lsa provider', () => {
    expect(loadConfig({}).embeddings).toEqual({ provider: 'lsa', modelDir: null, url: null, model: null, apiKey: null, dimensions: null, queryPrefix: '', documentPrefix: '' });
    expect(Object.isFrozen(loadConfig({}).embeddings)).toBe(true);
  });

  it('reads an openai endpoint, keeping the prefixes exactly (trailing spaces matter)', () => {
    const config = loadConfig({
      EMBEDDINGS_PROVIDER: 'openai',
      EMBEDDINGS_URL: 'http://127.0.0.1:8080',
      EMBEDDINGS_MODEL: 'bge-small',
      EMBEDDINGS_API_KEY: 'sk-1',
      EMBEDDINGS_DIMENSIONS: '384',
      EMBEDDINGS_QUERY_PREFIX: 'query: ',
      EMBEDDINGS_DOCUMENT_PREFIX: 'passage: ',
    });
    expect(config.embeddings).toEqual({
      provider: 'openai',
      modelDir: null,
      url: 'http://127.0.0.1:8080',
      model: 'bge-small',
      apiKey: 'sk-1',
      dimensions: 384,
      queryPrefix: 'query: ',
      documentPrefix: 'passage: ',
    });
  });

  it('resolves an existing onnx model directory', () => {
    const config = loadConfig({ EMBEDDINGS_PROVIDER: 'onnx', EMBEDDINGS_MODEL_DIR: 'src' });
    expect(config.embeddings).toMatchObject({ provider: 'onnx', modelDir: path.resolve('src') });
  });

  it('reports every missing or invalid embeddings setting at once', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        return ((error as ConfigError).details?.problems as string[]).join('\n');
      }
      return '';
    };
    expect(problems({ EMBEDDINGS_PROVIDER: 'openai' })).toMatch(/EMBEDDINGS_URL: required[\s\S]*EMBEDDINGS_MODEL: required/);
    expect(problems({ EMBEDDINGS_PROVIDER: 'onnx' })).toContain('EMBEDDINGS_MODEL_DIR: required');
    expect(problems({ EMBEDDINGS_PROVIDER: 'onnx', EMBEDDINGS_MODEL_DIR: '/nonexistent/model' })).toContain('is not a directory');
    expect(problems({ EMBEDDINGS_PROVIDER: 'bert' })).toContain('EMBEDDINGS_PROVIDER');
    expect(problems({ EMBEDDINGS_PROVIDER: 'openai', EMBEDDINGS_URL: 'localhost:8080', EMBEDDINGS_MODEL: 'm', EMBEDDINGS_DIMENSIONS: '0' })).toMatch(/EMBEDDINGS_URL[\s\S]*EMBEDDINGS_DIMENSIONS/);
  });
});
