/**
 * Members as people: creating accounts from the CLI (admins), public profiles, profile settings,
 * and the per-paper community signals (upvotes, comment counts, submitter, hidden) that feeds
 * and paper pages show.
 */
import { AppError, NotFoundError } from '../../domain/errors.js';
import type { DailyEntry } from '../../domain/member.js';
import { normalizeEmail, provisionalHandle, toPublicMember, validateDisplayName, validateHandle, type PublicMember, type User } from '../../domain/user.js';
import { listCommentsByUser } from '../../store/comment.repository.js';
import { findDailyEntriesByArxivIds, listSubmissionsByUser } from '../../store/daily-entry.repository.js';
import { listLibrary } from '../../store/library.repository.js';
import { hiddenArxivIds } from '../../store/moderation.repository.js';
import { findPaperByArxivId } from '../../store/paper.repository.js';
import { findUserByEmail, findUserByHandle, insertUserIfAbsent, isUniqueViolation, setUserRole, updateUserProfile } from '../../store/user.repository.js';
import { countCommentsByArxivId } from '../../store/comment.repository.js';
import { countVotesByArxivId, votedArxivIds } from '../../store/vote.repository.js';
import { assertActive, newPublicId, type MemberDeps } from './member-deps.js';

/** Creates a member (or finds the existing one) and optionally makes them an admin. */
export async function createMember(deps: MemberDeps, input: { email: string; admin: boolean; displayName?: string }): Promise<{ user: User; created: boolean; promoted: boolean }> {
  const email = normalizeEmail(input.email);
  const db = deps.db.kysely;
  const now = deps.now().toISOString();
  let user = await findUserByEmail(db, email);
  let created = false;
  if (!user) {
    const handle = provisionalHandle(newPublicId(4));
    const result = await insertUserIfAbsent(db, { email, handle, displayName: input.displayName ? validateDisplayName(input.displayName) : handle, role: input.admin ? 'admin' : 'member', now });
    user = result.user;
    created = result.created;
  }
  let promoted = false;
  if (input.admin && user.role !== 'admin') {
    await setUserRole(db, user.id, 'admin', now);
    user = { ...user, role: 'admin' };
    promoted = true;
  }
  return { user, created, promoted };
}

export interface MemberProfile {
  member: PublicMember;
  submissions: { arxivId: string; title: string; day: string }[];
  comments: { publicId: string; arxivId: string; excerpt: string; createdAt: string }[];
}

export async function memberProfile(deps: MemberDeps, handle: string): Promise<MemberProfile> {
  const db = deps.db.kysely;
  const user = /^[a-z0-9-]{3,30}$/.test(handle) ? await findUserByHandle(db, handle) : null;
  if (!user) throw new NotFoundError('member_not_found', `No member @${handle}.`, { handle });
  const entries = await listSubmissionsByUser(db, user.id, 20);
  const submissions = [];
  for (const e of entries) {
    const paper = await findPaperByArxivId(db, e.arxivId);
    if (paper) submissions.push({ arxivId: e.arxivId, title: paper.title, day: e.day });
  }
  const comments = (await listCommentsByUser(db, user.id, 20)).map((c) => ({
    publicId: c.publicId,
    arxivId: c.arxivId,
    excerpt: c.body.length > 200 ? `${c.body.slice(0, 200)}…` : c.body,
    createdAt: c.createdAt,
  }));
  return { member: toPublicMember(user), submissions, comments };
}

export async function updateProfile(deps: MemberDeps, user: User, input: { displayName: string; handle: string }): Promise<User> {
  assertActive(user);
  const displayName = validateDisplayName(input.displayName);
  const handle = validateHandle(input.handle);
  const db = deps.db.kysely;
  const taken = await findUserByHandle(db, handle);
  if (taken && taken.id !== user.id) throw new AppError('handle_taken', `The handle "${handle}" is taken.`, { details: { field: 'handle' } });
  try {
    await updateUserProfile(db, user.id, { displayName, handle }, deps.now().toISOString());
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('handle_taken', `The handle "${handle}" is taken.`, { details: { field: 'handle' } });
    throw error;
  }
  return { ...user, displayName, handle };
}

/** What the community added to a paper, for cards and paper pages. */
export interface PaperSignals {
  upvotes: number;
  comments: number;
  /** Whether the viewer upvoted it (false for anonymous visitors). */
  upvoted: boolean;
  /** Whether the viewer saved it in their library. */
  saved: boolean;
  /** The feed entry, when a member submitted it. */
  entry: DailyEntry | null;
  /** Hidden from feeds by a moderator. */
  hidden: boolean;
}

export async function paperSignals(deps: MemberDeps, arxivIds: readonly string[], viewer: User | null = null): Promise<Map<string, PaperSignals>> {
  const db = deps.db.kysely;
  const ids = [...new Set(arxivIds)];
  const out = new Map<string, PaperSignals>();
  if (ids.length === 0) return out;
  const [votes, comments, entries, hidden, voted, saved] = await Promise.all([
    countVotesByArxivId(db, ids),
    countCommentsByArxivId(db, ids),
    findDailyEntriesByArxivIds(db, ids),
    hiddenArxivIds(db, ids),
    viewer ? votedArxivIds(db, viewer.id, ids) : Promise.resolve(new Set<string>()),
    viewer ? listLibrary(db, viewer.id, { arxivIds: ids }).then((l) => new Set(l.map((e) => e.arxivId))) : Promise.resolve(new Set<string>()),
  ]);
  for (const id of ids) {
    out.set(id, {
      upvotes: votes.get(id) ?? 0,
      comments: comments.get(id) ?? 0,
      upvoted: voted.has(id),
      saved: saved.has(id),
      entry: entries.get(id) ?? null,
      hidden: hidden.has(id),
    });
  }
  return out;
}
