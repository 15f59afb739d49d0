/**
 * Moderation by admins: hide a paper from the feed, hide a comment, suspend a member (which also
 * ends their sessions), and undo each. Every action and its log line are written in one
 * transaction, so nothing happens unlogged.
 */
import { AppError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { MAX_REASON_LENGTH, type ModerationAction, type ModerationLogEntry } from '../../domain/member.js';
import type { User } from '../../domain/user.js';
import { findCommentByPublicId, setCommentHidden } from '../../store/comment.repository.js';
import { hidePaper as hidePaperRow, insertModerationLog, listModerationLog, unhidePaper as unhidePaperRow } from '../../store/moderation.repository.js';
import { deleteSessionsOfUser } from '../../store/session.repository.js';
import { findUserByHandle, setUserStatus } from '../../store/user.repository.js';
import { assertAdmin, requirePaperKey, type MemberDeps } from './member-deps.js';

function reasonOf(reason: string | undefined | null): string | null {
  const text = (reason ?? '').trim();
  if (text.length > MAX_REASON_LENGTH) throw new ValidationError(`The reason is longer than ${MAX_REASON_LENGTH} characters.`, { field: 'reason' });
  return text || null;
}

export async function logged(deps: MemberDeps, admin: User, entry: { action: ModerationAction; targetType: 'paper' | 'comment' | 'member'; target: string; reason: string | null }, act: (trx: MemberDeps['db']['kysely']) => Promise<void>): Promise<void> {
  const now = deps.now().toISOString();
  await deps.db.kysely.transaction().execute(async (trx) => {
    await act(trx);
    await insertModerationLog(trx, { actorId: admin.id, ...entry, now });
  });
  deps.logger.info({ moderator: admin.handle, ...entry }, 'moderation action');
}

export async function setPaperHidden(deps: MemberDeps, admin: User, arxivId: string, hidden: boolean, reason?: string): Promise<void> {
  assertAdmin(admin);
  const { id } = await requirePaperKey(deps, arxivId);
  const why = reasonOf(reason);
  await logged(deps, admin, { action: hidden ? 'hide_paper' : 'unhide_paper', targetType: 'paper', target: arxivId, reason: why }, async (trx) => {
    if (hidden) await hidePaperRow(trx, id, admin.id, why, deps.now().toISOString());
    else await unhidePaperRow(trx, id);
  });
}

export async function setCommentHiddenByModerator(deps: MemberDeps, admin: User, publicId: string, hidden: boolean, reason?: string): Promise<void> {
  assertAdmin(admin);
  const comment = /^[a-f0-9]{8,32}$/.test(publicId) ? await findCommentByPublicId(deps.db.kysely, publicId) : null;
  if (!comment) throw new NotFoundError('comment_not_found', 'That comment does not exist.', { comment: publicId });
  const why = reasonOf(reason);
  await logged(deps, admin, { action: hidden ? 'hide_comment' : 'unhide_comment', targetType: 'comment', target: publicId, reason: why }, async (trx) => {
    await setCommentHidden(trx, comment.id, hidden ? deps.now().toISOString() : null);
  });
}

export async function setMemberSuspended(deps: MemberDeps, admin: User, handle: string, suspended: boolean, reason?: string): Promise<void> {
  assertAdmin(admin);
  const member = await findUserByHandle(deps.db.kysely, handle.trim().toLowerCase());
  if (!member) throw new NotFoundError('member_not_found', `No member @${handle}.`, { handle });
  if (member.id === admin.id) throw new AppError('forbidden', 'You cannot suspend yourself.');
  if (member.role === 'admin' && suspended) throw new AppError('forbidden', 'Admins cannot be suspended here; remove the admin role first.');
  const why = reasonOf(reason);
  await logged(deps, admin, { action: suspended ? 'suspend_member' : 'unsuspend_member', targetType: 'member', target: member.handle, reason: why }, async (trx) => {
    await setUserStatus(trx, member.id, suspended ? 'suspended' : 'active', why, deps.now().toISOString());
    if (suspended) await deleteSessionsOfUser(trx, member.id);
  });
}

export async function moderationLog(deps: MemberDeps, admin: User, limit = 100): Promise<ModerationLogEntry[]> {
  assertAdmin(admin);
  return listModerationLog(deps.db.kysely, limit);
}
