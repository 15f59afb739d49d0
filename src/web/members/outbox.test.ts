/**
 * A fresh install without SMTP_URL, on every dialect: asking for a sign-in link says honestly
 * that the server sends no mail; the link is in the outbox (CLI and admin page) and signs in;
 * only admins see the outbox page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { runCli } from '../../cli/testing/run-cli.js';
import { createHarness, csrfFrom, signedInMember, TestClient, type Harness } from './testing/member-harness.js';

describe.each(enabledDialects())('sign-in through the outbox on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect);
  });
  afterAll(async () => {
    await h.close();
  });

  it('keeps the link in the outbox, says so, and the link signs in', async () => {
    const browser = new TestClient(h.web);
    const form = await (await browser.get('/signin')).text();
    const sent = await browser.post('/signin', { _csrf: csrfFrom(form), email: 'New@Example.org' });
    expect(sent.status).toBe(200);
    const page = await sent.text();
    expect(page).toContain('This server does not send mail');
    expect(page).toContain('paperboy mail outbox');
    expect(page).not.toContain('on its way');

    const [mail] = await h.app.services.mailOutbox.list({ recipient: 'new@example.org' });
    expect(mail).toMatchObject({ kind: 'sign-in', subject: 'Your Paperboy sign-in link' });
    const cli = await runCli(['mail', 'outbox'], { DATABASE_URL: h.db.url });
    expect(cli.stdout).toContain('to new@example.org');
    const link = /\/signin\/verify\?token=[A-Za-z0-9_-]+/.exec(cli.stdout)![0];
    expect(mail!.text).toContain(link);

    const confirm = await browser.get(link);
    expect(confirm.status).toBe(200);
    const signedIn = await browser.post('/signin/verify', { _csrf: csrfFrom(await confirm.text()), token: link.split('token=')[1]! });
    expect(signedIn.status).toBe(303);
    expect(await (await browser.get('/settings')).text()).toContain('new@example.org');
  });

  it('shows the outbox to admins only', async () => {
    const admin = await signedInMember(h, 'admin@example.org', { admin: true });
    const page = await admin.client.get('/admin/outbox');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('new@example.org');
    expect(html).toMatch(/<a href="http:\/\/localhost\/signin\/verify\?token=/);
    const member = await signedInMember(h, 'member@example.org');
    expect((await member.client.get('/admin/outbox')).status).toBe(403);
    expect((await new TestClient(h.web).get('/admin/outbox')).status).toBe(303);
  });
});
