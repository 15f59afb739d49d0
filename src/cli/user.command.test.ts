import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByEmail } from '../store/user.repository.js';
import { createTestDb, enabledDialects, type TestDb } from '../store/testing/test-database.js';
import { runCli } from './testing/run-cli.js';

describe.each(enabledDialects())('paperboy user create on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(dialect);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('creates an admin, promotes an existing member, and refuses a bad address', async () => {
    const created = await runCli(['user', 'create', '--admin', 'Root@Example.org'], { DATABASE_URL: db.url });
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^root@example\.org: created \(admin, @member-[a-f0-9]{8}\)/);
    expect((await findUserByEmail(db.kysely, 'root@example.org'))?.role).toBe('admin');

    expect((await runCli(['user', 'create', 'ada@example.org'], { DATABASE_URL: db.url })).stdout).toContain('created (member');
    const promoted = await runCli(['user', 'create', '--admin', 'ada@example.org'], { DATABASE_URL: db.url });
    expect(promoted.stdout).toContain('promoted to admin');
    expect((await findUserByEmail(db.kysely, 'ada@example.org'))?.role).toBe('admin');

    // Without SMTP: a one-time link printed for the new member, and the outbox named; it reads back.
    const link = /(http\S+\/signin\/verify\?token=[A-Za-z0-9_-]+)/.exec(created.stdout)?.[1];
    expect(link).toBeDefined();
    expect(created.stdout).toContain('paperboy mail outbox');
    const outbox = await runCli(['mail', 'outbox'], { DATABASE_URL: db.url });
    expect(outbox.code).toBe(0);
    expect(outbox.stdout).toContain('The outbox is empty.');
    expect((await runCli(['mail', 'outbox', '--show', '99'], { DATABASE_URL: db.url })).code).not.toBe(0);

    const bad = await runCli(['user', 'create', '--admin', 'not-an-address'], { DATABASE_URL: db.url });
    expect(bad.code).toBe(65);
    expect(bad.stderr).toContain('is not an email address');
  });
});
