/**
 * The write API with personal tokens, on every dialect: tokens are made and revoked on the
 * settings page (shown once, stored hashed), a write token can submit, set links, upvote,
 * comment, reply and delete on Hugging Face's paths; read-only, revoked and unknown tokens get a
 * JSON 401/403; token writes hit the same per-member limits as browser writes; the token never
 * reaches the log. Also the comments and repositories reads.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { enabledDialects } from '../../store/testing/test-database.js';
import { addPapers, createHarness, ORIGIN, paperRecord, signedInMember, type Harness, type SignedInMember } from '../members/testing/member-harness.js';
import { createWebApp } from '../web-app.js';
import { parsePaperInfo } from './hf-client.contract.js';

const COMMENTS_PER_HOUR = 6;

describe.each(enabledDialects())('write API with tokens on %s', (dialect) => {
  let h: Harness;
  let ada: SignedInMember;
  let alan: SignedInMember;
  const logLines: string[] = [];

  const api = (method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) =>
    h.web.request(`${ORIGIN}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  async function createToken(member: SignedInMember, name: string, scope: 'read' | 'write'): Promise<string> {
    const res = await member.client.post('/settings/tokens', { _csrf: member.csrf, name, scope });
    expect(res.status).toBe(201);
    const html = await res.text();
    const m = /<code id="new-token">(pb_[A-Za-z0-9_-]{43})<\/code>/.exec(html);
    expect(m).not.toBeNull();
    return m![1]!;
  }

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    h = await createHarness(dialect, { members: { limits: { commentsPerHour: COMMENTS_PER_HOUR, votesPerMinute: 1000 } }, http: { accessLog: true, answerCacheSettleMs: 0 }, logger: pino({ level: 'info' }, sink) });
    // The access log comes from the web app, which the harness builds with the app's logger.
    h.web = createWebApp({ services: h.app.services, logger: h.app.logger, http: h.app.config.http });
    await addPapers(
      h,
      paperRecord('2401.00001', { abstract: 'Code at https://github.com/lab/tool.', comments: 'Project page: https://lab.github.io/tool/' }),
      paperRecord('2401.00002'),
      paperRecord('2401.00003', { abstract: 'Weights at https://huggingface.co/lab/model-7b and data https://huggingface.co/datasets/lab/corpus; code https://gitlab.com/lab/train.' }),
      paperRecord('math/0611918'),
    );
    ada = await signedInMember(h, 'ada@example.org');
    alan = await signedInMember(h, 'alan@example.org');
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows a new token once, lists it by hint with its scope, and stores only its hash', async () => {
    const token = await createToken(ada, 'lab bot', 'write');
    const settings = await (await ada.client.get('/settings')).text();
    expect(settings).not.toContain(token);
    expect(settings).toContain('lab bot');
    expect(settings).toContain(`${token.slice(0, 7)}…`);
    const rows = await h.db.kysely.selectFrom('api_tokens').selectAll().execute();
    expect(rows.map((r) => r.token_hash)).toContain(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
    // A bad scope or an empty name is shown on the page, nothing is made.
    const bad = await ada.client.post('/settings/tokens', { _csrf: ada.csrf, name: '', scope: 'write' });
    expect(bad.status).toBe(400);
    const badScope = await ada.client.post('/settings/tokens', { _csrf: ada.csrf, name: 'x', scope: 'admin' });
    expect(badScope.status).toBe(400);
    expect(await h.db.kysely.selectFrom('api_tokens').selectAll().execute()).toHaveLength(rows.length);
  });

  it('lets a write token submit, set links, upvote, comment, reply and delete on Hugging Face paths', async () => {
    const token = await createToken(ada, 'writer', 'write');
    const submitted = await api('POST', '/api/papers/index', token, { arxivId: 'https://arxiv.org/abs/2401.00002v1' });
    expect(submitted.status).toBe(201);
    const paper = parsePaperInfo(await submitted.json());
    expect(paper.id).toBe('2401.00002');
    expect(paper.submittedBy?.username).toBe(ada.user.handle);
    expect((await api('POST', '/api/papers/index', token, { arxivId: '2401.00002' })).status).toBe(409);

    const links = await api('POST', '/api/papers/2401.00002/links', token, { githubRepo: 'https://github.com/ada/thing/tree/main', projectPage: 'https://ada.example.org/thing' });
    expect(links.status).toBe(200);
    expect(await links.json()).toMatchObject({ githubRepo: 'https://github.com/ada/thing', projectPage: 'https://ada.example.org/thing', setBy: { user: ada.user.handle }, source: 'member' });
    const info = parsePaperInfo(await (await api('GET', '/api/papers/2401.00002', null)).json());
    expect(info).toMatchObject({ githubRepo: 'https://github.com/ada/thing', projectPage: 'https://ada.example.org/thing' });

    expect(await (await api('POST', '/api/papers/2401.00002/upvote', token)).json()).toEqual({ arxivId: '2401.00002', upvotes: 1, upvoted: true });
    expect(await (await api('POST', '/api/papers/2401.00002/upvote', token)).json()).toMatchObject({ upvotes: 1 });
    expect(await (await api('DELETE', '/api/papers/2401.00002/upvote', token)).json()).toEqual({ arxivId: '2401.00002', upvotes: 0, upvoted: false });

    const posted = await api('POST', '/api/papers/2401.00002/comment', token, { comment: 'Nice **result**' });
    expect(posted.status).toBe(201);
    const { comment } = (await posted.json()) as any;
    expect(comment).toMatchObject({ markdown: 'Nice **result**', html: expect.stringContaining('<strong>result</strong>'), author: { user: ada.user.handle }, parentId: null });
    const reply = await api('POST', `/api/papers/2401.00002/comment/${comment.id}/reply`, token, { comment: 'And a reply' });
    expect(reply.status).toBe(201);
    const replyId = ((await reply.json()) as any).comment.id;

    const thread = (await (await api('GET', '/api/papers/2401.00002/comments', null)).json()) as any;
    expect(thread).toMatchObject({ arxivId: '2401.00002', numComments: 2, numThreads: 1 });
    expect(thread.comments[0].replies.map((r: any) => r.id)).toEqual([replyId]);

    const deleted = await api('DELETE', `/api/papers/2401.00002/comment/${replyId}`, token);
    expect(deleted.status).toBe(200);
    expect(((await deleted.json()) as any).comment.status).toBe('deleted');
    // Someone else's comment is not yours to delete, and a comment id of another paper is a 404.
    const alanToken = await createToken(alan, 'alan bot', 'write');
    expect((await api('DELETE', `/api/papers/2401.00002/comment/${comment.id}`, alanToken)).status).toBe(403);
    expect((await api('DELETE', `/api/papers/2401.00001/comment/${comment.id}`, token)).status).toBe(404);
    const after = (await (await api('GET', '/api/papers/2401.00002/comments', null)).json()) as any;
    expect(after.numComments).toBe(1);
    // A deleted comment without replies leaves the thread; the JSON never carries its text.
    expect(after.comments[0].replies).toEqual([]);
    expect(JSON.stringify(after)).not.toContain('And a reply');
  });

  it('refuses read-only, revoked, unknown and malformed tokens with a JSON error, and writes nothing', async () => {
    const reader = await createToken(ada, 'reader', 'read');
    const votes = () => h.db.kysely.selectFrom('votes').selectAll().execute();
    const before = (await votes()).length;
    const readOnly = await api('POST', '/api/papers/2401.00001/upvote', reader);
    expect(readOnly.status).toBe(403);
    expect(await readOnly.json()).toMatchObject({ error: { code: 'insufficient_scope', message: expect.stringContaining('read-only') } });

    const revoked = await createToken(ada, 'short-lived', 'write');
    const id = (await h.db.kysely.selectFrom('api_tokens').select('id').where('name', '=', 'short-lived').executeTakeFirstOrThrow()).id;
    expect((await ada.client.post(`/settings/tokens/${id}/revoke`, { _csrf: ada.csrf })).status).toBe(303);
    expect(await (await ada.client.get('/settings')).text()).toContain('Revoked: short-lived');
    // Another member cannot revoke it (404), and a revoked token is refused.
    expect((await alan.client.post(`/settings/tokens/${id}/revoke`, { _csrf: alan.csrf }, { accept: 'application/json' })).status).toBe(404);
    for (const [token, code] of [
      [revoked, 'invalid_token'],
      [`pb_${'A'.repeat(43)}`, 'invalid_token'],
      ['hf_notours', 'invalid_token'],
    ] as const) {
      const res = await api('POST', '/api/papers/2401.00001/upvote', token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/json');
      const body = (await res.json()) as any;
      expect(body.error.code).toBe(code);
      expect(JSON.stringify(body)).not.toContain(token);
    }
    const basic = await api('POST', '/api/papers/2401.00001/upvote', null, undefined, { authorization: 'Basic YTpi' });
    expect(basic.status).toBe(401);
    const anonymous = await api('POST', '/api/papers/2401.00001/upvote', null);
    expect(anonymous.status).toBe(403); // no token and no CSRF token: refused before the route
    expect((await votes()).length).toBe(before);
    // Reads ignore tokens, ours or Hugging Face's, valid or not.
    expect((await api('GET', '/api/papers/2401.00001', 'hf_saved_token_of_the_client')).status).toBe(200);
    expect((await api('GET', '/api/papers/2401.00001', revoked)).status).toBe(200);
  });

  it('acts as the token member, never the cookie member, and a cookie write still needs its CSRF token', async () => {
    const token = await createToken(alan, 'alan voter', 'write');
    // Ada's browser session plus Alan's token: the vote is Alan's.
    const res = await ada.client.request('POST', '/api/papers/math/0611918/upvote', { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    expect(res.status).toBe(200);
    const voters = await h.db.kysely.selectFrom('votes').innerJoin('users', 'users.id', 'votes.user_id').innerJoin('papers', 'papers.id', 'votes.paper_id').select('users.email').where('papers.arxiv_id', '=', 'math/0611918').execute();
    expect(voters.map((v) => v.email)).toEqual(['alan@example.org']);
    const cookieOnly = await ada.client.request('POST', '/api/papers/2401.00003/upvote', { headers: { accept: 'application/json' } });
    expect(cookieOnly.status).toBe(403);
    const withCsrf = await ada.client.request('POST', '/api/papers/2401.00003/upvote', { headers: { accept: 'application/json', 'x-csrf-token': ada.csrf } });
    expect(withCsrf.status).toBe(200);
  });

  it('limits token writes like browser writes (comments per hour), with Retry-After', async () => {
    const member = await signedInMember(h, 'limits@example.org');
    const token = await createToken(member, 'chatty', 'write');
    for (let i = 0; i < COMMENTS_PER_HOUR - 1; i++) expect((await api('POST', '/api/papers/2401.00001/comment', token, { comment: `token ${i}` })).status).toBe(201);
    // The browser form and the token share one budget.
    expect((await member.client.post('/papers/2401.00001/comments', { _csrf: member.csrf, body: 'from the browser' })).status).toBe(303);
    const limited = await api('POST', '/api/papers/2401.00001/comment', token, { comment: 'one too many' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as any).error.code).toBe('rate_limited');
  });

  it('answers 400 naming the field for bad bodies and links', async () => {
    const token = await createToken(ada, 'careless', 'write');
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/papers/index', {}, 'arxivId'],
      ['POST', '/api/papers/index', { arxivId: 42 }, 'arxivId'],
      ['POST', '/api/papers/2401.00001/comment', { text: 'wrong key' }, 'comment'],
      ['POST', '/api/papers/2401.00001/links', { githubRepo: 'https://example.org/not/a/forge' }, 'githubRepo'],
      ['POST', '/api/papers/2401.00001/links', { projectPage: 'javascript:alert(1)' }, 'projectPage'],
      ['POST', '/api/papers/2401.00001/links', {}, 'githubRepo'],
      ['POST', '/api/papers/not-an-id/upvote', undefined, 'arxivId'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await api(method, path, token, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(((await res.json()) as any).error.details.field).toBe(field);
    }
    const notJson = await h.web.request(`${ORIGIN}/api/papers/2401.00001/comment`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"comment": ' });
    expect(notJson.status).toBe(400);
  });

  it('never writes a token to the log', async () => {
    const token = await createToken(ada, 'quiet', 'write');
    await api('POST', '/api/papers/2401.00001/upvote', token);
    await api('POST', '/api/papers/2401.00001/upvote', `${token.slice(0, -1)}x`);
    const log = logLines.join('');
    expect(log).toContain('"path":"/api/papers/2401.00001/upvote"');
    expect(log).not.toContain(token.slice(3));
  });

  it('lists the repositories a paper names, Hub repositories by kind, and its links as the paper gives them', async () => {
    const repos = (await (await api('GET', '/api/arxiv/2401.00003/repos', null)).json()) as any;
    expect(repos).toMatchObject({
      models: [{ id: 'lab/model-7b', url: 'https://huggingface.co/lab/model-7b' }],
      datasets: [{ id: 'lab/corpus' }],
      spaces: [],
      code: [{ url: 'https://gitlab.com/lab/train', host: 'gitlab' }],
      githubRepo: null,
      codeUrl: 'https://gitlab.com/lab/train',
      source: 'paper',
    });
    const first = (await (await api('GET', '/api/arxiv/2401.00001/repos', null)).json()) as any;
    expect(first).toMatchObject({ githubRepo: 'https://github.com/lab/tool', projectPage: 'https://lab.github.io/tool/', code: [{ id: 'lab/tool' }] });
    expect((await api('GET', '/api/arxiv/2401.09999/repos', null)).status).toBe(404);
  });
});
