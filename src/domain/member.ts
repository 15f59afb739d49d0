/**
 * What the web layer knows about the person making a request, and the shapes member features
 * share (library entries, moderation log lines).
 */
import type { User } from './user.js';

/** A signed-in visitor: the member, the session they hold and its CSRF token. */
export interface Viewer {
  user: User;
  /** Hash of the session cookie (the session row's key); never the cookie itself. */
  sessionId: string;
  csrfToken: string;
}

export interface LibraryEntry {
  arxivId: string;
  title: string;
  authors: string[];
  publishedAt: string | null;
  primaryCategory: string | null;
  doi: string | null;
  journalRef: string | null;
  latestVersion: number | null;
  note: string;
  savedAt: string;
  updatedAt: string;
}

export type ModerationAction = 'hide_paper' | 'unhide_paper' | 'hide_comment' | 'unhide_comment' | 'suspend_member' | 'unsuspend_member' | 'revert_links';

export interface ModerationLogEntry {
  action: ModerationAction;
  targetType: 'paper' | 'comment' | 'member';
  /** arXiv id, comment public id or member handle. */
  target: string;
  reason: string | null;
  actorHandle: string | null;
  createdAt: string;
}

/** A paper on the daily feed because a member submitted it. */
export interface DailyEntry {
  arxivId: string;
  day: string;
  submittedAt: string;
  submitter: { handle: string; displayName: string } | null;
}

export const MAX_NOTE_LENGTH = 5_000;
export const MAX_REASON_LENGTH = 500;
