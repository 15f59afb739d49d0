/**
 * Submitting a paper to today's feed. The input is parsed as an arXiv id or arXiv URL before
 * anything else happens, and only the parsed id travels on: whatever the member typed, the one
 * outbound request goes to the configured arXiv API endpoint. A paper is on the feed once; each
 * member may submit a few per UTC day (checked under a lock on the member, so concurrent
 * submissions cannot slip past the limit).
 */
import { parseArxivReference } from '../../domain/arxiv-id.js';
import { AppError, NotFoundError } from '../../domain/errors.js';
import { msUntilNextUtcDay, RateLimitedError } from '../../domain/rate-limit.js';
import type { User } from '../../domain/user.js';
import { countSubmissionsOnDay, findPaperKey, insertDailyEntry } from '../../store/daily-entry.repository.js';
import { hiddenArxivIds } from '../../store/moderation.repository.js';
import { upsertPapers } from '../../store/paper.repository.js';
import { lockUser } from '../../store/user.repository.js';
import { assertActive, utcDay, type MemberDeps } from './member-deps.js';

export interface SubmissionResult {
  arxivId: string;
  day: string;
  /** True when the metadata had to be fetched from arXiv. */
  fetched: boolean;
}

function limitReached(limit: number, nowMs: number): RateLimitedError {
  return new RateLimitedError(
    limit === 0 ? 'Submissions are switched off on this site.' : `You have submitted ${limit} papers today, the daily limit. Submit more tomorrow (UTC).`,
    msUntilNextUtcDay(nowMs) / 1000,
    { limit: 'submissions_per_day', perDay: limit },
  );
}

export async function submitPaper(deps: MemberDeps, user: User, input: string): Promise<SubmissionResult> {
  assertActive(user);
  const ref = parseArxivReference(input);
  const db = deps.db.kysely;
  const limit = deps.config.members.submissionsPerDay;
  const now = deps.now();
  const day = utcDay(now);
  if ((await countSubmissionsOnDay(db, user.id, day)) >= limit) throw limitReached(limit, now.getTime());

  let key = await findPaperKey(db, ref.id);
  let fetched = false;
  if (!key || key.deleted) {
    const records = await deps.arxiv.fetchByIds([ref.id]);
    const record = records.find((r) => r.arxivId === ref.id);
    if (!record) throw new NotFoundError('paper_not_found', `arXiv has no paper ${ref.id}.`, { arxivId: ref.id });
    await db.transaction().execute((trx) => upsertPapers(trx, [{ kind: 'paper', paper: record, datestamp: null }]));
    key = await findPaperKey(db, ref.id);
    if (!key) throw new NotFoundError('paper_not_found', `arXiv has no paper ${ref.id}.`, { arxivId: ref.id });
    fetched = true;
  }
  if ((await hiddenArxivIds(db, [ref.id])).has(ref.id)) {
    throw new AppError('forbidden', `A moderator removed ${ref.id} from the feed; it cannot be submitted again.`, { details: { arxivId: ref.id } });
  }

  const paperId = key.id;
  const entry = await db.transaction().execute(async (trx) => {
    await lockUser(trx, user.id, deps.db.dialect);
    if ((await countSubmissionsOnDay(trx, user.id, day)) >= limit) throw limitReached(limit, now.getTime());
    return insertDailyEntry(trx, { paperId, day, userId: user.id, now: now.toISOString() });
  });
  if (!entry.inserted) {
    throw new AppError('already_on_feed', `${ref.id} is already on the feed of ${entry.day}.`, { details: { arxivId: ref.id, day: entry.day } });
  }
  deps.logger.info({ arxivId: ref.id, handle: user.handle, fetched }, 'paper submitted');
  return { arxivId: ref.id, day, fetched };
}
