/** Moderation: papers hidden from the feed, and the log of every moderator action. */
import type { Kysely } from 'kysely';
import type { ModerationAction, ModerationLogEntry } from '../domain/member.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

const CHUNK = 900;

export async function hidePaper(db: Executor, paperId: number, by: number | null, reason: string | null, now: string): Promise<boolean> {
  const result = await db
    .insertInto('hidden_papers')
    .values({ paper_id: paperId, hidden_by: by, reason, hidden_at: now })
    .onConflict((oc) => oc.column('paper_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function unhidePaper(db: Executor, paperId: number): Promise<boolean> {
  const result = await db.deleteFrom('hidden_papers').where('paper_id', '=', paperId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Which of these papers a moderator hid. */
export async function hiddenArxivIds(db: Executor, arxivIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < arxivIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('hidden_papers')
      .innerJoin('papers', 'papers.id', 'hidden_papers.paper_id')
      .select('papers.arxiv_id')
      .where('papers.arxiv_id', 'in', arxivIds.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.add(r.arxiv_id);
  }
  return out;
}

export async function insertModerationLog(db: Executor, e: { actorId: number | null; action: ModerationAction; targetType: 'paper' | 'comment' | 'member'; target: string; reason: string | null; now: string }): Promise<void> {
  await db
    .insertInto('moderation_log')
    .values({ actor_id: e.actorId, action: e.action, target_type: e.targetType, target: e.target, reason: e.reason, created_at: e.now })
    .execute();
}

export async function listModerationLog(db: Executor, limit: number): Promise<ModerationLogEntry[]> {
  const rows = await db
    .selectFrom('moderation_log')
    .leftJoin('users', 'users.id', 'moderation_log.actor_id')
    .select(['moderation_log.action', 'moderation_log.target_type', 'moderation_log.target', 'moderation_log.reason', 'moderation_log.created_at', 'users.handle'])
    .orderBy('moderation_log.created_at', 'desc')
    .orderBy('moderation_log.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    action: r.action as ModerationAction,
    targetType: r.target_type as ModerationLogEntry['targetType'],
    target: r.target,
    reason: r.reason,
    actorHandle: r.handle ?? null,
    createdAt: r.created_at,
  }));
}
