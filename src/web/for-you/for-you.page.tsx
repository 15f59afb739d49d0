/**
 * The "For you" page: the papers of the last week or month ranked for the signed-in member by
 * the recommender, shown with the feed's paper cards, an honest empty state for members who have
 * not upvoted or saved anything yet, and the signup box for a "for you" digest.
 */
import type { Viewer } from '../../domain/member.js';
import type { PaperSignals } from '../../services/members/member-profile.service.js';
import type { ForYouResult } from '../../services/for-you/recommendation.service.js';
import { PaperCard } from '../components/paper-card.js';
import { DigestSignup } from '../digest/digest.pages.js';
import { MemberBar } from '../members/member-ui.js';
import { Layout } from '../layout/layout.js';

export type ForYouSpan = 'week' | 'month';

export function ForYouPage(props: { result: ForYouResult; span: ForYouSpan; viewer: Viewer; signals: Map<string, PaperSignals> | null }) {
  const { result, viewer } = props;
  const csrf = viewer.csrfToken;
  const { since, until } = result.window;
  return (
    <Layout account={<MemberBar viewer={viewer} csrf={csrf} currentPath="/for-you" />} title="For you · Paperboy" description="Papers picked for you from what you upvoted and saved">
      <div class="feed-head">
        <div>
          <h1>For you</h1>
          <p class="meta">
            Papers from {since} to {until}, ranked by what you upvoted and saved
            {result.status === 'ok' ? ` (${result.positives} ${result.positives === 1 ? 'paper' : 'papers'} to learn from, ${result.candidates} considered)` : ''}.
          </p>
        </div>
        <nav class="period-tabs" aria-label="Period">
          <a href="/for-you" aria-current={props.span === 'week' ? 'page' : undefined}>
            Last 7 days
          </a>
          <a href="/for-you?period=month" aria-current={props.span === 'month' ? 'page' : undefined}>
            Last 30 days
          </a>
        </nav>
      </div>
      {result.status === 'no_positives' ? (
        <p class="notice" role="status">
          Nothing to learn from yet: upvote or save a few papers you like, and this page will rank new papers by them. Start with <a href="/">today's papers</a> or <a href="/search">a search</a>.
        </p>
      ) : result.status === 'no_candidates' ? (
        <p class="notice" role="status">
          No new papers in this period that you have not already upvoted or saved. {props.span === 'week' ? <a href="/for-you?period=month">Try the last 30 days</a> : null}
        </p>
      ) : (
        <ol class="cards">
          {result.items.map((item) => {
            const s = props.signals?.get(item.paper.arxivId);
            return <PaperCard paper={item.paper} signals={{ upvotes: s?.upvotes ?? 0, comments: s?.comments ?? 0, upvoted: s?.upvoted ?? false }} csrf={csrf} note={`match ${Math.round(item.score * 100)}%`} />;
          })}
        </ol>
      )}
      <DigestSignup summary="Get papers picked for you by email" csrf={csrf} values={{ list: 'for-you' }} member={{ email: viewer.user.email }} />
    </Layout>
  );
}
