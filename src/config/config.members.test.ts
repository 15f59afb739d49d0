import { describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.js';
import { buildConfig, loadConfig } from './config.js';

describe('member settings', () => {
  it('has safe defaults and turns on Secure cookies behind an https public URL', () => {
    const plain = loadConfig({});
    expect(plain.members.secureCookies).toBe(false);
    expect(plain.members.arxivApiUrl).toBe('https://export.arxiv.org/api/query');
    expect(plain.members.limits).toEqual({ signInPerEmailPerHour: 5, signInPerIpPerHour: 20, votesPerMinute: 60, commentsPerHour: 30 });
    expect(plain.mail.smtpUrl).toBeNull();
    expect(loadConfig({ PUBLIC_URL: 'https://papers.example.org' }).members.secureCookies).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'https://papers.example.org', COOKIE_SECURE: 'false' }).members.secureCookies).toBe(false);
    expect(loadConfig({ SMTP_URL: 'smtp://mail.example.org:587', TRUST_PROXY: 'true' })).toMatchObject({ mail: { smtpUrl: 'smtp://mail.example.org:587' }, members: { trustProxy: true } });
  });

  it('reports a non-arXiv API host together with every other problem', () => {
    let error: unknown;
    try {
      loadConfig({ ARXIV_API_URL: 'http://169.254.169.254/latest', SMTP_URL: 'http://mail', SUBMISSIONS_PER_DAY: '-1', COOKIE_SECURE: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['ARXIV_API_URL', 'SMTP_URL', 'SUBMISSIONS_PER_DAY', 'COOKIE_SECURE']) expect(message).toContain(name);
    expect(loadConfig({ ARXIV_API_URL: 'http://127.0.0.1:9999/api/query', PAPERBOY_EXTRA_ALLOWED_HOSTS: '127.0.0.1:9999' }).members.arxivApiUrl).toBe('http://127.0.0.1:9999/api/query');
  });

  it('lets tests override single member settings', () => {
    const config = buildConfig({ database: { dialect: 'sqlite', file: ':memory:', url: 'sqlite::memory:' }, members: { limits: { votesPerMinute: 2 } } });
    expect(config.members.limits.votesPerMinute).toBe(2);
    expect(config.members.limits.commentsPerHour).toBe(30);
    expect(config.members.submissionsPerDay).toBe(5);
  });
});
