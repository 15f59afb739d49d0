/**
 * The write side of the Papers API, on Hugging Face's paths, for scripts and bots with a personal
 * token (`Authorization: Bearer`, see middleware/api-token.ts) or a signed-in browser (session
 * cookie plus the CSRF header): submit a paper to the daily feed, set its code and project links,
 * upvote, comment, reply and delete one's comment. Same services, rules and limits as the forms.
 * Also the reads that go with them: a paper's comments and the repositories it names.
 */
import { Hono, type Context } from 'hono';
import type { Comment, CommentNode } from '../../domain/comment.js';
import { AppError, ValidationError } from '../../domain/errors.js';
import { renderCommentMarkdown } from '../../domain/markdown.js';
import type { Viewer } from '../../domain/member.js';
import type { Services } from '../../services/services.js';
import type { PaperLinksView } from '../../services/members/paper-links.service.js';
import { parsePaperPath } from '../http/paper-path.js';
import { commentListParams, parseParams } from '../http/params.js';
import { getApiToken } from '../middleware/api-token.js';
import { getViewer } from '../middleware/session.js';
import { presentHfPaperInfo } from '../presenters/hf.presenter.js';
import { mathHtml } from '../presenters/tex.presenter.js';
import { setApiCaching, setNextLink } from './api-helpers.js';

type Json = Record<string, unknown>;

async function jsonBody(c: Context): Promise<Json> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON.', { field: 'body' });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError('The request body must be a JSON object.', { field: 'body' });
  return body as Json;
}

function stringField(body: Json, name: string, required: true): string;
function stringField(body: Json, name: string, required?: false): string | null | undefined;
function stringField(body: Json, name: string, required = false): string | null | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) throw new ValidationError(`"${name}" is required.`, { field: name });
    return v as null | undefined;
  }
  if (typeof v !== 'string') throw new ValidationError(`"${name}" must be a string.`, { field: name });
  return v;
}

/** The member making a write: by a write-scoped token, or by a browser session (CSRF already checked). */
function writer(c: Context): Viewer {
  const viewer = getViewer(c);
  if (!viewer) throw new AppError('unauthorized', 'Send a personal API token ("Authorization: Bearer <token>", created on your settings page) or sign in.');
  const token = getApiToken(c);
  if (token && token.scope !== 'write') throw new AppError('insufficient_scope', `This token is read-only; create a token with the "write" scope for ${c.req.method} ${c.req.path}.`);
  c.header('Cache-Control', 'no-store');
  return viewer;
}

function paperId(c: Context): string {
  const { id, bibtex, markdown } = parsePaperPath(c.req.param('id') ?? '');
  if (bibtex || markdown) throw new ValidationError('Use the bare arXiv id here.', { field: 'arxivId' });
  return id;
}

export interface ApiComment {
  id: string;
  parentId: string | null;
  author: { user: string; fullname: string } | null;
  /** Markdown source; empty when removed. */
  markdown: string;
  /** The same, rendered and sanitized (no raw HTML, no images, safe links). */
  html: string;
  createdAt: string;
  editedAt: string | null;
  status: 'visible' | 'deleted' | 'hidden';
  replies: ApiComment[];
}

function presentComment(comment: Comment, replies: ApiComment[] = []): ApiComment {
  const status = comment.hiddenAt ? 'hidden' : comment.deletedAt ? 'deleted' : 'visible';
  const visible = status === 'visible';
  return {
    id: comment.publicId,
    parentId: comment.parentPublicId,
    author: visible ? { user: comment.author.handle, fullname: comment.author.displayName } : null,
    markdown: visible ? comment.body : '',
    html: visible ? renderCommentMarkdown(comment.body, { math: mathHtml }) : '',
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
    status,
    replies,
  };
}

function presentNode(node: CommentNode): ApiComment {
  return presentComment(node.comment, node.replies.map(presentNode));
}

function presentLinks(links: PaperLinksView) {
  const github = links.codeUrl?.startsWith('https://github.com/') ? links.codeUrl : null;
  return {
    arxivId: links.arxivId,
    githubRepo: github,
    codeUrl: links.codeUrl,
    projectPage: links.projectPage,
    setBy: links.setBy === 'extracted' ? null : links.setBy ? { user: links.setBy.handle, fullname: links.setBy.displayName } : null,
    source: links.setBy === 'extracted' ? 'paper' : 'member',
  };
}

/** The feature's routes as a sub-app, mounted before hf.api.ts (whose `GET /api/papers/{id}` would take these paths). */
export function hfWriteApi(deps: { services: Services }): Hono {
  const app = new Hono();
  const { members, reader } = deps.services;

  app.post('/api/papers/index', async (c) => {
    const viewer = writer(c);
    const body = await jsonBody(c);
    const input = stringField(body, 'arxivId') ?? stringField(body, 'id') ?? stringField(body, 'paperId');
    if (!input) throw new ValidationError('"arxivId" is required (an arXiv id or URL).', { field: 'arxivId' });
    const result = await members.submitPaper(viewer.user, input);
    const page = await reader.paperPage(result.arxivId);
    return c.json(presentHfPaperInfo(page.paper, page), 201);
  });

  app.post('/api/papers/:id{.+}/links', async (c) => {
    const viewer = writer(c);
    const body = await jsonBody(c);
    const links = await members.setPaperLinks(viewer.user, paperId(c), { codeUrl: stringField(body, 'githubRepo'), projectPage: stringField(body, 'projectPage') });
    return c.json(presentLinks(links));
  });

  app.post('/api/papers/:id{.+}/upvote', async (c) => c.json(await members.setUpvote(writer(c).user, paperId(c), true)));
  app.delete('/api/papers/:id{.+}/upvote', async (c) => c.json(await members.setUpvote(writer(c).user, paperId(c), false)));

  app.post('/api/papers/:id{.+}/comment/:commentId/reply', async (c) => {
    const viewer = writer(c);
    const body = await jsonBody(c);
    const comment = await members.addComment(viewer.user, paperId(c), { body: stringField(body, 'comment', true), parent: c.req.param('commentId') });
    return c.json({ comment: presentComment(comment) }, 201);
  });

  app.post('/api/papers/:id{.+}/comment', async (c) => {
    const viewer = writer(c);
    const body = await jsonBody(c);
    const comment = await members.addComment(viewer.user, paperId(c), { body: stringField(body, 'comment', true) });
    return c.json({ comment: presentComment(comment) }, 201);
  });

  app.delete('/api/papers/:id{.+}/comment/:commentId', async (c) => {
    const viewer = writer(c);
    const arxivId = paperId(c);
    const existing = await members.findComment(c.req.param('commentId') ?? '');
    if (existing.arxivId !== arxivId) throw new AppError('comment_not_found', `Paper ${arxivId} has no comment ${existing.publicId}.`);
    const comment = await members.deleteComment(viewer.user, existing.publicId);
    return c.json({ comment: presentComment(comment) });
  });

  app.get('/api/papers/:id{.+}/comments', async (c) => {
    const arxivId = paperId(c);
    const params = parseParams(commentListParams, c.req.query());
    const thread = await members.commentThread(arxivId);
    const threads = thread.nodes.slice(params.p * params.limit, (params.p + 1) * params.limit);
    if ((params.p + 1) * params.limit < thread.nodes.length) setNextLink(c, 'p', params.p);
    setApiCaching(c);
    return c.json({ arxivId, numComments: thread.count, numThreads: thread.nodes.length, comments: threads.map(presentNode) });
  });

  app.get('/api/arxiv/:id{.+}/repos', async (c) => {
    const arxivId = paperId(c);
    const links = await members.paperLinks(arxivId);
    const hub = (kind: string) => links.repos.filter((r) => r.hubKind === kind).map((r) => ({ id: r.id, url: r.url }));
    setApiCaching(c);
    return c.json({
      models: hub('model'),
      datasets: hub('dataset'),
      spaces: hub('space'),
      // Paperboy extras: code repositories on any forge, the code link in force first.
      code: links.repos.filter((r) => r.host !== 'huggingface').map((r) => ({ url: r.url, host: r.host, id: r.id })),
      ...presentLinks(links),
    });
  });

  return app;
}
