import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPapers, findPaperByArxivId, listPapersChangedSince } from '../store/paper.repository.js';
import { createTestDb, enabledDialects, type TestDb } from '../store/testing/test-database.js';
import { ExitCode } from '../domain/exit-code.js';
import { runCli, sharedData } from './testing/run-cli.js';

const harvestDir = path.join(sharedData, 'arxiv/oai-pmh/arXiv-format_set-cs_harvest-2016-03-09');
const pages = fs.readdirSync(harvestDir).filter((f) => f.endsWith('.xml')).sort().map((f) => path.join(harvestDir, f));

describe.each(enabledDialects())('paperboy import on %s', (dialect) => {
  let db: TestDb;
  let tmp: string;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-import-'));
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('imports the 31 real pages into exactly 30,538 papers, and a second import changes nothing', async () => {
    expect(pages).toHaveLength(31);
    const first = await runCli(['import', '--json', ...pages], { DATABASE_URL: db.url });
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(ExitCode.ok);
    expect(JSON.parse(first.stdout)).toMatchObject({ files: 31, records: 30538, inserted: 30538, updated: 0, failed: [] });
    expect(await countPapers(db.kysely)).toBe(30538);
    const oldStyle = await findPaperByArxivId(db.kysely, 'math/0611918');
    expect(oldStyle?.title.length).toBeGreaterThan(0);

    const seqBefore = (await listPapersChangedSince(db.kysely, 0, 1_000_000)).at(-1)?.changeSeq;
    const second = await runCli(['import', '--json', ...pages], { DATABASE_URL: db.url });
    expect(second.code).toBe(ExitCode.ok);
    expect(JSON.parse(second.stdout)).toMatchObject({ records: 30538, inserted: 0, updated: 0, skipped: 30538, failed: [] });
    expect(await countPapers(db.kysely)).toBe(30538);
    expect((await listPapersChangedSince(db.kysely, 0, 1_000_000)).at(-1)?.changeSeq).toBe(seqBefore);
  });

  it('rejects a truncated file with a message naming it and its position, leaving the database as it was', async () => {
    // A real page cut in the middle of a record: its first records parse fine, then the XML ends.
    const real = fs.readFileSync(path.join(sharedData, 'arxiv/oai-pmh/arXiv-format_set-cs_harvest-2016-03-09-more/page-031.xml.gz'));
    const { gunzipSync } = await import('node:zlib');
    const text = gunzipSync(real).toString('utf8');
    const truncated = path.join(tmp, 'truncated-page.xml');
    fs.writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
    const before = await countPapers(db.kysely);

    const result = await runCli(['import', truncated], { DATABASE_URL: db.url });
    expect(result.code).toBe(ExitCode.dataError);
    expect(result.stderr).toContain('truncated-page.xml');
    expect(result.stderr).toMatch(/line \d+/);
    expect(await countPapers(db.kysely)).toBe(before);
    // The first record of that page must not have been kept.
    const firstId = /<id>([^<]+)<\/id>/.exec(text)?.[1] ?? '';
    expect(firstId).not.toBe('');
    expect(await findPaperByArxivId(db.kysely, firstId)).toBeNull();
  });

  it('exits with a usage error for a missing argument and a data error for an unreadable file', async () => {
    const usage = await runCli(['import'], { DATABASE_URL: db.url });
    expect(usage.code).toBe(ExitCode.usage);
    expect(usage.stderr).toContain('missing required argument');
    const missing = await runCli(['import', path.join(tmp, 'nope.xml')], { DATABASE_URL: db.url });
    expect(missing.code).toBe(ExitCode.dataError);
    expect(missing.stderr).toContain('nope.xml');
  });
});
