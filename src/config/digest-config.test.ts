import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.js';
import { DEFAULT_DIGEST_CONFIG, loadConfig } from './config.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('digest settings', () => {
  it('have working defaults', () => {
    expect(loadConfig({}).digest).toEqual(DEFAULT_DIGEST_CONFIG);
    expect(DEFAULT_DIGEST_CONFIG).toEqual({
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
  });

  it('are read from the environment', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-dkim-'));
    const key = path.join(dir, 'dkim.pem');
    fs.writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n');
    const d = loadConfig({
      TOKEN_SECRET: `${'a'.repeat(32)},${'b'.repeat(40)}`,
      DIGEST_RATE_LIMIT: '2.5',
      SMTP_MAX_CONNECTIONS: '8',
      DIGEST_SCHEDULE: '0 * * * *',
      DKIM_DOMAIN: 'papers.example.org',
      DKIM_SELECTOR: 's1',
      DKIM_PRIVATE_KEY_PATH: key,
      MAIL_UNSUBSCRIBE_MAILTO: 'unsubscribe@papers.example.org',
    }).digest;
    expect(d).toMatchObject({ tokenSecrets: ['a'.repeat(32), 'b'.repeat(40)], ratePerSecond: 2.5, maxConnections: 8, schedule: '0 * * * *', unsubscribeMailto: 'unsubscribe@papers.example.org' });
    expect(d.dkim).toMatchObject({ domainName: 'papers.example.org', keySelector: 's1' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('report every problem at once', () => {
    const message = problemsOf({ TOKEN_SECRET: 'short', DKIM_DOMAIN: 'x.org', DIGEST_SCHEDULE: 'every tuesday', DIGEST_RATE_LIMIT: '-1', DIGEST_LEASE_SECONDS: '0' });
    expect(message).toContain('TOKEN_SECRET');
    expect(message).toContain('DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_PATH');
    expect(message).toContain('DIGEST_SCHEDULE');
    expect(message).toContain('DIGEST_RATE_LIMIT');
    expect(message).toContain('DIGEST_LEASE_SECONDS');
  });

  it('name an unreadable DKIM key', () => {
    expect(problemsOf({ DKIM_DOMAIN: 'x.org', DKIM_SELECTOR: 's', DKIM_PRIVATE_KEY_PATH: '/nonexistent/key.pem' })).toContain('cannot read /nonexistent/key.pem (ENOENT)');
  });
});
