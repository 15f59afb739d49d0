import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyPaperRecord, type IngestItem, type PaperRecord } from '../../domain/paper.js';
import { createLogger } from '../../logger.js';
import { upsertPapers } from '../../store/paper.repository.js';
import { createTestDb, enabledDialects, type TestDb } from '../../store/testing/test-database.js';
import { createPaperSearchEngine } from './paper-search-engine.js';

function paper(id: string, title: string, abstract: string, extra: Partial<PaperRecord> = {}): IngestItem {
  return {
    kind: 'paper',
    datestamp: null,
    paper: { ...emptyPaperRecord(id), title, abstract, authors: [{ name: 'Grace Hopper' }], categories: ['cs.LG'], primaryCategory: 'cs.LG', publishedAt: '2024-01-01', ...extra },
  };
}

const CORPUS = [
  paper('2401.00001', 'Self-supervised representation learning for cardiac MRI', 'We learn heart representations from unlabeled cine MRI.'),
  paper('2401.00002', 'Graph neural networks for molecules', 'Message passing over molecular graphs predicts properties.'),
  paper('2401.00003', 'ECG foundation models', 'A 12-lead ECG transformer pretrained on a million recordings.', { categories: ['eess.SP'], primaryCategory: 'eess.SP', publishedAt: '2023-05-01' }),
];

describe.each(enabledDialects())('search engine kept in step with the store on %s', (dialect) => {
  let db: TestDb;
  let dir: string;
  const logger = createLogger('silent');
  beforeEach(async () => {
    db = await createTestDb(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-index-'));
    await upsertPapers(db.kysely, CORPUS);
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds papers, follows updates and deletions from the change log, and filters', async () => {
    const engine = createPaperSearchEngine({ db, logger, snapshotDir: null });
    const first = await engine.search('cardiac representation learning', { limit: 10 });
    expect(first.hits[0]?.paper.arxivId).toBe('2401.00001');
    expect(first.hits[0]?.highlightedTitle.some((s) => s.type === 'highlight' && /cardiac/i.test(s.text))).toBe(true);

    await upsertPapers(db.kysely, [paper('2401.00002', 'Graph neural networks for cardiac digital twins', 'Message passing over heart meshes.')]);
    await upsertPapers(db.kysely, [{ kind: 'deleted', arxivId: '2401.00001', datestamp: null }]);
    const after = await engine.search('cardiac', { limit: 10 });
    expect(after.hits.map((h) => h.paper.arxivId)).toEqual(['2401.00002']);

    const ecg = await engine.search('ECG', { limit: 10, filter: { categories: ['eess.SP'], publishedFrom: '2023-01-01', publishedTo: '2023-12-31' } });
    expect(ecg.hits.map((h) => h.paper.arxivId)).toEqual(['2401.00003']);
    const none = await engine.search('ECG', { limit: 10, filter: { categories: ['cs.LG'] } });
    expect(none.hits).toEqual([]);
  });

  it('snapshots to disk and a new process resumes from the snapshot plus later changes', async () => {
    const engine = createPaperSearchEngine({ db, logger, snapshotDir: dir });
    const built = await engine.rebuild();
    expect(built.documents).toBe(3);
    expect(built.snapshotBytes).toBeGreaterThan(0);
    await upsertPapers(db.kysely, [paper('2401.00004', 'Echocardiography video segmentation', 'Cardiac ultrasound segmentation with transformers.')]);

    const restarted = createPaperSearchEngine({ db, logger, snapshotDir: dir });
    const hits = await restarted.search('cardiac', { limit: 10 });
    expect(hits.hits.map((h) => h.paper.arxivId).sort()).toEqual(['2401.00001', '2401.00004']);
    expect((await restarted.stats()).documents).toBe(4);

    // A rebuild from the database alone gives the same results.
    const rebuilt = createPaperSearchEngine({ db, logger, snapshotDir: null });
    await rebuilt.rebuild();
    const again = await rebuilt.search('cardiac', { limit: 10 });
    expect(again.hits.map((h) => [h.paper.arxivId, h.score])).toEqual(hits.hits.map((h) => [h.paper.arxivId, h.score]));
  });

  it('a rebuild that tokenizes on worker threads answers exactly as one that adds paper by paper', async () => {
    await upsertPapers(db.kysely, [paper('2401.00004', 'Echocardiography video segmentation', 'Cardiac ultrasound segmentation with transformers.')]);
    await upsertPapers(db.kysely, [{ kind: 'deleted', arxivId: '2401.00002', datestamp: null }]);
    await upsertPapers(db.kysely, [paper('2401.00005', 'Cardiac graph networks', 'Message passing over heart meshes and molecular graphs.')]);
    const oneByOne = createPaperSearchEngine({ db, logger, snapshotDir: null });
    const bulk = createPaperSearchEngine({ db, logger, snapshotDir: null, bulkLoadFrom: 1 });
    expect((await bulk.rebuild()).documents).toBe(4);
    await oneByOne.rebuild();
    for (const q of ['cardiac', 'graph networks', 'ECG transformer', 'message passing']) {
      const scored = async (engine: typeof bulk) => (await engine.search(q, { limit: 10 })).hits.map((h) => [h.paper.arxivId, h.score]);
      expect(await scored(bulk), q).toEqual(await scored(oneByOne));
    }
    expect((await bulk.search('molecules', { limit: 10 })).hits).toEqual([]);
    expect(await bulk.complete('car')).toEqual(await oneByOne.complete('car'));
  });

  it('ignores a damaged snapshot and rebuilds from the database', async () => {
    fs.writeFileSync(path.join(dir, 'lexical.idx'), 'not an index');
    fs.writeFileSync(path.join(dir, 'lexical.state.json'), JSON.stringify({ lastSeq: 1 }));
    const engine = createPaperSearchEngine({ db, logger, snapshotDir: dir });
    expect((await engine.search('ECG', { limit: 5 })).hits.map((h) => h.paper.arxivId)).toEqual(['2401.00003']);
    expect((await engine.stats()).documents).toBe(3);
  });
});
