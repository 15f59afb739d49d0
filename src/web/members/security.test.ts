/**
 * Request safety: CSRF proof on every state-changing route (provenance headers and token), the
 * security headers, and the rate limits answering 429 with Retry-After.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { addPapers, createHarness, csrfFrom, paperRecord, signedInMember, TestClient, type Harness, type SignedInMember } from './testing/member-harness.js';

/** Fills a route pattern with values that exist, so only the CSRF check can stop the request. */
function concrete(path: string, values: { comment: string; handle: string }): string {
  return path
    .replace(/:id\{[^}]*\}/g, '2401.00001')
    .replace(/:id\b/g, '2401.00001')
    .replace(/:cid\b/g, values.comment)
    .replace(/:handle\b/g, values.handle)
    .replace(/:[a-zA-Z]+(\{[^}]*\})?/g, 'x')
    .replace(/\*/g, 'x');
}

describe.each(enabledDialects())('CSRF on %s', (dialect) => {
  let h: Harness;
  let admin: SignedInMember;
  let member: SignedInMember;
  let comment: string;
  beforeEach(async () => {
    h = await createHarness(dialect);
    await addPapers(h, paperRecord('2401.00001'));
    admin = await signedInMember(h, 'admin@example.org', { admin: true });
    member = await signedInMember(h, 'member@example.org');
    comment = (await h.app.services.members.addComment(member.user, '2401.00001', { body: 'first' })).publicId;
  });
  afterEach(async () => {
    await h.close();
  });

  function stateChangingRoutes(): { method: string; path: string }[] {
    const seen = new Set<string>();
    return h.web.routes
      .filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
      // RFC 8058 one-click unsubscribe is the one deliberate exception: its credential is the signed
      // token in the URL (forged tokens are refused in digest.routes.test.ts).
      .filter((r) => !(r.method === 'POST' && r.path.startsWith('/digest/unsubscribe/')))
      .map((r) => ({ method: r.method, path: concrete(r.path, { comment, handle: member.user.handle }) }))
      .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
  }

  it('rejects a cross-site post on every state-changing route with 403, even with a valid token', async () => {
    const routes = stateChangingRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const route of routes) {
      for (const headers of <Record<string, string>[]>[
        { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', accept: 'text/html' },
        { origin: 'https://evil.example', accept: 'text/html' },
        { origin: 'null', accept: 'text/html' },
        { 'sec-fetch-site': 'same-site', accept: 'text/html' },
      ]) {
        const res = await admin.client.request(route.method, route.path, { form: { _csrf: admin.csrf, value: '1', body: 'x', arxiv: '2401.00001', hidden: '1' }, headers });
        expect({ route: `${route.method} ${route.path}`, headers, status: res.status }).toEqual({ route: `${route.method} ${route.path}`, headers, status: 403 });
      }
    }
    const page = await admin.client.request('POST', '/papers/2401.00001/upvote', { form: { _csrf: admin.csrf, value: '1' }, headers: { origin: 'https://evil.example', accept: 'text/html' } });
    expect(await page.text()).toContain('sent from another site');
    // Nothing changed.
    expect(await h.db.kysely.selectFrom('votes').selectAll().execute()).toHaveLength(0);
    expect(await h.db.kysely.selectFrom('moderation_log').selectAll().execute()).toHaveLength(0);
    expect(await h.db.kysely.selectFrom('sessions').selectAll().execute()).toHaveLength(2);
  });

  it('rejects a same-origin post without the token, or with another session\'s token', async () => {
    for (const route of stateChangingRoutes()) {
      if (/^\/digest\/unsubscribe\/[^/]+$/.test(route.path)) continue; // RFC 8058 one-click: the signed URL is the credential
      const missing = await admin.client.request(route.method, route.path, { form: { value: '1', body: 'x' } });
      expect({ route: route.path, status: missing.status }).toEqual({ route: route.path, status: 403 });
      const foreign = await admin.client.request(route.method, route.path, { form: { _csrf: member.csrf, value: '1', body: 'x' } });
      expect({ route: route.path, status: foreign.status }).toEqual({ route: route.path, status: 403 });
    }
    expect(await h.db.kysely.selectFrom('votes').selectAll().execute()).toHaveLength(0);
  });

  it('refuses a tokenless admin post whatever the member handle in its path (even "unsubscribe")', async () => {
    // Written directly: the handle rules now reserve route words, but older accounts may hold one.
    await h.db.kysely.updateTable('users').set({ handle: 'unsubscribe' }).where('id', '=', member.user.id).execute();
    const res = await admin.client.request('POST', '/admin/members/unsubscribe/suspend', { form: { suspended: '1', reason: 'x' }, headers: { accept: 'application/json' } });
    expect(res.status).toBe(403);
    const stored = await h.db.kysely.selectFrom('users').select('status').where('id', '=', member.user.id).executeTakeFirstOrThrow();
    expect(stored.status).toBe('active');
    expect(await h.db.kysely.selectFrom('moderation_log').selectAll().execute()).toHaveLength(0);
  });

  it('accepts the token from the form field or the X-CSRF-Token header, with or without provenance headers', async () => {
    const viaField = await member.client.post('/papers/2401.00001/upvote', { _csrf: member.csrf, value: '1' }, { accept: 'application/json' });
    expect(viaField.status).toBe(200);
    // A client that sends no Origin or Sec-Fetch-Site (not a browser) still needs the token.
    const bare = new TestClient(h.web, { accept: 'application/json' });
    bare.cookies.set('pb_session', member.client.cookies.get('pb_session')!);
    expect((await bare.post('/papers/2401.00001/upvote', { value: '0' })).status).toBe(403);
    expect((await bare.post('/papers/2401.00001/upvote', { value: '0' }, { 'x-csrf-token': member.csrf })).status).toBe(200);
  });

  it('protects the sign-in form before there is a session (login CSRF)', async () => {
    const visitor = new TestClient(h.web);
    expect((await visitor.post('/signin', { email: 'victim@example.org' })).status).toBe(403);
    const token = csrfFrom(await (await visitor.get('/signin')).text());
    expect(visitor.cookies.get('pb_csrf')).toBe(token);
    const stranger = new TestClient(h.web);
    expect((await stranger.post('/signin', { _csrf: token, email: 'victim@example.org' })).status).toBe(403);
    expect((await visitor.post('/signin', { _csrf: token, email: 'visitor@example.org' })).status).toBe(200);
  });
});

describe('security headers', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness('sqlite');
  });
  afterEach(async () => {
    await h.close();
  });

  it('sends a CSP with a fresh nonce and the usual hardening headers on pages and API', async () => {
    const a = await h.web.request('http://localhost/signin');
    const b = await h.web.request('http://localhost/signin');
    for (const res of [a, b, await h.web.request('http://localhost/healthz')]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    }
    expect(a.headers.get('content-security-policy')).not.toBe(b.headers.get('content-security-policy'));
    expect(a.headers.get('strict-transport-security')).toBeNull();
    // The sign-in link page keeps its token out of Referer headers sent to other sites.
    expect((await h.web.request('http://localhost/signin/verify?token=x')).headers.get('referrer-policy')).toBe('same-origin');
  });
});

describe('rate limits', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('limits votes per member per minute', async () => {
    h = await createHarness('sqlite', { members: { limits: { votesPerMinute: 5 } } });
    await addPapers(h, paperRecord('2401.00001'));
    const m = await signedInMember(h, 'ada@example.org');
    for (let i = 0; i < 5; i++) expect((await m.client.post('/papers/2401.00001/upvote', { _csrf: m.csrf, value: String(i % 2) }, { accept: 'application/json' })).status).toBe(200);
    const res = await m.client.post('/papers/2401.00001/upvote', { _csrf: m.csrf, value: '1' }, { accept: 'application/json' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('limits comments per member per hour, counted in the database', async () => {
    h = await createHarness('sqlite', { members: { limits: { commentsPerHour: 3 } } });
    await addPapers(h, paperRecord('2401.00001'));
    const m = await signedInMember(h, 'ada@example.org');
    for (let i = 0; i < 3; i++) expect((await m.client.post('/papers/2401.00001/comments', { _csrf: m.csrf, body: `comment ${i}` })).status).toBe(303);
    const res = await m.client.post('/papers/2401.00001/comments', { _csrf: m.csrf, body: 'one too many' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect(await res.text()).toContain('many comments');
  });

  it('refuses oversized bodies with 413 before reading them', async () => {
    h = await createHarness('sqlite');
    await addPapers(h, paperRecord('2401.00001'));
    const m = await signedInMember(h, 'ada@example.org');
    const res = await m.client.post('/papers/2401.00001/comments', { _csrf: m.csrf, body: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(await h.db.kysely.selectFrom('comments').selectAll().execute()).toHaveLength(0);
  });

  it('caps state-changing requests per client address', async () => {
    h = await createHarness('sqlite', { members: { trustProxy: true } });
    const visitor = new TestClient(h.web);
    const csrf = csrfFrom(await (await visitor.get('/signin')).text());
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++) statuses.push((await visitor.post('/signin', { _csrf: csrf, email: 'not-an-email' }, { 'x-forwarded-for': '192.0.2.1' })).status);
    expect(statuses.slice(0, 120).every((s) => s === 400)).toBe(true);
    expect(statuses[120]).toBe(429);
    const other = await visitor.post('/signin', { _csrf: csrf, email: 'not-an-email' }, { 'x-forwarded-for': '192.0.2.2' });
    expect(other.status).toBe(400);
  });
});
