/**
 * A paper's discussion: upvote, save to library, and the comment thread with reply, edit,
 * delete and moderator controls. Comment bodies are Markdown rendered by the sanitizing
 * renderer; everything else goes through JSX escaping. `Discussion` can be embedded in the paper
 * page; `DiscussionPage` is the standalone `/discuss/{id}` page.
 */
import { canEditComment, type CommentNode } from '../../domain/comment.js';
import { renderCommentMarkdown } from '../../domain/markdown.js';
import { mathHtml } from '../presenters/tex.presenter.js';
import type { Viewer } from '../../domain/member.js';
import type { Paper } from '../../domain/paper.js';
import { isAdmin } from '../../domain/user.js';
import type { PaperLinksView } from '../../services/members/paper-links.service.js';
import { CsrfInput, formatTime, MemberPage, UpvoteButton } from './member-ui.js';
import { PaperLinksSection } from './paper-links.section.js';

export interface DiscussionProps {
  arxivId: string;
  nodes: CommentNode[];
  count: number;
  editWindowMinutes: number;
  upvotes: number;
  upvoted: boolean;
  saved: boolean;
  viewer: Viewer | null;
  csrf: string | null;
  nowMs: number;
}

function CommentView(props: { node: CommentNode; d: DiscussionProps }) {
  const { comment, replies } = props.node;
  const { viewer, csrf, arxivId } = props.d;
  const removed = comment.deletedAt !== null || comment.hiddenAt !== null;
  const mine = viewer?.user.handle === comment.author.handle;
  const editable = canEditComment(comment, viewer?.user.handle ?? null, props.d.nowMs, props.d.editWindowMinutes);
  return (
    <article class="comment" id={`c-${comment.publicId}`} aria-label={`Comment by ${comment.author.displayName}`}>
      <p class="comment-meta">
        {removed ? (
          <span>{comment.hiddenAt ? '[hidden by a moderator]' : '[deleted]'}</span>
        ) : (
          <a href={`/members/${comment.author.handle}`}>{comment.author.displayName}</a>
        )}{' '}
        · <a href={`/discuss/${arxivId}#c-${comment.publicId}`}><time datetime={comment.createdAt}>{formatTime(comment.createdAt)}</time></a>
        {comment.editedAt && !removed ? ' · edited' : ''}
      </p>
      {removed ? null : <div class="comment-body" dangerouslySetInnerHTML={{ __html: renderCommentMarkdown(comment.body, { math: mathHtml }) }} />}
      {viewer && csrf && !removed ? (
        <div class="comment-actions">
          <details>
            <summary>Reply</summary>
            <form method="post" action={`/papers/${arxivId}/comments`}>
              <CsrfInput token={csrf} />
              <input type="hidden" name="parent" value={comment.publicId} />
              <label for={`reply-${comment.publicId}`}>Your reply</label>
              <textarea id={`reply-${comment.publicId}`} name="body" required maxlength={10000}></textarea>
              <button type="submit" class="primary">Post reply</button>
            </form>
          </details>
          {editable ? <a href={`/comments/${comment.publicId}/edit`}>Edit</a> : null}
          {mine || isAdmin(viewer.user) ? (
            <form method="post" action={`/comments/${comment.publicId}/delete`}>
              <CsrfInput token={csrf} />
              <button type="submit" class="linklike">Delete</button>
            </form>
          ) : null}
          {isAdmin(viewer.user) && !mine ? (
            <form method="post" action={`/admin/comments/${comment.publicId}/hide`}>
              <CsrfInput token={csrf} />
              <input type="hidden" name="hidden" value="1" />
              <button type="submit" class="linklike">Hide (moderator)</button>
            </form>
          ) : null}
        </div>
      ) : null}
      {replies.map((r) => (
        <CommentView node={r} d={props.d} />
      ))}
    </article>
  );
}

export function Discussion(props: DiscussionProps) {
  const { viewer, csrf, arxivId } = props;
  return (
    <section aria-labelledby="discussion-heading" class="discussion">
      <p>
        <UpvoteButton arxivId={arxivId} upvotes={props.upvotes} upvoted={props.upvoted} csrf={viewer ? csrf : null} />{' '}
        {viewer && csrf ? (
          props.saved ? (
            <form method="post" action={`/papers/${arxivId}/library/remove`} style="display:inline">
              <CsrfInput token={csrf} />
              <button type="submit" class="linklike">Remove from library</button>
            </form>
          ) : (
            <form method="post" action={`/papers/${arxivId}/library`} style="display:inline">
              <CsrfInput token={csrf} />
              <button type="submit" class="linklike">Save to library</button>
            </form>
          )
        ) : null}
      </p>
      <h2 id="discussion-heading">
        {props.count} {props.count === 1 ? 'comment' : 'comments'}
      </h2>
      {props.nodes.length === 0 ? <p>No comments yet.</p> : props.nodes.map((n) => <CommentView node={n} d={props} />)}
      {viewer && csrf ? (
        <form method="post" action={`/papers/${arxivId}/comments`} class="new-comment">
          <CsrfInput token={csrf} />
          <label for="comment-body">Add a comment</label>
          <textarea id="comment-body" name="body" required maxlength={10000} aria-describedby="comment-help"></textarea>
          <p id="comment-help" class="meta">
            Markdown: *emphasis*, **bold**, `code`, [links](https://arxiv.org), lists, quotes and maths in $…$. No HTML or images.
          </p>
          <button type="submit" class="primary">Post comment</button>
        </form>
      ) : (
        <p>
          <a href={`/signin?next=${encodeURIComponent(`/discuss/${arxivId}`)}`}>Sign in</a> to comment.
        </p>
      )}
    </section>
  );
}

export function DiscussionPage(props: { paper: Paper; discussion: DiscussionProps; links: PaperLinksView; linksError?: string | null; flash?: string | null }) {
  const { paper } = props;
  const names = paper.authors.map((a) => a.name);
  return (
    <MemberPage title={paper.title.replace(/\s+/g, ' ')} viewer={props.discussion.viewer} csrf={props.discussion.csrf} currentPath={`/discuss/${paper.arxivId}`}>
      {props.flash ? <p class="notice" role="status">{props.flash}</p> : null}
      <h1>{paper.title.replace(/\s+/g, ' ')}</h1>
      <p class="meta">
        {names.length > 6 ? `${names.slice(0, 5).join(', ')} et al.` : names.join(', ')} · arXiv:{paper.arxivId} · <a href={`/papers/${paper.arxivId}`}>Paper page</a> ·{' '}
        <a href={`https://arxiv.org/abs/${paper.arxivId}`}>arXiv</a>
      </p>
      <Discussion {...props.discussion} />
      <PaperLinksSection links={props.links} viewer={props.discussion.viewer} csrf={props.discussion.csrf} error={props.linksError ?? null} />
    </MemberPage>
  );
}
