/**
 * Test harness for the member side: a fresh migrated database on a dialect, the real app and
 * web app built from a test config, a cookie-keeping client for `app.request()`, and members
 * with live sessions (made through the store, so specs that are not about sign-in stay fast).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { createApp, type App } from '../../../app.js';
import { buildConfig, type ConfigOverrides } from '../../../config/config.js';
import type { PaperRecord } from '../../../domain/paper.js';
import { emptyPaperRecord } from '../../../domain/paper.js';
import type { User } from '../../../domain/user.js';
import { createLogger, type Logger } from '../../../logger.js';
import { upsertPapers } from '../../../store/paper.repository.js';
import { insertSession } from '../../../store/session.repository.js';
import { createTestDb, type TestDb } from '../../../store/testing/test-database.js';
import type { Dialect } from '../../../store/database.js';
import { createWebApp } from '../../web-app.js';

export const ORIGIN = 'http://localhost';

export interface Harness {
  db: TestDb;
  app: App;
  web: Hono;
  close(): Promise<void>;
}

export async function createHarness(
  dialect: Dialect,
  options: { members?: ConfigOverrides['members']; smtpUrl?: string; extraAllowedHosts?: string[]; denseSearch?: ConfigOverrides['denseSearch']; http?: ConfigOverrides['http']; logger?: Logger } = {},
): Promise<Harness> {
  const db = await createTestDb(dialect);
  const config = buildConfig({
    database: dialect === 'sqlite' ? { dialect: 'sqlite', file: db.url.slice('sqlite:'.length), url: db.url } : { dialect: 'postgres', url: db.url },
    publicUrl: ORIGIN,
    logLevel: 'silent',
    mail: { smtpUrl: options.smtpUrl ?? null },
    harvest: { extraAllowedHosts: options.extraAllowedHosts ?? [] },
    ...(options.members ? { members: options.members } : {}),
    ...(options.denseSearch ? { denseSearch: options.denseSearch } : {}),
    ...(options.http ? { http: options.http } : {}),
  });
  const app = await createApp(config, { db, logger: options.logger ?? createLogger('silent'), migrate: false });
  const web = createWebApp({ services: app.services, logger: app.logger, http: app.config.http });
  return {
    db,
    app,
    web,
    close: async () => {
      app.services.members.close();
      await db.destroy();
    },
  };
}

export function paperRecord(arxivId: string, overrides: Partial<PaperRecord> = {}): PaperRecord {
  return {
    ...emptyPaperRecord(arxivId),
    title: `A study of ${arxivId}`,
    abstract: 'We study things.',
    authors: [{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }],
    categories: ['cs.LG'],
    primaryCategory: 'cs.LG',
    publishedAt: '2024-01-15T00:00:00Z',
    latestVersion: 1,
    ...overrides,
  };
}

export async function addPapers(h: Harness, ...records: PaperRecord[]): Promise<void> {
  await h.db.kysely.transaction().execute((trx) => upsertPapers(trx, records.map((paper) => ({ kind: 'paper' as const, paper, datestamp: null }))));
}

/** A cookie-keeping client over `app.request()`; by default it looks like a same-origin browser. */
export class TestClient {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly web: Hono,
    private readonly defaults: Record<string, string> = { origin: ORIGIN, 'sec-fetch-site': 'same-origin', accept: 'text/html' },
  ) {}

  async request(method: string, path: string, init: { form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(method === 'GET' ? { accept: 'text/html' } : this.defaults), ...init.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await this.web.request(`${ORIGIN}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, headers ? { headers } : {});
  }

  post(path: string, form: Record<string, string>, headers?: Record<string, string>) {
    return this.request('POST', path, { form, ...(headers ? { headers } : {}) });
  }
}

/** The value of the hidden `_csrf` field in a page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF field in page');
  return m[1];
}

export interface SignedInMember {
  user: User;
  client: TestClient;
  csrf: string;
}

/** A member with a live session (inserted directly; sign-in itself has its own specs). */
export async function signedInMember(h: Harness, email: string, options: { admin?: boolean } = {}): Promise<SignedInMember> {
  const { user } = await h.app.services.members.createMember({ email, admin: options.admin ?? false });
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  const now = new Date();
  await insertSession(h.db.kysely, {
    id: createHash('sha256').update(token).digest('hex'),
    userId: user.id,
    csrfToken: csrf,
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
    userAgent: 'test',
    ip: null,
  });
  const client = new TestClient(h.web);
  client.cookies.set('pb_session', token);
  return { user, client, csrf };
}
