/**
 * Comments: post (top level or reply), edit within the configured window, soft delete by the
 * author or a moderator, and read a paper's thread. Markdown is stored as typed and rendered
 * (sanitized) when shown, so a sanitizer fix applies to old comments too.
 */
import { buildCommentTree, canEditComment, MAX_COMMENT_DEPTH, validateCommentBody, type Comment, type CommentNode } from '../../domain/comment.js';
import { AppError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { decideFromCount, RateLimitedError } from '../../domain/rate-limit.js';
import { isAdmin, type User } from '../../domain/user.js';
import { countCommentsByUserSince, findCommentByPublicId, insertComment, listCommentsForPaper, softDeleteComment, updateCommentBody, type StoredComment } from '../../store/comment.repository.js';
import { assertActive, newPublicId, requirePaperKey, type MemberDeps } from './member-deps.js';

const HOUR_MS = 3_600_000;

function publicView({ id: _id, paperId: _p, userId: _u, ...comment }: StoredComment): Comment {
  return comment;
}

async function requireComment(deps: MemberDeps, publicId: string): Promise<StoredComment> {
  const comment = /^[a-f0-9]{8,32}$/.test(publicId) ? await findCommentByPublicId(deps.db.kysely, publicId) : null;
  if (!comment) throw new NotFoundError('comment_not_found', 'That comment does not exist.', { comment: publicId });
  return comment;
}

export async function addComment(deps: MemberDeps, user: User, arxivId: string, input: { body: string; parent?: string | null }): Promise<Comment> {
  assertActive(user);
  const body = validateCommentBody(input.body);
  const db = deps.db.kysely;
  const now = deps.now();
  const recent = await countCommentsByUserSince(db, user.id, new Date(now.getTime() - HOUR_MS).toISOString());
  const decision = decideFromCount(recent.count, recent.oldest, deps.config.members.limits.commentsPerHour, HOUR_MS, now.getTime());
  if (!decision.allowed) throw new RateLimitedError('You have posted many comments in the last hour. Try again a bit later.', decision.retryAfterMs / 1000, { limit: 'comments_per_hour' });

  const { id: paperId } = await requirePaperKey(deps, arxivId);
  let parentId: number | null = null;
  let depth = 0;
  if (input.parent) {
    const parent = await requireComment(deps, input.parent);
    if (parent.paperId !== paperId) throw new ValidationError('You can only reply to a comment on the same paper.', { field: 'parent' });
    if (parent.deletedAt || parent.hiddenAt) throw new ValidationError('That comment was removed; it cannot be replied to.', { field: 'parent' });
    parentId = parent.id;
    depth = Math.min(parent.depth + 1, MAX_COMMENT_DEPTH);
  }
  const publicId = newPublicId();
  await insertComment(db, { publicId, paperId, userId: user.id, parentId, depth, body, now: now.toISOString() });
  return publicView(await requireComment(deps, publicId));
}

export async function editComment(deps: MemberDeps, user: User, publicId: string, rawBody: string): Promise<Comment> {
  assertActive(user);
  const comment = await requireComment(deps, publicId);
  const windowMinutes = deps.config.members.commentEditMinutes;
  if (!canEditComment(comment, user.handle, deps.now().getTime(), windowMinutes)) {
    throw new AppError('forbidden', `Comments can be edited by their author for ${windowMinutes} minutes after posting.`, { details: { comment: publicId } });
  }
  await updateCommentBody(deps.db.kysely, comment.id, validateCommentBody(rawBody), deps.now().toISOString());
  return publicView(await requireComment(deps, publicId));
}

export async function deleteComment(deps: MemberDeps, user: User, publicId: string): Promise<Comment> {
  assertActive(user);
  const comment = await requireComment(deps, publicId);
  if (comment.userId !== user.id && !isAdmin(user)) throw new AppError('forbidden', 'Only the author can delete this comment.');
  await softDeleteComment(deps.db.kysely, comment.id, deps.now().toISOString());
  return publicView(await requireComment(deps, publicId));
}

export async function findComment(deps: MemberDeps, publicId: string): Promise<Comment> {
  return publicView(await requireComment(deps, publicId));
}

export interface CommentThread {
  arxivId: string;
  nodes: CommentNode[];
  /** Visible comments (removed ones are not counted). */
  count: number;
  editWindowMinutes: number;
}

export async function commentThread(deps: MemberDeps, arxivId: string): Promise<CommentThread> {
  const { id: paperId } = await requirePaperKey(deps, arxivId);
  const comments = (await listCommentsForPaper(deps.db.kysely, paperId)).map(publicView);
  return {
    arxivId,
    nodes: buildCommentTree(comments),
    count: comments.filter((c) => !c.deletedAt && !c.hiddenAt).length,
    editWindowMinutes: deps.config.members.commentEditMinutes,
  };
}
