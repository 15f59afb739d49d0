import { afterEach, describe, expect, it } from 'vitest';
import { enabledDialects } from '../store/testing/test-database.js';
import { addDailyPapers, createDigestHarness, linkPath, type DigestHarness } from '../web/digest/testing/digest-harness.js';
import { digestJobs } from './digest.job.js';
import { createJobRunner } from './job-runner.js';

describe.each(enabledDialects())('the send_digests job on %s', (dialect) => {
  let h: DigestHarness | undefined;
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    await h?.close();
  });

  function startDigestJobs(app: DigestHarness['app'], config = app.config): () => Promise<void> {
    const runner = createJobRunner({ jobs: digestJobs({ config, logger: app.logger, services: app.services }), leases: app.services.jobLeases, logger: app.logger });
    runner.start();
    return () => runner.stop();
  }

  it('sends the confirmation right away and digests on its schedule', async () => {
    h = await createDigestHarness(dialect, { start: '2024-06-09T12:00:00Z', digest: { schedule: '* * * * * *', pollSeconds: 1 } });
    await addDailyPapers(h, '2024-06-08', '2024-06-10');
    stop = startDigestJobs(h.app);

    await h.app.services.digests.subscribe({ email: 'job@example.org', list: 'trending', frequency: 'daily', hour: '8', timeZone: 'UTC' });
    await h.sink.waitFor(1, 5_000);
    const token = linkPath((await h.sink.parse(h.sink.messages[0]!)).text ?? '', 'confirm').split('/').pop()!;
    await h.app.services.digests.confirm(token);

    h.setNow('2024-06-10T08:01:00Z');
    await h.sink.waitFor(2, 5_000);
    expect((await h.sink.parse(h.sink.messages[1]!)).subject).toBe('Trending papers — 2024-06-10 (3 papers)');
    // The run is recorded once the send pass finishes, a moment after the server has the mail.
    for (let i = 0; i < 100 && !(await h.app.services.digests.recentRuns(50)).some((r) => r.trigger === 'schedule' && r.sent === 1); i++) await new Promise((r) => setTimeout(r, 50));
    expect((await h.app.services.digests.recentRuns(50)).some((r) => r.trigger === 'schedule' && r.sent === 1)).toBe(true);
  });

  it('without SMTP_URL keeps confirmations and digests in the local outbox, and its links work', async () => {
    h = await createDigestHarness(dialect, { start: '2024-06-09T12:00:00Z', digest: { schedule: '* * * * * *', pollSeconds: 1 }, smtp: false });
    await addDailyPapers(h, '2024-06-08', '2024-06-10');
    stop = startDigestJobs(h.app);
    expect(h.app.services.mailOutbox.delivery).toBe('outbox');
    await h.app.services.digests.subscribe({ email: 'Outbox@Example.org', list: 'trending', frequency: 'daily', hour: '8', timeZone: 'UTC' });
    const outbox = h.app.services.mailOutbox;
    for (let i = 0; i < 100 && (await outbox.list()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const [confirm] = await outbox.list({ recipient: 'outbox@example.org' });
    expect(confirm).toMatchObject({ recipient: 'outbox@example.org', kind: 'digest', subject: expect.stringContaining('onfirm') });
    await h.app.services.digests.confirm(linkPath(confirm!.text, 'confirm').split('/').pop()!);
    h.setNow('2024-06-10T08:01:00Z');
    for (let i = 0; i < 100 && (await outbox.list()).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await outbox.list())[0]!.subject).toBe('Trending papers — 2024-06-10 (3 papers)');
    expect(h.sink.messages).toHaveLength(0);
  });
});
