import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.js';
import { loadConfig, parseDatabaseUrl } from './config.js';

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
  });

  it('parses harvest sets as a list', () => {
    expect(loadConfig({ HARVEST_SETS: 'cs:cs:AI, cs:cs:LG' }).harvest.sets).toEqual(['cs:cs:AI', 'cs:cs:LG']);
  });
});
