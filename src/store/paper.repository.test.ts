import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyPaperRecord, type IngestItem, type PaperRecord } from '../domain/paper.js';
import { countPapers, findPaperByArxivId, listPapersChangedSince, listRecentPapers, upsertPapers } from './paper.repository.js';
import { createTestDb, enabledDialects, type TestDb } from './testing/test-database.js';

function paper(id: string, overrides: Partial<PaperRecord> = {}): IngestItem {
  return {
    kind: 'paper',
    datestamp: '2024-01-02',
    paper: {
      ...emptyPaperRecord(id),
      title: `Title of ${id}`,
      abstract: 'We study $\\alpha$-stable graphs.',
      authors: [{ name: 'Ada Lovelace', keyname: 'Lovelace', forenames: 'Ada' }, { name: 'Alan Turing' }],
      categories: ['cs.LG', 'stat.ML'],
      primaryCategory: 'cs.LG',
      publishedAt: '2024-01-01',
      ...overrides,
    },
  };
}

describe.each(enabledDialects())('paper repository on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('inserts, then skips identical records, then updates changed ones', async () => {
    const batch = [paper('2401.00001'), paper('2401.00002'), paper('math/0611918')];
    expect(await upsertPapers(db.kysely, batch)).toEqual({ inserted: 3, updated: 0, skipped: 0, deleted: 0 });
    expect(await upsertPapers(db.kysely, batch)).toEqual({ inserted: 0, updated: 0, skipped: 3, deleted: 0 });
    const changed = paper('2401.00002', { title: 'A better title' });
    expect(await upsertPapers(db.kysely, [changed])).toEqual({ inserted: 0, updated: 1, skipped: 0, deleted: 0 });

    const stored = await findPaperByArxivId(db.kysely, '2401.00002');
    expect(stored?.title).toBe('A better title');
    expect(stored?.authors.map((a) => a.name)).toEqual(['Ada Lovelace', 'Alan Turing']);
    expect((await findPaperByArxivId(db.kysely, 'math/0611918'))?.categories).toEqual(['cs.LG', 'stat.ML']);
    expect(await countPapers(db.kysely)).toBe(3);
  });

  it('keeps raw TeX and accumulates versions across sources', async () => {
    await upsertPapers(db.kysely, [paper('2401.00003', { latestVersion: 2, versions: [{ version: 1, submittedAt: '2024-01-01T10:00:00.000Z' }, { version: 2, submittedAt: '2024-02-01T10:00:00.000Z', size: '120kb' }] })]);
    // A later source without version history must not erase the versions.
    await upsertPapers(db.kysely, [paper('2401.00003', { latestVersion: 2, title: 'Renamed' })]);
    const stored = await findPaperByArxivId(db.kysely, '2401.00003');
    expect(stored?.abstract).toBe('We study $\\alpha$-stable graphs.');
    expect(stored?.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(stored?.versions[1]?.size).toBe('120kb');
  });

  it('ignores a record older than the stored version', async () => {
    await upsertPapers(db.kysely, [paper('2401.00004', { latestVersion: 3, title: 'v3 title' })]);
    const summary = await upsertPapers(db.kysely, [paper('2401.00004', { latestVersion: 1, title: 'v1 title' })]);
    expect(summary.skipped).toBe(1);
    expect((await findPaperByArxivId(db.kysely, '2401.00004'))?.title).toBe('v3 title');
  });

  it('marks deleted records and exposes every change in sequence order', async () => {
    await upsertPapers(db.kysely, [paper('2401.00005'), paper('2401.00006')]);
    const before = await listPapersChangedSince(db.kysely, 0, 100);
    expect(before.map((p) => p.arxivId)).toEqual(['2401.00005', '2401.00006']);
    const lastSeq = before.at(-1)!.changeSeq;

    const summary = await upsertPapers(db.kysely, [{ kind: 'deleted', arxivId: '2401.00005', datestamp: '2024-03-01' }]);
    expect(summary.deleted).toBe(1);
    const after = await listPapersChangedSince(db.kysely, lastSeq, 100);
    expect(after.map((p) => [p.arxivId, p.deleted])).toEqual([['2401.00005', true]]);
    expect(await countPapers(db.kysely)).toBe(1);
    expect((await listRecentPapers(db.kysely, { limit: 10 })).map((p) => p.arxivId)).toEqual(['2401.00006']);
  });

  it('rolls back a whole batch when the transaction fails', async () => {
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await upsertPapers(trx, [paper('2401.00007')]);
        throw new Error('file was truncated');
      }),
    ).rejects.toThrow('file was truncated');
    expect(await findPaperByArxivId(db.kysely, '2401.00007')).toBeNull();
    expect(await listPapersChangedSince(db.kysely, 0, 10)).toEqual([]);
  });

  it('lists recent papers by category, newest first', async () => {
    await upsertPapers(db.kysely, [
      paper('2401.00008', { publishedAt: '2024-01-08', categories: ['cs.AI'], primaryCategory: 'cs.AI' }),
      paper('2401.00009', { publishedAt: '2024-01-09' }),
      paper('2401.00010', { publishedAt: '2024-01-10', categories: ['cs.AI', 'cs.LG'], primaryCategory: 'cs.AI' }),
    ]);
    const ai = await listRecentPapers(db.kysely, { limit: 10, category: 'cs.AI' });
    expect(ai.map((p) => p.arxivId)).toEqual(['2401.00010', '2401.00008']);
  });
});

describe.each(enabledDialects())('merging sources on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('fills and corrects fields from a second source without blanking what the first one said', async () => {
    await upsertPapers(db.kysely, [paper('2401.00011', { license: 'http://creativecommons.org/licenses/by/4.0/', acmClass: 'I.2.6', doi: null })]);
    // e.g. an RSS item: no license, no ACM class, no authors parsed, but a DOI and a new title.
    await upsertPapers(db.kysely, [paper('2401.00011', { license: null, acmClass: null, doi: '10.1000/xyz', title: 'Corrected title', authors: [] })]);
    const stored = await findPaperByArxivId(db.kysely, '2401.00011');
    expect(stored).toMatchObject({ license: 'http://creativecommons.org/licenses/by/4.0/', acmClass: 'I.2.6', doi: '10.1000/xyz', title: 'Corrected title' });
    expect(stored?.authors.map((a) => a.name)).toEqual(['Ada Lovelace', 'Alan Turing']);
  });
});
