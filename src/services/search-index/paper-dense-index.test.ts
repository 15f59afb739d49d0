import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DENSE_SEARCH_CONFIG, type DenseSearchConfig } from '../../config/config.js';
import { emptyPaperRecord, type IngestItem } from '../../domain/paper.js';
import { createLogger } from '../../logger.js';
import { seededRandom } from '../../search/seeded-random.js';
import { upsertPapers } from '../../store/paper.repository.js';
import { createTestDb, enabledDialects, type TestDb } from '../../store/testing/test-database.js';
import { createPaperDenseIndex } from './paper-dense-index.js';
import { createPaperSearchEngine, toSearchDocument } from './paper-search-engine.js';

const CARDIAC = ['cardiac', 'heart', 'ecg', 'myocardial', 'ventricle', 'arrhythmia', 'echocardiography', 'atrial'];
const MOLECULES = ['graph', 'molecule', 'message', 'passing', 'chemistry', 'bond', 'atom', 'ligand'];
const COMMON = ['learning', 'model', 'data', 'results', 'method'];

function paper(id: string, title: string, abstract: string): IngestItem {
  return {
    kind: 'paper',
    datestamp: null,
    paper: { ...emptyPaperRecord(id), title, abstract, authors: [{ name: 'Ada Lovelace' }], categories: ['cs.LG'], primaryCategory: 'cs.LG', publishedAt: '2024-02-01' },
  };
}

/** Two topics of 30 papers each, every paper a seeded draw of its topic's words. */
function corpus(): IngestItem[] {
  const random = seededRandom(7);
  const pick = (words: readonly string[], n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]!).join(' ');
  const items: IngestItem[] = [];
  for (let i = 0; i < 60; i++) {
    const words = i % 2 === 0 ? CARDIAC : MOLECULES;
    items.push(paper(`2402.${String(i).padStart(5, '0')}`, pick(words, 5), `${pick(words, 12)} ${pick(COMMON, 3)}`));
  }
  // Cardiac without the word "heart": only the learned side connects it to a query for "heart".
  items.push(paper('2402.09999', 'Arrhythmia detection from atrial ECG', 'Myocardial ventricle echocardiography ecg atrial arrhythmia cardiac signals.'));
  return items;
}

/** Generated papers alternate topics; the two hand-written ones (09999, 10000) are cardiac. */
const isCardiac = (id: string) => id.startsWith('2403.') || Number(id.slice(5)) % 2 === 0 || id === '2402.09999';

const denseConfig: DenseSearchConfig = { ...DEFAULT_DENSE_SEARCH_CONFIG, dimensions: 2, minPapers: 20 };

describe.each(enabledDialects())('learned paper vectors in the search engine on %s', (dialect) => {
  let db: TestDb;
  let dir: string;
  const logger = createLogger('silent');
  const engineWith = (config: DenseSearchConfig = denseConfig, snapshotDir: string | null = dir, annMinVectors?: number, annRefreshMin?: number) =>
    createPaperSearchEngine({ db, logger, snapshotDir, dense: createPaperDenseIndex({ db, logger, config, snapshotDir, toDocument: toSearchDocument, ...(annMinVectors ? { annMinVectors } : {}), ...(annRefreshMin ? { annRefreshMin } : {}) }) });

  beforeEach(async () => {
    db = await createTestDb(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-dense-'));
    await upsertPapers(db.kysely, corpus());
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ranks hybrid: a paper without the query word is found through its topic', async () => {
    const engine = engineWith();
    const built = await engine.rebuild();
    expect(built.dense).toMatchObject({ documents: 61, provider: 'contrastive-2' });
    const lexical = await engine.search('heart', { limit: 100, lexicalOnly: true });
    expect(lexical.hits.map((h) => h.paper.arxivId)).not.toContain('2402.09999');
    const hybrid = await engine.search('heart', { limit: 100 });
    const ids = hybrid.hits.map((h) => h.paper.arxivId);
    expect(ids).toContain('2402.09999');
    // Papers with the word still come first; the learned side adds, it does not reorder them away.
    expect(ids.slice(0, lexical.hits.length).sort()).toEqual(lexical.hits.map((h) => h.paper.arxivId).sort());
    // No molecule paper is pulled in above a cardiac one.
    const firstMolecule = ids.findIndex((id) => !isCardiac(id));
    expect(firstMolecule === -1 || firstMolecule > ids.indexOf('2402.09999')).toBe(true);
  });

  it('says what search by meaning added: papers without the query word are marked, related words named; expand off keeps to the words', async () => {
    const engine = engineWith();
    await engine.rebuild();
    const hybrid = await engine.search('heart', { limit: 100 });
    expect(hybrid.mode).toBe('hybrid');
    const byMeaning = hybrid.hits.filter((h) => h.byMeaning).map((h) => h.paper.arxivId);
    expect(byMeaning).toContain('2402.09999');
    // Marked exactly when the paper does not contain the word.
    for (const h of hybrid.hits) expect(h.byMeaning).toBe(!/heart/i.test(`${h.paper.title} ${h.paper.abstract}`));
    // Related words come from the results, are cardiac vocabulary, never the query's own word.
    expect(hybrid.related.length).toBeGreaterThan(0);
    expect(hybrid.related.length).toBeLessThanOrEqual(5);
    for (const w of hybrid.related) expect(CARDIAC.filter((c) => c !== 'heart')).toContain(w.toLowerCase());

    const words = await engine.search('heart', { limit: 100, expand: false });
    expect(words.mode).toBe('lexical');
    expect(words.related).toEqual([]);
    expect(words.hits.length).toBeGreaterThan(0);
    expect(words.hits.every((h) => !h.byMeaning)).toBe(true);
    expect(words.hits.map((h) => h.paper.arxivId)).not.toContain('2402.09999');
  });

  it('finds similar papers by vector, follows the change log and drops deleted papers', async () => {
    const engine = engineWith();
    await engine.rebuild();
    const similar = await engine.similar('2402.09999', 10);
    expect(similar).toHaveLength(10);
    expect(similar!.every(isCardiac)).toBe(true);
    expect(similar).not.toContain('2402.09999');

    await upsertPapers(db.kysely, [paper('2402.10000', 'Heart failure prediction', 'cardiac myocardial ventricle heart ecg')]);
    await upsertPapers(db.kysely, [{ kind: 'deleted', arxivId: '2402.00000', datestamp: null }]);
    const stats = await engine.stats();
    expect(stats.dense).toMatchObject({ documents: 61, seq: stats.lastSeq });
    const after = await engine.similar('2402.10000', 61);
    expect(after).not.toContain('2402.00000');
    expect(after!.slice(0, 10).every(isCardiac)).toBe(true);
  });

  it('hands "For you" the papers\' learned vectors: unit length, alike within a topic, none for an unknown or deleted paper', async () => {
    const engine = engineWith();
    await engine.rebuild();
    await upsertPapers(db.kysely, [{ kind: 'deleted', arxivId: '2402.00004', datestamp: null }]);
    const vectors = await engine.paperVectors(['2402.09999', '2402.00002', '2402.00001', '2402.00004', '9999.99999']);
    expect([...vectors.keys()]).toEqual(['2402.09999', '2402.00002', '2402.00001']);
    for (const v of vectors.values()) expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    // Two cardiac papers point more the same way than a cardiac and a molecules paper.
    expect(cos(vectors.get('2402.09999')!, vectors.get('2402.00002')!)).toBeGreaterThan(cos(vectors.get('2402.09999')!, vectors.get('2402.00001')!));
  });

  it('snapshots model and vectors; a new engine resumes from them, and a different model setting rebuilds', async () => {
    await engineWith().rebuild();
    expect(fs.existsSync(path.join(dir, 'dense.vec'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'dense.model'))).toBe(true);
    const resumed = engineWith();
    const stats = await resumed.stats();
    expect(stats.dense).toMatchObject({ documents: 61, provider: 'contrastive-2' });
    // The resumed engine embeds queries with the snapshotted model: the same vectors, the same answers.
    const before = await engineWith().search('heart', { limit: 100 });
    expect((await resumed.search('heart', { limit: 100 })).hits.map((h) => h.paper.arxivId)).toEqual(before.hits.map((h) => h.paper.arxivId));
    expect(before.hits.map((h) => h.paper.arxivId)).toContain('2402.09999');

    const changed = engineWith({ ...denseConfig, dimensions: 3 });
    expect((await changed.stats()).dense).toBeNull();
    await changed.settled();
    expect((await changed.stats()).dense).toMatchObject({ documents: 61, provider: 'contrastive-3' });

    // Switching the model kind (LSA alone) rebuilds too, and that model snapshots and resumes the same way.
    const lsa = engineWith({ ...denseConfig, dimensions: 3, model: 'lsa' });
    expect((await lsa.stats()).dense).toBeNull();
    await lsa.settled();
    expect((await lsa.stats()).dense).toMatchObject({ documents: 61, provider: 'lsa-3' });
    expect((await engineWith({ ...denseConfig, dimensions: 3, model: 'lsa' }).stats()).dense).toMatchObject({ documents: 61, provider: 'lsa-3' });
  });

  it('refits the corpus model in the background once the corpus has doubled, and remembers what it was fitted on across a restart', async () => {
    const engine = engineWith();
    await engine.rebuild();
    expect((await engine.stats()).dense).toMatchObject({ documents: 61, fittedOn: 61 });
    // Grown by half: the model stays.
    const more = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => paper(`2403.${String(from + i).padStart(5, '0')}`, 'Cardiac ventricle arrhythmia', 'ECG myocardial atrial heart cardiac signals.'));
    await upsertPapers(db.kysely, more(0, 30));
    await engine.search('heart', { limit: 5 });
    await engine.settled();
    expect((await engine.stats()).dense).toMatchObject({ documents: 91, fittedOn: 61 });
    // Doubled: the next search starts a refit off-thread; the old vectors answer meanwhile.
    await upsertPapers(db.kysely, more(30, 40));
    expect((await engine.search('heart', { limit: 5 })).mode).toBe('hybrid');
    await engine.settled();
    const stats = await engine.stats();
    expect(stats.dense).toMatchObject({ documents: 131, fittedOn: 131, seq: stats.lastSeq });
    expect((await engine.search('heart', { limit: 200 })).hits.map((h) => h.paper.arxivId)).toContain('2402.09999');
    // The refit was snapshotted: a restarted engine resumes from it instead of refitting.
    expect((await engineWith().stats()).dense).toMatchObject({ documents: 131, fittedOn: 131 });
  });

  it('builds vectors in the background (a worker thread) once the corpus is big enough, and not before', async () => {
    const small = engineWith({ ...denseConfig, minPapers: 1000 }, null);
    await small.settled();
    expect((await small.stats()).dense).toBeNull();
    expect((await small.search('heart', { limit: 100 })).hits.map((h) => h.paper.arxivId)).not.toContain('2402.09999');

    const engine = engineWith(denseConfig, null);
    await engine.stats();
    await engine.settled();
    expect((await engine.stats()).dense).toMatchObject({ documents: 61 });
    expect((await engine.search('heart', { limit: 100 })).hits.map((h) => h.paper.arxivId)).toContain('2402.09999');
  });

  it('switches to an approximate index built off-thread once there are enough vectors, and keeps it in step', async () => {
    const engine = engineWith(denseConfig, dir, 40);
    await engine.rebuild();
    await engine.settled();
    const stats = (await engine.stats()).dense!;
    expect(stats).toMatchObject({ documents: 61, approximate: true });
    // settled() includes the hybrid breadth's calibration: never wider than dense search's.
    expect(stats.probes).toBeGreaterThan(0);
    expect(stats.hybridProbes).toBeGreaterThan(0);
    expect(stats.hybridProbes!).toBeLessThanOrEqual(stats.probes!);
    expect((await engine.similar('2402.09999', 10))!.every(isCardiac)).toBe(true);
    expect((await engine.search('heart', { limit: 100 })).hits.map((h) => h.paper.arxivId)).toContain('2402.09999');
    await upsertPapers(db.kysely, [paper('2402.10000', 'Heart failure prediction', 'cardiac myocardial ventricle heart ecg')]);
    await upsertPapers(db.kysely, [{ kind: 'deleted', arxivId: '2402.09999', datestamp: null }]);
    expect((await engine.similar('2402.10000', 61))!).not.toContain('2402.09999');
    expect((await engine.stats()).dense).toMatchObject({ documents: 61, approximate: true });
  });

  it('rebuilds the approximate index once many vectors were written since it was built', async () => {
    const engine = engineWith(denseConfig, dir, 40, 5);
    await engine.rebuild();
    await engine.settled();
    expect((await engine.stats()).dense).toMatchObject({ documents: 61, approximate: true, unindexed: 0 });
    const cardiac = (from: number, n: number) => Array.from({ length: n }, (_, i) => paper(`2403.${String(from + i).padStart(5, '0')}`, 'Atrial ECG arrhythmia', 'cardiac myocardial ventricle ecg atrial arrhythmia'));
    // 4 new vectors: fewer than the minimum of 5 (and 5% of the 61 the index was built over is 3), so they stay in its tail.
    await upsertPapers(db.kysely, cardiac(0, 4));
    await engine.search('heart', { limit: 10 });
    await engine.settled();
    expect((await engine.stats()).dense).toMatchObject({ documents: 65, approximate: true, unindexed: 4 });
    // 2 more (6 >= the minimum of 5): rebuilt over all 67 rows, then recalibrated.
    await upsertPapers(db.kysely, cardiac(4, 2));
    await engine.search('heart', { limit: 10 });
    await engine.settled();
    const stats = (await engine.stats()).dense!;
    expect(stats).toMatchObject({ documents: 67, approximate: true, unindexed: 0 });
    expect(stats.hybridProbes).toBeGreaterThan(0);
    const similar = (await engine.similar('2403.00005', 20))!;
    expect(similar).toContain('2403.00004');
    expect(similar.every(isCardiac)).toBe(true);
  });

  it('stays lexical when dense search is off', async () => {
    const engine = engineWith({ ...denseConfig, mode: 'off' });
    const built = await engine.rebuild();
    expect(built.dense).toBeNull();
    expect(await engine.similar('2402.09999', 5)).toBeNull();
  });
});
