/**
 * Search by meaning as a reader and a script see it: the results page names the related words
 * search brought in and marks papers found by meaning (none of the query's words), the API says
 * the same in JSON and reports the hybrid engine, and `expand=0` (the "Only my words" box)
 * keeps to the query's words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../search/seeded-random.js';
import { enabledDialects } from '../../store/testing/test-database.js';
import { addPapers, createHarness, ORIGIN, paperRecord, type Harness } from '../members/testing/member-harness.js';

const CARDIAC = ['cardiac', 'heart', 'ecg', 'myocardial', 'ventricle', 'arrhythmia', 'echocardiography', 'atrial'];
const MOLECULES = ['graph', 'molecule', 'message', 'passing', 'chemistry', 'bond', 'atom', 'ligand'];
/** Cardiac, without the word "heart". */
const NO_HEART = '2402.09999';

describe.each(enabledDialects())('search by meaning on %s', (dialect) => {
  let h: Harness;
  const get = (path: string, headers: Record<string, string> = {}) => h.web.request(`${ORIGIN}${path}`, { headers });

  beforeAll(async () => {
    h = await createHarness(dialect, { denseSearch: { dimensions: 2, minPapers: 20 } });
    const random = seededRandom(7);
    const pick = (words: readonly string[], n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]!).join(' ');
    const records = Array.from({ length: 60 }, (_, i) => {
      const words = i % 2 === 0 ? CARDIAC : MOLECULES;
      return paperRecord(`2402.${String(i).padStart(5, '0')}`, { title: pick(words, 5), abstract: pick(words, 12) });
    });
    records.push(paperRecord(NO_HEART, { title: 'Arrhythmia detection from atrial ECG', abstract: 'Myocardial ventricle echocardiography ECG atrial arrhythmia cardiac signals.' }));
    await addPapers(h, ...records);
    await h.app.services.searchEngine.rebuild();
  });
  afterAll(async () => {
    await h.close();
  });

  it('the API reports the hybrid engine, the related words and which papers matched by meaning', async () => {
    const res = await get('/api/v1/search?q=heart&limit=100');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { engine: string; expand: boolean; alsoMatching: string[]; items: { paper: { arxivId: string; title: string; summary?: string }; matchedBy: string }[] };
    expect(body).toMatchObject({ engine: 'paperboy-hybrid', expand: true });
    expect(body.alsoMatching.length).toBeGreaterThan(0);
    for (const w of body.alsoMatching) expect(CARDIAC).toContain(w.toLowerCase());
    expect(body.alsoMatching.map((w) => w.toLowerCase())).not.toContain('heart');
    const noHeart = body.items.find((i) => i.paper.arxivId === NO_HEART);
    expect(noHeart?.matchedBy).toBe('meaning');
    expect(body.items.filter((i) => i.matchedBy === 'words').length).toBeGreaterThan(0);

    const words = (await (await get('/api/v1/search?q=heart&limit=100&expand=0')).json()) as typeof body;
    expect(words).toMatchObject({ engine: 'paperboy-bm25f', expand: false, alsoMatching: [] });
    expect(words.items.every((i) => i.matchedBy === 'words')).toBe(true);
    expect(words.items.map((i) => i.paper.arxivId)).not.toContain(NO_HEART);
  });

  it('the results page shows "also matching", marks papers found by meaning, and "Only my words" switches it off', async () => {
    const first = await (await get('/search?q=heart', { accept: 'text/html' })).text();
    expect(first).toContain('Also matching by meaning:');
    expect(first).toContain('href="/search?q=heart&amp;expand=0"');
    expect(first).toContain('words and meaning (paperboy-hybrid)');
    // The 20 papers with the word come first; the one found by meaning follows on page 2.
    expect(first).not.toContain('found by meaning: none of your words');
    const second = await (await get('/search?q=heart&page=2', { accept: 'text/html' })).text();
    expect(second).toMatch(new RegExp(`${NO_HEART.replace('.', '\\.')}[\\s\\S]*found by meaning: none of your words`));

    const words = await (await get('/search?q=heart&expand=0', { accept: 'text/html' })).text();
    expect(words).not.toContain('Also matching by meaning:');
    expect(words).not.toContain('found by meaning: none of your words');
    expect(words).toMatch(/name="expand" value="0" checked/);
    expect(words).toContain('Only papers with your words.');
    expect(words).not.toContain(NO_HEART);
  });

  it('suggests as you type from words only: titles with every typed word, completions, and never the full search', async () => {
    await h.app.services.searchEngine.rebuild();
    const count = async (mode: string) => {
      const { body } = await h.app.services.metrics.render();
      return Number(new RegExp(`paperboy_search_duration_seconds_count\\{mode="${mode}"\\} (\\d+)`).exec(body)?.[1] ?? 0);
    };
    // A search is hybrid here (vectors exist); typing is not.
    expect((await get('/api/v1/search?q=arrhythmia')).status).toBe(200);
    const hybridBefore = await count('hybrid');
    expect(hybridBefore).toBeGreaterThan(0);
    const res = await get('/api/v1/suggest?q=arrhythmia%20detec');
    const body = (await res.json()) as { suggestions: { arxivId: string; title: string }[]; completions: string[] };
    expect(body.suggestions).toEqual([{ arxivId: NO_HEART, title: 'Arrhythmia detection from atrial ECG' }]);
    expect(body.completions).toEqual(['arrhythmia detection']);
    // Every typed word must be in the title: the second word leaves the other cardiac papers out.
    const one = (await (await get('/api/v1/suggest?q=atrial%20ec')).json()) as typeof body;
    for (const s of one.suggestions) expect(s.title.toLowerCase()).toMatch(/\batrial\b/);
    for (const s of one.suggestions) expect(s.title.toLowerCase().split(/\W+/).some((w) => w.startsWith('ec'))).toBe(true);
    await get('/api/v1/suggest?q=myocard');
    expect(await count('hybrid')).toBe(hybridBefore);
    expect(await count('suggest')).toBe(3);
  });
});
