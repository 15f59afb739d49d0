/**
 * The daily feed page: a day, week or month of papers, trending or newest, with period tabs,
 * previous/next navigation, a papers-per-day chart and pagination. Everything is a link, so it
 * works without JavaScript.
 */
import { describePeriod, periodContaining, type FeedPeriod } from '../../domain/feed-period.js';
import type { Viewer } from '../../domain/member.js';
import type { Feed, FeedSort } from '../../services/reader/feed.types.js';
import type { PaperSignals } from '../../services/members/member-profile.service.js';
import { DayChart } from '../components/day-chart.js';
import { DigestSignup } from '../digest/digest.pages.js';
import { PaperCard } from '../components/paper-card.js';
import { MemberBar } from '../members/member-ui.js';
import { Layout } from '../layout/layout.js';

export function periodPath(p: FeedPeriod): string {
  return p.kind === 'day' ? `/date/${p.label}` : `/${p.kind}/${p.label}`;
}

function withParams(path: string, params: { sort?: FeedSort; page?: number; category?: string | undefined; withCode?: boolean | undefined }): string {
  const q = new URLSearchParams();
  if (params.sort && params.sort !== 'trending') q.set('sort', params.sort);
  if (params.category) q.set('category', params.category);
  if (params.withCode) q.set('code', '1');
  if (params.page) q.set('page', String(params.page));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

const KIND_NAMES = { day: 'Day', week: 'Week', month: 'Month' } as const;

export interface FeedPageProps {
  feed: Feed;
  viewer: Viewer | null;
  /** The viewer's own upvotes, when signed in. */
  signals: Map<string, PaperSignals> | null;
  /** Path of this page without query (`/` or `/date/...`). */
  basePath: string;
  /** Set when `/` fell back to an earlier day: the date it was asked for. */
  fellBackFrom?: string | null;
  emptyDatabase?: boolean;
}

export function FeedPage(props: FeedPageProps) {
  const { feed, viewer } = props;
  const { period, sort, page, category, withCode } = feed.query;
  const title = describePeriod(period);
  const here = (overrides: { sort?: FeedSort; page?: number; withCode?: boolean }) => withParams(props.basePath, { sort: overrides.sort ?? sort, page: overrides.page ?? 0, category, withCode: overrides.withCode ?? withCode });
  const pageCount = Math.max(1, Math.ceil(feed.total / feed.query.pageSize));
  const csrf = viewer?.csrfToken ?? null;
  const sourceNote =
    feed.source === 'submissions' ? 'Submitted by members.' : feed.source === 'mixed' ? 'Submitted by members, and announced by arXiv on days without submissions.' : feed.source === 'announcements' ? 'Announced by arXiv (nobody submitted papers for these days).' : '';
  return (
    <Layout account={<MemberBar viewer={viewer} csrf={csrf} currentPath={props.basePath} />} title={`${title} · Paperboy`} description={`Papers of ${title}`} head={<link rel="canonical" href={periodPath(period)} />}>
      {props.fellBackFrom ? (
        <p class="notice" role="status">
          No papers yet today ({props.fellBackFrom}). Showing the most recent day with papers.
        </p>
      ) : null}
      <div class="feed-head">
        <div>
          <h1>{title}</h1>
          <p class="meta">
            {feed.total} {feed.total === 1 ? 'paper' : 'papers'}
            {category ? ` in ${category}` : ''}. {sourceNote}
          </p>
        </div>
        <nav class="period-tabs" aria-label="Period">
          {(['day', 'week', 'month'] as const).map((kind) => {
            const target = kind === period.kind ? period : periodContaining(kind, kind === 'day' ? period.to : period.from);
            return (
              <a href={withParams(periodPath(target), { sort, category, withCode })} aria-current={kind === period.kind ? 'page' : undefined}>
                {KIND_NAMES[kind]}
              </a>
            );
          })}
        </nav>
      </div>
      <nav class="pager" aria-label={`${KIND_NAMES[period.kind]} navigation`}>
        {feed.previous ? (
          <a href={withParams(periodPath(feed.previous), { sort, category, withCode })} rel="prev">
            ← {describePeriod(feed.previous)}
          </a>
        ) : (
          <span class="muted">No earlier papers</span>
        )}
        {feed.next ? (
          <a href={withParams(periodPath(feed.next), { sort, category, withCode })} rel="next">
            {describePeriod(feed.next)} →
          </a>
        ) : (
          <span class="muted">No later papers</span>
        )}
      </nav>
      <DayChart days={feed.chart.days} current={period.kind === 'day' ? period.from : undefined} caption={period.kind === 'day' ? 'Papers per day this week' : `Papers per day, ${title}`} />
      <nav class="sort-tabs" aria-label="Sort order">
        <span class="muted">Sort:</span>
        <a href={here({ sort: 'trending' })} aria-current={sort === 'trending' ? 'true' : undefined}>
          Trending
        </a>
        <a href={here({ sort: 'newest' })} aria-current={sort === 'newest' ? 'true' : undefined}>
          Newest
        </a>
        <span class="muted">·</span>
        <a href={here({ withCode: !withCode })} aria-current={withCode ? 'true' : undefined} aria-label={withCode ? 'With code only (on): show all papers' : 'Show only papers with code'}>
          With code
        </a>
      </nav>
      {feed.items.length === 0 ? (
        <p class="notice">
          {props.emptyDatabase ? (
            <>
              No papers yet. Import some with <code>paperboy import FILE</code> or harvest arXiv with <code>paperboy ingest arxiv</code>.
            </>
          ) : page > 0 ? (
            'No more papers on this page.'
          ) : (
            `No papers${withCode ? ' with code' : ''} on ${period.kind === 'day' ? 'this day' : `this ${period.kind}`}${category ? ` in ${category}` : ''}. Use the links above to step to a day that has papers.`
          )}
        </p>
      ) : (
        <ol class="cards" start={page * feed.query.pageSize + 1}>
          {feed.items.map((item) => {
            const s = props.signals?.get(item.paper.arxivId);
            return (
              <PaperCard
                paper={item.paper}
                signals={{ upvotes: s?.upvotes ?? item.upvotes, comments: item.comments, upvoted: s?.upvoted ?? false }}
                csrf={csrf}
                note={item.entry?.submitter ? `submitted by @${item.entry.submitter.handle}` : undefined}
              />
            );
          })}
        </ol>
      )}
      {pageCount > 1 ? (
        <nav class="pager" aria-label="Pages">
          {page > 0 ? (
            <a href={here({ page: page - 1 })} rel="prev">
              ← Previous page
            </a>
          ) : (
            <span />
          )}
          <span class="muted">
            Page {page + 1} of {pageCount}
          </span>
          {feed.hasMore ? (
            <a href={here({ page: page + 1 })} rel="next">
              Next page →
            </a>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
      <DigestSignup summary="Get trending papers by email" csrf={csrf} values={{ list: 'trending' }} member={viewer ? { email: viewer.user.email } : null} />
    </Layout>
  );
}
