/**
 * The daily feed: the papers of a day, week or month, ranked trending or newest.
 * A day's feed is what members submitted that day; a day nobody submitted anything shows the
 * papers arXiv announced (published) that day instead, so an archive or a fresh install is
 * never blank. The precedence is per day, so a week can mix both. Ranking uses the pure rule
 * in domain/trending.ts on light candidate rows; only the page shown is loaded in full.
 */
import { daysOf, dayPeriod, feedPeriodAfter, feedPeriodBefore, periodContaining, weekPeriodOf, type FeedPeriod } from '../../domain/feed-period.js';
import type { DailyEntry } from '../../domain/member.js';
import { addDays } from '../../domain/civil-date.js';
import { compareNewest, compareTrending, instantOf, type TrendingCandidate } from '../../domain/trending.js';
import { countCommentsByArxivId } from '../../store/comment.repository.js';
import { countEntriesPerDay, listDailyEntries } from '../../store/daily-entry.repository.js';
import type { Db } from '../../store/database.js';
import { countAnnouncedPerDay, findVisiblePapers, listAnnouncedCandidates, nextAnnouncedDay, nextEntryDay, previousAnnouncedDay, previousEntryDay } from '../../store/feed.repository.js';
import { countVotesByArxivId } from '../../store/vote.repository.js';
import type { Feed, FeedDayCount, FeedItem, FeedQuery } from './feed.types.js';

export interface FeedDeps {
  db: Db;
  now: () => Date;
}

interface Candidate extends TrendingCandidate {
  entry: DailyEntry | null;
}

const DAY_MS = 86_400_000;

/** The instant trending ages are measured from: the end of the period, or now if that is earlier. */
function referenceInstant(period: FeedPeriod, now: Date): number {
  return Math.min(now.getTime(), instantOf(period.to) + DAY_MS);
}

async function candidatesFor(deps: FeedDeps, query: FeedQuery): Promise<{ candidates: Candidate[]; entryDays: Set<string> }> {
  const db = deps.db.kysely;
  const { period } = query;
  let entries = await listDailyEntries(db, { from: period.from, to: period.to });
  if (query.submitter !== undefined) entries = entries.filter((e) => e.submitter?.handle === query.submitter);
  if ((query.category || query.withCode) && entries.length > 0) {
    const papers = await findVisiblePapers(db, entries.map((e) => e.arxivId));
    entries = entries.filter((e) => {
      const paper = papers.get(e.arxivId);
      return paper !== undefined && (!query.category || paper.categories.includes(query.category)) && (!query.withCode || paper.codeUrl !== null);
    });
  }
  const entryVotes = await countVotesByArxivId(db, entries.map((e) => e.arxivId));
  const candidates: Candidate[] = entries.map((e) => ({ arxivId: e.arxivId, enteredAt: e.submittedAt, upvotes: entryVotes.get(e.arxivId) ?? 0, entry: e }));
  const entryDays = new Set(entries.map((e) => e.day));
  // Submissions are a member's choice; announcements only fill the days nobody chose anything.
  if (query.submitter === undefined) {
    const entered = new Set(entries.map((e) => e.arxivId));
    const announced = await listAnnouncedCandidates(db, { from: period.from, to: period.to, ...(query.category ? { category: query.category } : {}), ...(query.withCode ? { withCode: true } : {}) });
    for (const a of announced) {
      if (entered.has(a.arxivId) || entryDays.has(a.publishedAt.slice(0, 10))) continue;
      candidates.push({ arxivId: a.arxivId, enteredAt: a.publishedAt, upvotes: a.upvotes, entry: null });
    }
  }
  return { candidates, entryDays };
}

async function chartFor(deps: FeedDeps, period: FeedPeriod, category: string | undefined): Promise<Feed['chart']> {
  // A single day is one bar; the week around it gives the reader a sense of the rhythm.
  const range = period.kind === 'day' ? weekPeriodOf(period.from) : period;
  const db = deps.db.kysely;
  const [announced, entries] = await Promise.all([
    countAnnouncedPerDay(db, { from: range.from, to: range.to, ...(category ? { category } : {}) }),
    countEntriesPerDay(db, { from: range.from, to: range.to }),
  ]);
  const days: FeedDayCount[] = daysOf(range).map((day) => ({ day, count: entries.get(day) ?? announced.get(day) ?? 0 }));
  return { from: range.from, to: range.to, days };
}

async function neighbours(deps: FeedDeps, period: FeedPeriod): Promise<{ previous: FeedPeriod | null; next: FeedPeriod | null }> {
  if (period.kind !== 'day') {
    return { previous: feedPeriodBefore(period), next: feedPeriodAfter(period) };
  }
  const db = deps.db.kysely;
  const [pa, pe, na, ne] = await Promise.all([previousAnnouncedDay(db, period.from), previousEntryDay(db, period.from), nextAnnouncedDay(db, period.to), nextEntryDay(db, period.to)]);
  const latest = [pa, pe].filter((d): d is string => d !== null).sort().pop() ?? null;
  const earliest = [na, ne].filter((d): d is string => d !== null).sort()[0] ?? null;
  return { previous: latest ? dayPeriod(latest) : null, next: earliest ? dayPeriod(earliest) : null };
}

export async function getFeed(deps: FeedDeps, query: FeedQuery): Promise<Feed> {
  const db = deps.db.kysely;
  const [{ candidates, entryDays }, chart, nav] = await Promise.all([candidatesFor(deps, query), chartFor(deps, query.period, query.category), neighbours(deps, query.period)]);
  candidates.sort(query.sort === 'trending' ? compareTrending(referenceInstant(query.period, deps.now())) : compareNewest);
  const start = query.page * query.pageSize;
  const slice = candidates.slice(start, start + query.pageSize);
  const ids = slice.map((c) => c.arxivId);
  const [papers, comments] = await Promise.all([findVisiblePapers(db, ids), countCommentsByArxivId(db, ids)]);
  const items: FeedItem[] = [];
  for (const c of slice) {
    const paper = papers.get(c.arxivId);
    if (paper) items.push({ paper, upvotes: c.upvotes, comments: comments.get(c.arxivId) ?? 0, entry: c.entry, enteredAt: c.enteredAt });
  }
  const fromEntries = candidates.some((c) => c.entry !== null);
  const fromAnnouncements = candidates.some((c) => c.entry === null);
  let lastModified: string | null = null;
  for (const i of items) if (lastModified === null || i.paper.modifiedAt > lastModified) lastModified = i.paper.modifiedAt;
  return {
    query,
    items,
    total: candidates.length,
    hasMore: start + query.pageSize < candidates.length,
    source: fromEntries && fromAnnouncements ? 'mixed' : fromEntries ? 'submissions' : fromAnnouncements ? 'announcements' : entryDays.size > 0 ? 'submissions' : 'empty',
    chart,
    previous: nav.previous,
    next: nav.next,
    lastModified,
  };
}

/** The most recent day on or before `today` that has papers (submitted or announced), or null. */
export async function latestFeedDay(deps: FeedDeps, today: string): Promise<string | null> {
  const db = deps.db.kysely;
  const tomorrow = addDays(today, 1);
  const [announced, entered] = await Promise.all([previousAnnouncedDay(db, tomorrow), previousEntryDay(db, tomorrow)]);
  return [announced, entered].filter((d): d is string => d !== null).sort().pop() ?? null;
}
