/**
 * One paper in a list (feed, search results, similar papers): upvotes, title with typeset math,
 * the first authors, a one-line excerpt (or highlighted snippet), categories, comment count and
 * the code link when known. Highlights come from the search service as segments, so the card
 * only has to wrap them in <mark>.
 */
import type { FeedPaper } from '../../services/reader/feed.types.js';
import type { HighlightSegment } from '../../services/reader/search-papers.service.js';
import { UpvoteButton } from '../members/member-ui.js';
import { authorLine, excerpt, humanDate, paperPath } from '../presenters/paper.presenter.js';
import { Tex } from '../presenters/tex.presenter.js';

export interface CardSignals {
  upvotes: number;
  comments: number;
  upvoted?: boolean;
}

/**
 * The upvote count for anonymous readers: a link to sign in whose accessible name starts with
 * the number it shows (so speech input users can say what they see).
 */
export function VoteCount(props: { arxivId: string; upvotes: number }) {
  return (
    <a class="upvote" href={`/signin?next=${encodeURIComponent(`/papers/${props.arxivId}`)}`}>
      <span aria-hidden="true">▲</span> <span data-upvote-count>{props.upvotes}</span>
      <span class="visually-hidden"> {props.upvotes === 1 ? 'upvote' : 'upvotes'}, sign in to upvote</span>
    </a>
  );
}

function Highlighted(props: { segments: HighlightSegment[] }) {
  return <>{props.segments.map((s) => (s.type === 'highlight' ? <mark>{s.text}</mark> : s.text))}</>;
}

export function PaperCard(props: {
  paper: FeedPaper;
  /** Upvotes and comments; left out where they were not loaded (similar papers). */
  signals?: CardSignals;
  csrf: string | null;
  headingLevel?: 2 | 3;
  highlightedTitle?: HighlightSegment[];
  highlightedSummary?: HighlightSegment[];
  note?: string;
}) {
  const { paper, signals } = props;
  const href = paperPath(paper.arxivId);
  const title = props.highlightedTitle ? <Highlighted segments={props.highlightedTitle} /> : <Tex tex={paper.title} />;
  const heading = <a href={href}>{title}</a>;
  return (
    // Without signals (similar papers) there is no vote column, and no empty gutter for one.
    <li class={signals ? 'card' : 'card no-votes'}>
      {signals ? (
        <div class="votes">
          {props.csrf ? <UpvoteButton arxivId={paper.arxivId} upvotes={signals.upvotes} upvoted={signals.upvoted ?? false} csrf={props.csrf} /> : <VoteCount arxivId={paper.arxivId} upvotes={signals.upvotes} />}
        </div>
      ) : null}
      <article aria-label={`arXiv ${paper.arxivId}`}>
        {props.headingLevel === 3 ? <h3>{heading}</h3> : <h2>{heading}</h2>}
        <div class="meta">
          {authorLine(paper)} · <time datetime={paper.publishedAt ?? undefined}>{humanDate(paper.publishedAt)}</time>
          {props.note ? ` · ${props.note}` : ''}
        </div>
        <p class="excerpt">{props.highlightedSummary ? <Highlighted segments={props.highlightedSummary} /> : excerpt(paper)}</p>
        <div class="tags">
          {paper.categories.slice(0, 4).map((c) => (
            <span class="tag" title="arXiv category">
              {c}
            </span>
          ))}
          {signals ? (
            <a href={`/discuss/${paper.arxivId}`}>
              {signals.comments} {signals.comments === 1 ? 'comment' : 'comments'}
            </a>
          ) : null}
          {paper.codeUrl ? (
            <a href={paper.codeUrl} rel="nofollow noopener">
              Code
            </a>
          ) : null}
          <span>arXiv:{paper.arxivId}</span>
        </div>
      </article>
    </li>
  );
}
