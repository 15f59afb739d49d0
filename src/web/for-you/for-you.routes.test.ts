/**
 * "For you" over HTTP on every enabled dialect: sign-in required (redirect for pages, 401 for the
 * API), the empty state for a member with nothing upvoted or saved, and a ranking that follows
 * what the member upvoted and saved, on the page and in the JSON.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { addPapers, createHarness, paperRecord, signedInMember, TestClient, type Harness } from '../members/testing/member-harness.js';

const cardiac = (id: string, day: string, i: number) =>
  paperRecord(id, { title: `Cardiac MRI segmentation of the left ventricle, part ${i}`, abstract: 'A convolutional network segments the left ventricle and myocardium in cardiac magnetic resonance images of the heart.', publishedAt: `${day}T10:00:00Z` });
const astro = (id: string, day: string, i: number) =>
  paperRecord(id, { title: `Weak lensing of galaxy clusters, part ${i}`, abstract: 'Dark matter halo masses of galaxy clusters measured with weak gravitational lensing surveys.', publishedAt: `${day}T11:00:00Z`, categories: ['astro-ph.CO'], primaryCategory: 'astro-ph.CO' });

describe.each(enabledDialects())('for you pages on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
    // Last month: what members vote on; the latest week: what "For you" ranks.
    await addPapers(h, cardiac('2402.00001', '2024-02-01', 1), cardiac('2402.00002', '2024-02-02', 2), astro('2402.00003', '2024-02-03', 3), astro('2402.00004', '2024-02-04', 4));
    await addPapers(h, astro('2403.00011', '2024-03-10', 11), cardiac('2403.00012', '2024-03-11', 12), astro('2403.00013', '2024-03-12', 13), cardiac('2403.00014', '2024-03-13', 14), astro('2403.00015', '2024-03-14', 15));
  });
  afterEach(async () => {
    await h.close();
  });

  it('sends anonymous visitors to sign in, and refuses the API without a session', async () => {
    const visitor = new TestClient(h.web);
    const page = await visitor.get('/for-you');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/signin?next=%2Ffor-you');
    const api = await visitor.get('/api/v1/for-you', { accept: 'application/json' });
    expect(api.status).toBe(401);
    expect((await api.json()) as unknown).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('tells a member with no upvotes or saved papers what to do', async () => {
    const ada = await signedInMember(h, 'ada@example.org');
    const page = await ada.client.get('/for-you');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toContain('no-store');
    const html = await page.text();
    expect(html).toContain('upvote or save a few papers');
    expect(html).not.toContain('class="card"');
    // The member bar links here.
    expect(html).toContain('href="/for-you"');
    const api = await ada.client.get('/api/v1/for-you', { accept: 'application/json' });
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({ status: 'no_positives', items: [], positives: 0 });
  });

  it('ranks the latest papers by what the member upvoted and saved, leaving those out', async () => {
    const ada = await signedInMember(h, 'ada@example.org');
    await h.app.services.members.setUpvote(ada.user, '2402.00001', true);
    await h.app.services.members.saveToLibrary(ada.user, '2402.00002');
    await h.app.services.members.setUpvote(ada.user, '2403.00014', true);

    const page = await ada.client.get('/for-you');
    expect(page.status).toBe(200);
    const html = await page.text();
    const order = [...html.matchAll(/aria-label="arXiv ([0-9.]+)"/g)].map((m) => m[1]);
    // The period is the seven days up to the latest day with papers (2024-03-08..14); 2403.00014 is already upvoted.
    expect(order).toHaveLength(4);
    expect(order[0]).toBe('2403.00012');
    expect(order).not.toContain('2403.00014');
    expect(html).toContain('Get papers picked for you by email');

    const api = await ada.client.get('/api/v1/for-you?since=2024-03-01&until=2024-03-31&limit=2', { accept: 'application/json' });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { status: string; positives: number; candidates: number; items: { paper: { arxivId: string; links: { page: string } }; score: number }[] };
    expect(body).toMatchObject({ status: 'ok', positives: 3, candidates: 4 });
    expect(body.items.map((i) => i.paper.arxivId)).toEqual(['2403.00012', expect.stringMatching(/^2403\.000(11|13|15)$/)]);
    expect(body.items[0]!.paper.links.page).toBe('/papers/2403.00012');
    expect(body.items[0]!.score).toBeGreaterThan(body.items[1]!.score);

    const bad = await ada.client.get('/api/v1/for-you?since=yesterday', { accept: 'application/json' });
    expect(bad.status).toBe(400);
  });
});
