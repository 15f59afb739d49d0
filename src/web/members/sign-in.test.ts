/**
 * Magic-link sign-in end to end over HTTP with a real SMTP server on loopback: the mail, the
 * confirm step, cookies, session rotation, single use with a grace window, expiry, sign-out
 * (here and everywhere) and the per-address and per-IP throttles.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../mail/testing/smtp-sink.js';
import { enabledDialects } from '../../store/testing/test-database.js';
import { createHarness, csrfFrom, signedInMember, TestClient, type Harness } from './testing/member-harness.js';

let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
});
afterAll(async () => {
  await smtp.close();
});

/** Asks for a link through the form and returns the token from the mail that arrives. */
async function requestLink(client: TestClient, email: string, headers: Record<string, string> = {}): Promise<{ token: string; status: number; text: string; html: string }> {
  const before = smtp.count();
  const form = await client.get('/signin');
  const response = await client.post('/signin', { _csrf: csrfFrom(await form.text()), email }, headers);
  if (response.status !== 200) return { token: '', status: response.status, text: '', html: '' };
  await smtp.waitFor(before + 1);
  const mail = await smtp.parse(smtp.messages[smtp.messages.length - 1]!);
  const text = mail.text ?? '';
  const token = /\/signin\/verify\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
  return { token, status: response.status, text, html: typeof mail.html === 'string' ? mail.html : '' };
}

async function openAndConfirm(client: TestClient, token: string): Promise<Response> {
  const page = await client.get(`/signin/verify?token=${token}`);
  if (page.status !== 200) return page;
  return client.post('/signin/verify', { _csrf: csrfFrom(await page.text()), token });
}

describe.each(enabledDialects())('magic-link sign-in on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect, { smtpUrl: smtp.url, members: { magicLinkGraceSeconds: 60 } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('mails a link that signs a new member in, with a hashed token and safe cookies', async () => {
    const browser = new TestClient(h.web);
    const { token, text, html } = await requestLink(browser, 'Grace.Hopper@Example.org');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(text).toContain('expires in 15 minutes');
    expect(html).toContain(`/signin/verify?token=${token}`);
    expect(smtp.messages.at(-1)!.to).toEqual(['grace.hopper@example.org']);
    // Only the hash is stored.
    const rows = await h.db.kysely.selectFrom('login_tokens').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(token);

    const confirm = await browser.get(`/signin/verify?token=${token}`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('grace.hopper@example.org');
    // Opening the link (as a mail scanner would) spends nothing.
    const page2 = await browser.get(`/signin/verify?token=${token}`);
    const signIn = await browser.post('/signin/verify', { _csrf: csrfFrom(await page2.text()), token });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/settings?welcome=1');
    const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith('pb_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i);

    const settings = await browser.get('/settings?welcome=1');
    expect(settings.status).toBe(200);
    expect(await settings.text()).toContain('Welcome to Paperboy');
  });

  it('rotates the session at sign-in and ends it at sign-out; sign-out everywhere ends them all', async () => {
    const browser = new TestClient(h.web);
    const first = await requestLink(browser, 'ada@example.org');
    await openAndConfirm(browser, first.token);
    const firstSession = browser.cookies.get('pb_session')!;
    // Opening a new link in a browser that already has a session replaces that session.
    const second = await requestLink(new TestClient(h.web), 'ada@example.org');
    expect((await openAndConfirm(browser, second.token)).status).toBe(303);
    const secondSession = browser.cookies.get('pb_session')!;
    expect(secondSession).not.toBe(firstSession);
    expect(await h.db.kysely.selectFrom('sessions').selectAll().execute()).toHaveLength(1);

    // A second device.
    const phone = new TestClient(h.web);
    const third = await requestLink(phone, 'ada@example.org');
    await openAndConfirm(phone, third.token);
    expect(await h.db.kysely.selectFrom('sessions').selectAll().execute()).toHaveLength(2);

    const settings = await (await phone.get('/settings')).text();
    const out = await phone.post('/signout/everywhere', { _csrf: csrfFrom(settings) });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie().join()).toMatch(/pb_session=;/);
    expect(await h.db.kysely.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
    const laptop = await browser.get('/settings');
    expect(laptop.status).toBe(303);
    expect(laptop.headers.get('location')).toBe('/signin?next=%2Fsettings');
  });

  it('signs out on this device only', async () => {
    const m = await signedInMember(h, 'ada@example.org');
    const other = await signedInMember(h, 'ada@example.org');
    expect((await m.client.post('/signout', { _csrf: m.csrf })).status).toBe(303);
    expect((await m.client.get('/settings')).status).toBe(303);
    expect((await other.client.get('/settings')).status).toBe(200);
  });

  it('accepts a used link again only within the grace window, then shows a clear page', async () => {
    const browser = new TestClient(h.web);
    const { token } = await requestLink(browser, 'ada@example.org');
    expect((await openAndConfirm(browser, token)).status).toBe(303);
    // A double click within the grace window still works, once.
    expect((await openAndConfirm(new TestClient(h.web), token)).status).toBe(303);
    // A third browser is refused even inside the window, and gets no session.
    const third = new TestClient(h.web);
    expect((await third.get(`/signin/verify?token=${token}`)).status).toBe(410);
    expect(third.cookies.has('pb_session')).toBe(false);
    // Later, the link is spent.
    await h.db.kysely.updateTable('login_tokens').set({ first_used_at: new Date(Date.now() - 61_000).toISOString() }).execute();
    const late = new TestClient(h.web);
    const page = await late.get(`/signin/verify?token=${token}`);
    expect(page.status).toBe(410);
    const body = await page.text();
    expect(body).toContain('This link was already used');
    expect(body).toContain('Get a new sign-in link');
    expect(late.cookies.has('pb_session')).toBe(false);
  });

  it('rejects an expired link and a made-up one with a clear page', async () => {
    const browser = new TestClient(h.web);
    const { token } = await requestLink(browser, 'ada@example.org');
    const page = await browser.get(`/signin/verify?token=${token}`);
    const csrf = csrfFrom(await page.text());
    await h.db.kysely.updateTable('login_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
    const expiredGet = await browser.get(`/signin/verify?token=${token}`);
    expect(expiredGet.status).toBe(410);
    expect(await expiredGet.text()).toContain('This link has expired');
    // Even with the confirm form already open, the POST is refused.
    const expiredPost = await browser.post('/signin/verify', { _csrf: csrf, token });
    expect(expiredPost.status).toBe(410);
    expect(browser.cookies.has('pb_session')).toBe(false);

    const bogus = await browser.get('/signin/verify?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(bogus.status).toBe(400);
    expect(await bogus.text()).toContain('This link is not valid');
    expect((await browser.get('/signin/verify?token=<script>')).status).toBe(400);
  });

  it('answers the same for unknown addresses, rejects malformed ones and ignores foreign redirect targets', async () => {
    const browser = new TestClient(h.web);
    const csrf = csrfFrom(await (await browser.get('/signin')).text());
    const bad = await browser.post('/signin', { _csrf: csrf, email: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('is not an email address');

    const page = await browser.get('/signin?next=//evil.example/x');
    const res = await browser.post('/signin', { _csrf: csrfFrom(await page.text()), email: 'new@example.org', next: '//evil.example/x' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your email');
    const stored = await h.db.kysely.selectFrom('login_tokens').select('next_path').executeTakeFirstOrThrow();
    expect(stored.next_path).toBeNull();
  });

  it('sends no link to a suspended member, with the same answer as for anybody', async () => {
    const admin = await signedInMember(h, 'mod@example.org', { admin: true });
    const { user } = await h.app.services.members.createMember({ email: 'spammer@example.org', admin: false });
    await h.app.services.members.setMemberSuspended(admin.user, user.handle, true, 'spam');
    const before = smtp.count();
    const browser = new TestClient(h.web);
    const csrf = csrfFrom(await (await browser.get('/signin')).text());
    const res = await browser.post('/signin', { _csrf: csrf, email: 'spammer@example.org' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your email');
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.count()).toBe(before);
  });

  it('throttles links per address and per client address with 429 and Retry-After', async () => {
    const browser = new TestClient(h.web);
    for (let i = 0; i < 5; i++) expect((await requestLink(browser, 'ada@example.org')).status).toBe(200);
    const sixth = await requestLink(browser, 'ada@example.org');
    expect(sixth.status).toBe(429);
    const csrf = csrfFrom(await (await browser.get('/signin')).text());
    const limited = await browser.post('/signin', { _csrf: csrf, email: 'ada@example.org' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(await limited.text()).toContain('Too many sign-in links');
  });
});

describe('sign-in limits per client address and secure cookies', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('limits links per client address behind a trusted proxy', async () => {
    h = await createHarness('sqlite', { smtpUrl: smtp.url, members: { trustProxy: true, limits: { signInPerIpPerHour: 3 } } });
    const browser = new TestClient(h.web);
    const csrf = csrfFrom(await (await browser.get('/signin')).text());
    for (let i = 0; i < 3; i++) {
      expect((await browser.post('/signin', { _csrf: csrf, email: `user${i}@example.org` }, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(200);
    }
    const blocked = await browser.post('/signin', { _csrf: csrf, email: 'user9@example.org' }, { 'x-forwarded-for': '203.0.113.7' });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    // Another address is not affected.
    expect((await browser.post('/signin', { _csrf: csrf, email: 'user9@example.org' }, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);
  });

  it('uses __Host- Secure cookies behind HTTPS', async () => {
    h = await createHarness('sqlite', { smtpUrl: smtp.url, members: { secureCookies: true } });
    const browser = new TestClient(h.web);
    const { token } = await requestLink(browser, 'ada@example.org');
    expect(browser.cookies.has('__Host-pb_csrf')).toBe(true);
    const res = await openAndConfirm(browser, token);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-pb_session='))!;
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });
});
