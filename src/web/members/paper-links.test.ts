/**
 * Code and project links on every dialect: extracted at import and shown on the paper page and in
 * the HF API; a member corrects them on the discussion page (kept with who set them, and a
 * re-import leaves them alone); a moderator reverts to the previous edit or the extraction; the
 * migration's backfill fills papers stored before links existed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill } from '../../store/migrations/050-paper-links.js';
import { enabledDialects } from '../../store/testing/test-database.js';
import { parsePaperInfo } from '../api/hf-client.contract.js';
import { addPapers, createHarness, ORIGIN, paperRecord, signedInMember, type Harness, type SignedInMember } from './testing/member-harness.js';

describe.each(enabledDialects())('paper links on %s', (dialect) => {
  let h: Harness;
  let ada: SignedInMember;
  let mod: SignedInMember;
  const json = async (path: string) => (await h.web.request(`${ORIGIN}${path}`)).json() as Promise<any>;
  const stored = (arxivId: string) => h.db.kysely.selectFrom('papers').select(['code_url', 'project_url', 'links_edit_id', 'change_seq']).where('arxiv_id', '=', arxivId).executeTakeFirstOrThrow();

  beforeAll(async () => {
    h = await createHarness(dialect, { http: { answerCacheSettleMs: 0 } });
    await addPapers(
      h,
      paperRecord('2401.00001', { abstract: 'Our code:\n  https://github.com/lab/\n  fast-tool. It is fast.', comments: '8 pages. Project page: https://lab.example.org/fast-tool/' }),
      paperRecord('2401.00002', { abstract: 'We study things at https://bitbucket.org/lab/other-tool.' }),
      paperRecord('2401.00003', { abstract: 'We study things without code; see http://example.org/data.' }),
    );
    ada = await signedInMember(h, 'ada@example.org');
    mod = await signedInMember(h, 'mod@example.org', { admin: true });
  });
  afterAll(async () => {
    await h.close();
  });

  it('extracts links at import and shows them on the paper page and in the HF API', async () => {
    expect(await stored('2401.00001')).toMatchObject({ code_url: 'https://github.com/lab/fast-tool', project_url: 'https://lab.example.org/fast-tool/', links_edit_id: null });
    const page = await (await h.web.request(`${ORIGIN}/papers/2401.00001`)).text();
    expect(page).toContain('href="https://github.com/lab/fast-tool"');
    expect(page).toContain('href="https://lab.example.org/fast-tool/"');
    expect(parsePaperInfo(await json('/api/papers/2401.00001'))).toMatchObject({ githubRepo: 'https://github.com/lab/fast-tool', projectPage: 'https://lab.example.org/fast-tool/' });
    // A Bitbucket repository is the paper's code but not Hugging Face's `githubRepo`.
    const other = await json('/api/papers/2401.00002');
    expect(other.githubRepo).toBeUndefined();
    expect((await json('/api/arxiv/2401.00002/repos')).codeUrl).toBe('https://bitbucket.org/lab/other-tool');
    const md = await (await h.web.request(`${ORIGIN}/papers/2401.00001.md`)).text();
    expect(md).toContain('[Code](https://github.com/lab/fast-tool)');
  });

  it('lets a member correct the links, keeps who set them, and a re-import leaves them alone', async () => {
    const seqBefore = Number((await stored('2401.00001')).change_seq);
    const res = await ada.client.post('/papers/2401.00001/links', { _csrf: ada.csrf, githubRepo: 'https://github.com/lab/fast-tool-v2', projectPage: '' });
    expect(res.status).toBe(303);
    const row = await stored('2401.00001');
    expect(row).toMatchObject({ code_url: 'https://github.com/lab/fast-tool-v2', project_url: null });
    expect(Number(row.change_seq)).toBeGreaterThan(seqBefore); // the index's has-code flag follows
    const discuss = await (await ada.client.get('/discuss/2401.00001')).text();
    expect(discuss).toContain(`Set by <a href="/members/${ada.user.handle}">`);
    // A new version from arXiv with another abstract does not undo the member's correction.
    await addPapers(h, paperRecord('2401.00001', { latestVersion: 2, abstract: 'Code: https://github.com/lab/fast-tool (v2).', comments: null }));
    expect(await stored('2401.00001')).toMatchObject({ code_url: 'https://github.com/lab/fast-tool-v2', project_url: null });
    // A bad link is shown on the page, nothing changes.
    const bad = await ada.client.post('/papers/2401.00001/links', { _csrf: ada.csrf, githubRepo: 'not a link', projectPage: '' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('must be a repository on GitHub');
    expect((await stored('2401.00001')).code_url).toBe('https://github.com/lab/fast-tool-v2');
  });

  it('lets only a moderator revert, back to the previous edit and then to the paper text', async () => {
    await ada.client.post('/papers/2401.00001/links', { _csrf: ada.csrf, githubRepo: 'https://github.com/lab/wrong', projectPage: 'https://wrong.example.org' });
    expect((await ada.client.post('/admin/papers/2401.00001/links/revert', { _csrf: ada.csrf }, { accept: 'application/json' })).status).toBe(403);
    expect((await mod.client.post('/admin/papers/2401.00001/links/revert', { _csrf: mod.csrf, reason: 'spam' })).status).toBe(303);
    expect(await stored('2401.00001')).toMatchObject({ code_url: 'https://github.com/lab/fast-tool-v2', project_url: null });
    expect((await mod.client.post('/admin/papers/2401.00001/links/revert', { _csrf: mod.csrf })).status).toBe(303);
    // Back to what the paper says: its re-imported abstract, and the comments kept from before
    // (the new record had none, and an update never blanks a field).
    expect(await stored('2401.00001')).toMatchObject({ code_url: 'https://github.com/lab/fast-tool', project_url: 'https://lab.example.org/fast-tool/', links_edit_id: null });
    const log = await h.db.kysely.selectFrom('moderation_log').selectAll().where('action', '=', 'revert_links').execute();
    expect(log.map((l) => l.reason)).toEqual(['spam', null]);
    const edits = await h.db.kysely.selectFrom('paper_link_edits').selectAll().orderBy('id').execute();
    expect(edits.map((e) => e.reverted_at !== null)).toEqual([true, true]);
    // Nothing left to revert: a 400 naming why.
    const nothing = await mod.client.post('/admin/papers/2401.00001/links/revert', { _csrf: mod.csrf }, { accept: 'application/json' });
    expect(nothing.status).toBe(400);
  });

  it('filters the feed and the search to papers with code', async () => {
    const all = await json('/api/v1/feed?date=2024-01-15&sort=newest');
    expect(all.items.map((i: any) => i.paper.arxivId).sort()).toEqual(['2401.00001', '2401.00002', '2401.00003']);
    const withCode = await json('/api/v1/feed?date=2024-01-15&sort=newest&has_code=1');
    expect(withCode.items.map((i: any) => i.paper.arxivId).sort()).toEqual(['2401.00001', '2401.00002']);
    expect(withCode.items.every((i: any) => i.paper.links.code)).toBe(true);
    const page = await (await h.web.request(`${ORIGIN}/date/2024-01-15?code=1`)).text();
    expect(page).toContain('/papers/2401.00001');
    expect(page).not.toContain('/papers/2401.00003');
    expect(page).toMatch(/href="\/date\/2024-01-15"[^>]*aria-current="true"[^>]*>\s*With code/);
    const search = await json('/api/v1/search?q=study&has_code=1');
    expect(search.items.map((r: any) => r.paper.arxivId).sort()).toEqual(['2401.00001', '2401.00002']);
  });

  it('backfills papers stored before links existed and gives them a new change sequence', async () => {
    await h.db.kysely.updateTable('papers').set({ code_url: null, project_url: null }).where('arxiv_id', '=', '2401.00002').execute();
    const before = Number((await stored('2401.00002')).change_seq);
    await backfill(h.db.kysely);
    const row = await stored('2401.00002');
    expect(row.code_url).toBe('https://bitbucket.org/lab/other-tool');
    expect(Number(row.change_seq)).toBeGreaterThan(before);
  });
});
