/**
 * Comments over HTTP: every XSS payload posted renders inert on the discussion page, threads
 * nest, authors edit within the window only, soft delete keeps replies in place, and counts
 * leave removed comments out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { addPapers, createHarness, paperRecord, signedInMember, type Harness, type SignedInMember } from './testing/member-harness.js';
import { dangers, XSS_PAYLOADS } from './testing/xss-payloads.js';

/** The rendered comment bodies of a discussion page. */
function commentBodies(page: string): string[] {
  return [...page.matchAll(/<div class="comment-body">([\s\S]*?)<\/div>/g)].map((m) => m[1]!);
}

describe.each(enabledDialects())('comments on %s', (dialect) => {
  let h: Harness;
  let ada: SignedInMember;
  let alan: SignedInMember;
  beforeEach(async () => {
    h = await createHarness(dialect, { members: { limits: { commentsPerHour: 1000 } } });
    await addPapers(h, paperRecord('2401.00001'), paperRecord('2401.00002'));
    ada = await signedInMember(h, 'ada@example.org');
    alan = await signedInMember(h, 'alan@example.org');
  });
  afterEach(async () => {
    await h.close();
  });

  const post = (m: SignedInMember, body: string, parent?: string, paper = '2401.00001') =>
    m.client.post(`/papers/${paper}/comments`, { _csrf: m.csrf, body, ...(parent ? { parent } : {}) });

  it('renders every XSS payload inert in the page', async () => {
    for (const payload of XSS_PAYLOADS) expect((await post(ada, payload)).status).toBe(303);
    const page = await (await alan.client.get('/discuss/2401.00001')).text();
    const bodies = commentBodies(page);
    expect(bodies).toHaveLength(XSS_PAYLOADS.length);
    for (const [i, body] of bodies.entries()) expect({ payload: XSS_PAYLOADS[i], dangers: dangers(body) }).toEqual({ payload: XSS_PAYLOADS[i], dangers: [] });
    // Every script on the page is one of our own files, none inline.
    const scripts = [...page.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
    expect(scripts).toContain('<script src="/assets/members.js" defer="">');
    for (const tag of scripts) expect(tag).toMatch(/^<script src="\/assets\/[a-z-]+\.js" defer="">$/);
    // The raw text stays visible as text.
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('typesets maths in comments as the paper page does (MathML), prices and code left alone', async () => {
    await post(ada, 'Is $O(n^3)$ tight for $(k,\\ell)$-sparse graphs? It cost $5 and $10. `$x$`');
    const body = commentBodies(await (await alan.client.get('/discuss/2401.00001')).text())[0]!;
    expect(body.match(/<math\b/g)).toHaveLength(2);
    expect(body).toContain('<mi mathvariant="normal">ℓ</mi>');
    expect(body).toContain('It cost $5 and $10.');
    expect(body).toContain('<code>$x$</code>');
    // Beyond the comment tags, only KaTeX's MathML elements: no handlers, no URLs, no styles.
    const mathml = /^element <(span|math|semantics|mrow|mi|mo|mn|msup|msub|msubsup|mtext|annotation)>$/;
    expect(dangers(body).filter((d) => !mathml.test(d))).toEqual([]);
  });

  it('threads replies, and refuses replies across papers or to unknown comments', async () => {
    const first = await post(ada, 'Top-level **question**');
    const firstId = /#c-([a-f0-9]+)$/.exec(first.headers.get('location') ?? '')![1]!;
    const reply = await post(alan, 'A reply', firstId);
    const replyId = /#c-([a-f0-9]+)$/.exec(reply.headers.get('location') ?? '')![1]!;
    await post(ada, 'A reply to the reply', replyId);
    const thread = await h.app.services.members.commentThread('2401.00001');
    expect(thread.count).toBe(3);
    expect(thread.nodes).toHaveLength(1);
    expect(thread.nodes[0]!.replies[0]!.comment.body).toBe('A reply');
    expect(thread.nodes[0]!.replies[0]!.replies[0]!.comment.depth).toBe(2);
    const page = await (await alan.client.get('/discuss/2401.00001')).text();
    expect(page).toContain('<strong>question</strong>');
    expect(page).toMatch(new RegExp(`id="c-${firstId}"[\\s\\S]*id="c-${replyId}"`));

    expect((await post(alan, 'cross-paper', firstId, '2401.00002')).status).toBe(400);
    expect((await post(alan, 'ghost', 'deadbeefdeadbeef')).status).toBe(404);
    expect((await post(alan, '   ')).status).toBe(400);
    expect((await post(alan, 'x'.repeat(10_001))).status).toBe(400);
    const signals = await h.app.services.members.paperSignals(['2401.00001', '2401.00002']);
    expect(signals.get('2401.00001')?.comments).toBe(3);
    expect(signals.get('2401.00002')?.comments).toBe(0);
  });

  it('lets the author edit within the window only', async () => {
    const res = await post(ada, 'Frist');
    const id = /#c-([a-f0-9]+)$/.exec(res.headers.get('location') ?? '')![1]!;
    expect((await ada.client.get(`/comments/${id}/edit`)).status).toBe(200);
    expect((await alan.client.post(`/comments/${id}/edit`, { _csrf: alan.csrf, body: 'hijacked' })).status).toBe(403);
    expect((await ada.client.post(`/comments/${id}/edit`, { _csrf: ada.csrf, body: 'First' })).status).toBe(303);
    const comment = await h.app.services.members.findComment(id);
    expect(comment.body).toBe('First');
    expect(comment.editedAt).not.toBeNull();
    expect(await (await alan.client.get('/discuss/2401.00001')).text()).toContain(' · edited');

    await h.db.kysely.updateTable('comments').set({ created_at: new Date(Date.now() - 16 * 60_000).toISOString() }).execute();
    const late = await ada.client.post(`/comments/${id}/edit`, { _csrf: ada.csrf, body: 'Too late' });
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('15 minutes');
    expect((await h.app.services.members.findComment(id)).body).toBe('First');
  });

  it('soft-deletes: the text goes, replies keep their place, counts drop', async () => {
    const res = await post(ada, 'Regrettable');
    const id = /#c-([a-f0-9]+)$/.exec(res.headers.get('location') ?? '')![1]!;
    await post(alan, 'Reply stays', id);
    expect((await alan.client.post(`/comments/${id}/delete`, { _csrf: alan.csrf })).status).toBe(403);
    expect((await ada.client.post(`/comments/${id}/delete`, { _csrf: ada.csrf })).status).toBe(303);
    const row = await h.db.kysely.selectFrom('comments').select(['body', 'deleted_at']).where('public_id', '=', id).executeTakeFirstOrThrow();
    expect(row.body).toBe('');
    expect(row.deleted_at).not.toBeNull();
    const page = await (await alan.client.get('/discuss/2401.00001')).text();
    expect(page).not.toContain('Regrettable');
    expect(page).toContain('[deleted]');
    expect(page).toContain('Reply stays');
    expect(page).toContain('1 comment<');
    expect((await h.app.services.members.paperSignals(['2401.00001'])).get('2401.00001')?.comments).toBe(1);
    // Replying to a deleted comment is refused.
    expect((await post(alan, 'to the void', id)).status).toBe(400);
  });
});
