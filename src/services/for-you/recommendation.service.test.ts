import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyPaperRecord, type PaperRecord } from '../../domain/paper.js';
import { upsertLibraryItem } from '../../store/library.repository.js';
import { hidePaper } from '../../store/moderation.repository.js';
import { upsertPapers } from '../../store/paper.repository.js';
import { createTestDb, enabledDialects, type TestDb } from '../../store/testing/test-database.js';
import { insertUserIfAbsent } from '../../store/user.repository.js';
import { insertVote } from '../../store/vote.repository.js';
import { createRecommendationService } from './recommendation.service.js';

const now = '2024-03-20T12:00:00.000Z';
/** Words only: these specs are about what the service reads and leaves out, not the learned vectors. */
const noVectors = async () => new Map<string, Float32Array>();

const themes = {
  cardiac: ['cardiac MRI segmentation of the left ventricle', 'electrocardiogram arrhythmia detection with deep networks', 'heart failure prediction from echocardiography', 'myocardial infarction risk from ECG signals'],
  astro: ['weak lensing maps of dark matter halos', 'galaxy cluster mass profiles', 'gravitational waves from merging black holes', 'supernova cosmology and dark energy'],
  algebra: ['cohomology of nilpotent Lie algebras', 'modular representations of finite groups', 'Hopf algebras and quantum groups', 'prime ideals in commutative rings'],
};

function record(arxivId: string, theme: keyof typeof themes, i: number, publishedAt: string): PaperRecord {
  const t = themes[theme];
  return {
    ...emptyPaperRecord(arxivId),
    title: `On ${t[i % t.length]}`,
    abstract: `We study ${t[(i + 1) % t.length]} and ${t[(i + 2) % t.length]}. Experiments on ${t[i % t.length]} follow.`,
    authors: [{ name: 'Ada Lovelace' }],
    categories: ['cs.LG'],
    primaryCategory: 'cs.LG',
    publishedAt,
    latestVersion: 1,
  };
}

describe.each(enabledDialects())('recommendation service on %s', (dialect) => {
  let db: TestDb;
  const ids = new Map<string, number>();
  let ada: number;
  let bob: number;

  beforeEach(async () => {
    db = await createTestDb(dialect);
    const records: PaperRecord[] = [];
    // Older papers: what members upvoted and saved, and the pool negatives are drawn from.
    for (let i = 0; i < 12; i++) for (const theme of Object.keys(themes) as (keyof typeof themes)[]) records.push(record(`2401.${theme === 'cardiac' ? 1 : theme === 'astro' ? 2 : 3}${String(i).padStart(4, '0')}`, theme, i, `2024-01-${String(10 + i).padStart(2, '0')}`));
    // The period asked about: a few papers of each theme.
    for (let i = 0; i < 3; i++) {
      records.push(record(`2403.1${i}001`, 'cardiac', i + 1, `2024-03-1${i}T10:00:00Z`));
      records.push(record(`2403.1${i}002`, 'astro', i + 1, `2024-03-1${i}T11:00:00Z`));
      records.push(record(`2403.1${i}003`, 'algebra', i + 1, `2024-03-1${i}T12:00:00Z`));
    }
    await db.kysely.transaction().execute((trx) => upsertPapers(trx, records.map((paper) => ({ kind: 'paper' as const, paper, datestamp: null })), now));
    for (const r of await db.kysely.selectFrom('papers').select(['id', 'arxiv_id']).execute()) ids.set(r.arxiv_id, Number(r.id));
    ada = (await insertUserIfAbsent(db.kysely, { email: 'ada@example.org', handle: 'ada', displayName: 'Ada', role: 'member', now })).user.id;
    bob = (await insertUserIfAbsent(db.kysely, { email: 'bob@example.org', handle: 'bob', displayName: 'Bob', role: 'member', now })).user.id;
    // Ada likes cardiac papers: three upvotes and two saved.
    for (const id of ['2401.10000', '2401.10001', '2401.10002']) await insertVote(db.kysely, ada, ids.get(id)!, now);
    for (const id of ['2401.10003', '2401.10004']) await upsertLibraryItem(db.kysely, { userId: ada, paperId: ids.get(id)!, note: '', now });
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('ranks the period\'s papers like the member\'s positives first', async () => {
    // Upvoted and also saved: still one positive.
    await upsertLibraryItem(db.kysely, { userId: ada, paperId: ids.get('2401.10000')!, note: '', now });
    const service = createRecommendationService({ db, paperVectors: noVectors });
    const result = await service.forYou(ada, { since: '2024-03-10', until: '2024-03-16', limit: 9 });
    expect(result.status).toBe('ok');
    expect(result.positives).toBe(5);
    expect(result.candidates).toBe(9);
    expect(result.items).toHaveLength(9);
    expect(result.items.slice(0, 3).map((i) => i.paper.arxivId).sort()).toEqual(['2403.10001', '2403.11001', '2403.12001']);
    expect(result.items[0]!.paper.title).toMatch(/^On /);
    expect(result.items[0]!.score).toBeGreaterThan(result.items[8]!.score);
  });

  it('leaves out papers the member already upvoted or saved, hidden ones, and ones outside the window', async () => {
    await insertVote(db.kysely, ada, ids.get('2403.10001')!, now);
    await upsertLibraryItem(db.kysely, { userId: ada, paperId: ids.get('2403.11001')!, note: '', now });
    await hidePaper(db.kysely, ids.get('2403.12002')!, null, 'spam', now);
    const result = await createRecommendationService({ db, paperVectors: noVectors }).forYou(ada, { since: '2024-03-10', until: '2024-03-11', limit: 50 });
    const shown = result.items.map((i) => i.paper.arxivId);
    expect(shown).not.toContain('2403.10001');
    expect(shown).not.toContain('2403.11001');
    expect(shown.sort()).toEqual(['2403.10002', '2403.10003', '2403.11002', '2403.11003']);
    const later = await createRecommendationService({ db, paperVectors: noVectors }).forYou(ada, { since: '2024-03-12', until: '2024-03-12', limit: 50 });
    expect(later.items.map((i) => i.paper.arxivId).sort()).toEqual(['2403.12001', '2403.12003']);
  });

  it('is deterministic, and tells a member without positives what to do instead of failing', async () => {
    const service = createRecommendationService({ db, seed: 5, paperVectors: noVectors });
    const a = await service.forYou(ada, { since: '2024-03-10', until: '2024-03-16', limit: 9 });
    const b = await service.forYou(ada, { since: '2024-03-10', until: '2024-03-16', limit: 9 });
    expect(b.items.map((i) => [i.paper.arxivId, i.score])).toEqual(a.items.map((i) => [i.paper.arxivId, i.score]));
    const none = await service.forYou(bob, { since: '2024-03-10', until: '2024-03-16', limit: 9 });
    expect(none).toMatchObject({ status: 'no_positives', items: [], positives: 0 });
    const empty = await service.forYou(ada, { since: '2025-01-01', until: '2025-01-07', limit: 9 });
    expect(empty).toMatchObject({ status: 'no_candidates', items: [], positives: 5 });
    await expect(service.forYou(ada, { since: '2024-13-01', until: '2024-03-16', limit: 9 })).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'since' } });
  });
});
