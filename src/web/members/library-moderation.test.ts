/**
 * Library (save with notes, BibTeX export) and moderation (hide paper, hide comment, suspend
 * member; every action logged; only admins) over HTTP, plus profiles and settings.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { addPapers, createHarness, paperRecord, signedInMember, type Harness, type SignedInMember } from './testing/member-harness.js';

const today = () => new Date().toISOString().slice(0, 10);

describe.each(enabledDialects())('library, profiles and moderation on %s', (dialect) => {
  let h: Harness;
  let ada: SignedInMember;
  let admin: SignedInMember;
  beforeEach(async () => {
    h = await createHarness(dialect);
    await addPapers(
      h,
      paperRecord('2401.00001', { title: 'Attention Is {All} You Need', authors: [{ name: 'Ashish Vaswani' }, { name: 'Noam Shazeer' }], publishedAt: '2017-06-12T00:00:00Z', doi: '10.1000/xyz' }),
      paperRecord('math/0611918', { title: 'On the $\\alpha$-stable graphs', authors: [{ name: 'Kurt Gödel' }] }),
    );
    ada = await signedInMember(h, 'ada@example.org');
    admin = await signedInMember(h, 'mod@example.org', { admin: true });
  });
  afterEach(async () => {
    await h.close();
  });

  it('saves papers with notes, lists them and exports BibTeX', async () => {
    expect((await ada.client.post('/papers/2401.00001/library', { _csrf: ada.csrf })).status).toBe(303);
    expect((await ada.client.post('/papers/math/0611918/library', { _csrf: ada.csrf, note: 'Read §3 & check 100% of {proofs}_' })).status).toBe(303);
    const page = await (await ada.client.get('/library')).text();
    expect(page).toContain('2 papers');
    expect(page).toContain('Read §3 &amp; check 100% of {proofs}_');

    const bib = await ada.client.get('/library.bib');
    expect(bib.headers.get('content-type')).toContain('application/x-bibtex');
    expect(bib.headers.get('content-disposition')).toContain('paperboy-library.bib');
    const text = await bib.text();
    expect(text).toContain('@misc{vaswani2017attention,');
    expect(text).toContain('title = {{Attention Is {All} You Need}}');
    expect(text).toContain('author = {Ashish Vaswani and Noam Shazeer}');
    expect(text).toContain('eprint = {2401.00001}');
    expect(text).toContain('archivePrefix = {arXiv}');
    expect(text).toContain('doi = {10.1000/xyz}');
    expect(text).toContain('@misc{godel2024stable,');
    expect(text).toContain('annote = {Read §3 \\& check 100\\% of \\{proofs\\}\\_}');

    // Notes update in place; removal works; the library is private.
    await ada.client.post('/papers/math/0611918/library', { _csrf: ada.csrf, note: 'done' });
    expect((await h.app.services.members.library(ada.user)).find((e) => e.arxivId === 'math/0611918')?.note).toBe('done');
    await ada.client.post('/papers/2401.00001/library/remove', { _csrf: ada.csrf });
    expect((await h.app.services.members.library(ada.user)).map((e) => e.arxivId)).toEqual(['math/0611918']);
    expect((await h.app.services.members.library(admin.user))).toEqual([]);
    expect((await h.web.request('http://localhost/library.bib')).status).toBe(303);
  });

  it('shows profiles by handle and lets members change name and handle', async () => {
    const settings = await ada.client.post('/settings', { _csrf: ada.csrf, displayName: '  Ada   Lovelace ', handle: 'Ada-L' });
    expect(settings.status).toBe(303);
    await h.app.services.members.submitPaper({ ...ada.user, handle: 'ada-l' }, '2401.00001');
    await h.app.services.members.addComment(ada.user, '2401.00001', { body: 'Lovely *paper*' });
    const profile = await (await h.web.request('http://localhost/members/ada-l')).text();
    expect(profile).toContain('<h1>Ada Lovelace</h1>');
    expect(profile).toContain('Attention Is {All} You Need');
    expect(profile).toContain('Lovely *paper*');
    expect(profile).not.toContain('ada@example.org');

    const taken = await admin.client.post('/settings', { _csrf: admin.csrf, displayName: 'Mod', handle: 'ada-l' });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain('is taken');
    expect((await admin.client.post('/settings', { _csrf: admin.csrf, displayName: 'Mod', handle: 'admin' })).status).toBe(400);
    expect((await admin.client.post('/settings', { _csrf: admin.csrf, displayName: 'Bad\u202Ename', handle: 'mod' })).status).toBe(400);
    expect((await h.web.request('http://localhost/members/nobody-here')).status).toBe(404);
  });

  it('lets only admins moderate, and logs every action', async () => {
    await h.app.services.members.submitPaper(ada.user, '2401.00001');
    const comment = await h.app.services.members.addComment(ada.user, '2401.00001', { body: 'Buy cheap watches' });

    expect((await ada.client.get('/admin/moderation')).status).toBe(403);
    expect((await ada.client.post('/admin/papers/hide', { _csrf: ada.csrf, arxiv: '2401.00001' })).status).toBe(403);
    expect((await ada.client.post(`/admin/comments/${comment.publicId}/hide`, { _csrf: ada.csrf })).status).toBe(403);

    // Hide the paper: it leaves the feed.
    expect((await h.app.services.members.dailyEntries({ from: today(), to: today() })).map((e) => e.arxivId)).toEqual(['2401.00001']);
    expect((await admin.client.post('/admin/papers/hide', { _csrf: admin.csrf, arxiv: 'https://arxiv.org/abs/2401.00001v2', reason: 'off-topic' })).status).toBe(303);
    expect(await h.app.services.members.dailyEntries({ from: today(), to: today() })).toEqual([]);
    expect((await h.app.services.members.paperSignals(['2401.00001'])).get('2401.00001')?.hidden).toBe(true);
    // A hidden paper cannot be submitted again.
    const other = await signedInMember(h, 'other@example.org');
    expect((await other.client.post('/submit', { _csrf: other.csrf, arxiv: '2401.00001' })).status).toBe(403);

    // Hide the comment: its text is gone from the page and the count.
    expect((await admin.client.post(`/admin/comments/${comment.publicId}/hide`, { _csrf: admin.csrf, reason: 'spam' })).status).toBe(303);
    const page = await (await h.web.request('http://localhost/discuss/2401.00001', { headers: { accept: 'text/html' } })).text();
    expect(page).not.toContain('cheap watches');
    expect((await h.app.services.members.paperSignals(['2401.00001'])).get('2401.00001')?.comments).toBe(0);

    // Suspend the member: sessions end, posting and sign-in stop.
    expect((await admin.client.post(`/admin/members/${ada.user.handle}/suspend`, { _csrf: admin.csrf, reason: 'spam' })).status).toBe(303);
    expect((await ada.client.get('/settings')).status).toBe(303);
    await expect(h.app.services.members.addComment({ ...ada.user, status: 'suspended' }, '2401.00001', { body: 'x' })).rejects.toThrow(/suspended/);
    expect((await admin.client.post(`/admin/members/${admin.user.handle}/suspend`, { _csrf: admin.csrf })).status).toBe(403);

    const log = await h.app.services.members.moderationLog(admin.user);
    expect(log.map((e) => [e.action, e.target, e.reason, e.actorHandle])).toEqual([
      ['suspend_member', ada.user.handle, 'spam', admin.user.handle],
      ['hide_comment', comment.publicId, 'spam', admin.user.handle],
      ['hide_paper', '2401.00001', 'off-topic', admin.user.handle],
    ]);
    const logPage = await (await admin.client.get('/admin/moderation')).text();
    expect(logPage).toContain('suspend member');
    expect(logPage).toContain('off-topic');

    // And undo, also logged.
    await admin.client.post(`/admin/members/${ada.user.handle}/suspend`, { _csrf: admin.csrf, suspended: '0' });
    await admin.client.post('/admin/papers/hide', { _csrf: admin.csrf, arxiv: '2401.00001', hidden: '0' });
    expect((await h.app.services.members.dailyEntries({ from: today(), to: today() })).map((e) => e.arxivId)).toEqual(['2401.00001']);
    expect((await h.app.services.members.moderationLog(admin.user)).map((e) => e.action).slice(0, 2)).toEqual(['unhide_paper', 'unsuspend_member']);
  });
});
