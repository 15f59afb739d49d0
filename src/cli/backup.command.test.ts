/**
 * `paperboy backup` and `paperboy restore` through the real CLI. SQLite: a backup taken while
 * the app has the database open restores into a new place and serves exactly what was there
 * when it was taken (a paper and its vote, not what came after); a restore over a database keeps
 * the replaced one; a file that is not a Paperboy database is refused with exit 65 and nothing
 * is touched. PostgreSQL: both commands point to pg_dump and exit with 64.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { buildConfig } from '../config/config.js';
import { createLogger } from '../logger.js';
import { enabledDialects, createTestDb } from '../store/testing/test-database.js';
import { createWebApp } from '../web/web-app.js';
import { addPapers, createHarness, paperRecord, signedInMember, type Harness } from '../web/members/testing/member-harness.js';
import { runCli } from './testing/run-cli.js';

describe.runIf(enabledDialects().includes('sqlite'))('paperboy backup and restore on sqlite', () => {
  const dirs: string[] = [];
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-backup-'));
    dirs.push(d);
    return d;
  };

  it('backs up a database in use and restores it elsewhere, where it serves what the backup held', async () => {
    h = await createHarness('sqlite', { members: { limits: { votesPerMinute: 100 } } });
    await addPapers(h, paperRecord('2401.00001', { title: 'Kept by the backup' }));
    const m = await signedInMember(h, 'voter@example.org');
    expect((await m.client.post('/papers/2401.00001/upvote', { _csrf: m.csrf, value: '1' }, { accept: 'application/json' })).status).toBe(200);
    const backup = path.join(tempDir(), 'paperboy.backup.db');
    const backedUp = await runCli(['backup', backup], { DATABASE_URL: h.db.url });
    expect(backedUp.stderr).toBe('');
    expect(backedUp.code).toBe(0);
    expect(backedUp.stdout).toMatch(/^backed up [\d.]+ MB to .*paperboy\.backup\.db/);
    // Written after the backup: not in it.
    await addPapers(h, paperRecord('2401.00002', { title: 'After the backup' }));
    expect((await runCli(['backup', backup], { DATABASE_URL: h.db.url })).code).toBe(65);

    const target = path.join(tempDir(), 'restored', 'paperboy.db');
    const restored = await runCli(['restore', backup], { DATABASE_URL: `sqlite:${target}` });
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`restored`);
    const config = buildConfig({ database: { dialect: 'sqlite', file: target, url: `sqlite:${target}` }, logLevel: 'silent' });
    const app = await createApp(config, { logger: createLogger('silent') });
    try {
      const web = createWebApp({ services: app.services, logger: app.logger, http: config.http });
      const paper = await web.request('http://localhost/api/papers/2401.00001');
      expect(paper.status).toBe(200);
      expect(await paper.json()).toMatchObject({ id: '2401.00001', title: 'Kept by the backup', upvotes: 1 });
      expect((await web.request('http://localhost/api/papers/2401.00002')).status).toBe(404);
      expect(((await (await web.request('http://localhost/api/papers/search?q=kept')).json()) as { paper: { id: string } }[]).map((i) => i.paper.id)).toEqual(['2401.00001']);
    } finally {
      await app.close();
    }
  });

  it('keeps the database a restore replaces, and refuses a file that is not a Paperboy database', async () => {
    const db = await createTestDb('sqlite');
    const file = db.url.slice('sqlite:'.length);
    try {
      const backup = path.join(tempDir(), 'b.db');
      expect((await runCli(['backup', backup], { DATABASE_URL: db.url })).code).toBe(0);
      const restored = await runCli(['restore', backup], { DATABASE_URL: db.url });
      expect(restored.code).toBe(0);
      const kept = fs.readdirSync(path.dirname(file)).filter((f) => f.includes('.before-restore-'));
      expect(kept).toHaveLength(1);
      expect(restored.stdout).toContain(kept[0]);

      const junk = path.join(tempDir(), 'junk.db');
      fs.writeFileSync(junk, 'not a database at all');
      const before = fs.readFileSync(file);
      const refused = await runCli(['restore', junk], { DATABASE_URL: db.url });
      expect(refused.code).toBe(65);
      expect(refused.stderr).toContain('is not a readable SQLite database');
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect((await runCli(['restore', path.join(tempDir(), 'missing.db')], { DATABASE_URL: db.url })).stderr).toContain('does not exist');
    } finally {
      await db.destroy();
    }
  });
});

describe.runIf(enabledDialects().includes('postgres'))('paperboy backup on postgres', () => {
  it('points to pg_dump and pg_restore and exits with 64', async () => {
    const db = await createTestDb('postgres');
    try {
      const backup = await runCli(['backup', path.join(os.tmpdir(), 'never-written.db')], { DATABASE_URL: db.url });
      expect(backup.code).toBe(64);
      expect(backup.stderr).toContain('pg_dump');
      const restore = await runCli(['restore', 'x.dump'], { DATABASE_URL: db.url });
      expect(restore.code).toBe(64);
      expect(restore.stderr).toContain('pg_restore');
    } finally {
      await db.destroy();
    }
  });
});
