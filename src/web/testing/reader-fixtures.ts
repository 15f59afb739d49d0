/**
 * A small, deliberate corpus for the reader specs: papers on a few days of March 2012 (one with
 * TeX and accents in title and abstract, an old-style id, a DOI), one busy day with more papers
 * than fit on a page, and helpers to add votes and feed submissions through the store.
 */
import type { PaperRecord } from '../../domain/paper.js';
import { insertDailyEntry, findPaperKey } from '../../store/daily-entry.repository.js';
import { insertVote } from '../../store/vote.repository.js';
import { addPapers, paperRecord, type Harness } from '../members/testing/member-harness.js';

export const TEX_PAPER = '1203.0101';
export const OLD_STYLE = 'math/0611918';
export const BUSY_DAY = '2012-03-12';
export const BUSY_COUNT = 35;

export function corpus(): PaperRecord[] {
  const on = (id: string, day: string, overrides: Partial<PaperRecord> = {}) =>
    paperRecord(id, { publishedAt: day, categories: ['cs.DS'], primaryCategory: 'cs.DS', versions: [{ version: 1, submittedAt: `${day}T10:00:00Z` }], ...overrides });
  return [
    on('1203.0001', '2012-03-14', { title: 'Graph colouring with few colours', abstract: 'We colour sparse graphs quickly. Colouring matters.' }),
    on('1203.0002', '2012-03-14', { title: 'Sorting networks revisited', abstract: 'Networks that sort.', categories: ['cs.DM'], primaryCategory: 'cs.DM' }),
    on(TEX_PAPER, '2012-03-15', {
      title: 'The $k$-anonymity of G\\"odel numberings in $O(n^3)$',
      abstract: 'We show that $\\alpha$-stable sets are \\emph{hard} to find.\n  A second paragraph about M\\"obius graphs and $\\frac{a}{b}$.',
      authors: [{ name: 'Kurt Gödel' }, { name: 'Paul Erdős' }, { name: 'Ada Lovelace' }, { name: 'Alan Turing' }, { name: 'Grace Hopper' }],
      doi: '10.1000/xyz123',
      journalRef: 'J. Graph Theory 12 (2012) 1-10',
      latestVersion: 2,
      versions: [
        { version: 1, submittedAt: '2012-03-15T10:00:00Z' },
        { version: 2, submittedAt: '2012-03-20T10:00:00Z' },
      ],
    }),
    on('1203.0102', '2012-03-15', { title: 'Streaming graph sketches', abstract: 'Sketches of graphs in one pass.' }),
    on('1203.0103', '2012-03-15', { title: 'Learning to rank papers', abstract: 'Ranking with learned models.', categories: ['cs.LG', 'cs.IR'], primaryCategory: 'cs.LG' }),
    on('1203.0201', '2012-03-19', { title: 'A later paper on graphs', abstract: 'Graphs again.' }),
    on(OLD_STYLE, '2006-11-29', { title: 'Solving random equations in Garside groups using length functions', abstract: 'Braid groups $B_3$.', categories: ['math.GR', 'cs.CR'], primaryCategory: 'math.GR' }),
    ...Array.from({ length: BUSY_COUNT }, (_, i) => on(`1203.1${String(i).padStart(3, '0')}`, BUSY_DAY, { title: `Busy day paper number ${i}`, abstract: `Paper ${i} about queues.` })),
  ];
}

export async function seedCorpus(h: Harness): Promise<void> {
  await addPapers(h, ...corpus());
}

/** Upvotes from `n` fresh members. */
export async function addVotes(h: Harness, arxivId: string, n: number): Promise<void> {
  const key = await findPaperKey(h.db.kysely, arxivId);
  if (!key) throw new Error(`no paper ${arxivId}`);
  for (let i = 0; i < n; i++) {
    const { user } = await h.app.services.members.createMember({ email: `voter-${arxivId.replace('/', '-')}-${i}@example.org`, admin: false });
    await insertVote(h.db.kysely, user.id, key.id, new Date().toISOString());
  }
}

/** Puts a paper on a day's feed as if a member had submitted it. */
export async function submitOnDay(h: Harness, arxivId: string, day: string): Promise<void> {
  const key = await findPaperKey(h.db.kysely, arxivId);
  if (!key) throw new Error(`no paper ${arxivId}`);
  const { user } = await h.app.services.members.createMember({ email: `submitter-${day}@example.org`, admin: false });
  await insertDailyEntry(h.db.kysely, { paperId: key.id, day, userId: user.id, now: `${day}T08:00:00.000Z` });
}
