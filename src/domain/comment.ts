/**
 * Comments on papers: threaded replies, an edit window, soft delete (the text goes, the place in
 * the thread stays so replies keep their context) and moderator hiding.
 */
import { ValidationError } from './errors.js';

export const MAX_COMMENT_LENGTH = 10_000;
/** Replies deeper than this attach to the deepest allowed level, so threads stay readable. */
export const MAX_COMMENT_DEPTH = 6;

export interface Comment {
  /** Random public id, used in URLs and anchors (`#c-<publicId>`). */
  publicId: string;
  arxivId: string;
  author: { handle: string; displayName: string };
  parentPublicId: string | null;
  depth: number;
  /** Markdown source; empty once deleted or hidden. */
  body: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  hiddenAt: string | null;
}

export interface CommentNode {
  comment: Comment;
  replies: CommentNode[];
}

export function validateCommentBody(input: string): string {
  const body = input.replace(/\r\n?/g, '\n').trim();
  if (body.length === 0) throw new ValidationError('The comment is empty.', { field: 'body' });
  if (body.length > MAX_COMMENT_LENGTH) throw new ValidationError(`The comment is longer than ${MAX_COMMENT_LENGTH} characters.`, { field: 'body' });
  return body;
}

/** Whether the text is gone: deleted by its author or hidden by a moderator. */
export function isRemoved(comment: Pick<Comment, 'deletedAt' | 'hiddenAt'>): boolean {
  return comment.deletedAt !== null || comment.hiddenAt !== null;
}

/** Authors may edit their own comment for `windowMinutes` after posting it, unless it is removed. */
export function canEditComment(comment: Comment, viewerHandle: string | null, nowMs: number, windowMinutes: number): boolean {
  if (viewerHandle === null || comment.author.handle !== viewerHandle || isRemoved(comment)) return false;
  return nowMs - Date.parse(comment.createdAt) <= windowMinutes * 60_000;
}

/** Builds the reply tree in posting order; replies whose parent is unknown become top-level. */
export function buildCommentTree(comments: readonly Comment[]): CommentNode[] {
  const sorted = [...comments].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.publicId.localeCompare(b.publicId));
  const nodes = new Map<string, CommentNode>();
  for (const c of sorted) nodes.set(c.publicId, { comment: c, replies: [] });
  const roots: CommentNode[] = [];
  for (const c of sorted) {
    const node = nodes.get(c.publicId)!;
    const parent = c.parentPublicId ? nodes.get(c.parentPublicId) : undefined;
    if (parent) parent.replies.push(node);
    else roots.push(node);
  }
  return pruneRemovedLeaves(roots);
}

/** A removed comment with no visible replies says nothing; drop it from the tree. */
function pruneRemovedLeaves(nodes: CommentNode[]): CommentNode[] {
  const out: CommentNode[] = [];
  for (const node of nodes) {
    node.replies = pruneRemovedLeaves(node.replies);
    if (isRemoved(node.comment) && node.replies.length === 0) continue;
    out.push(node);
  }
  return out;
}
