/**
 * Building blocks of the member pages, also meant for the feed and paper pages: the page frame
 * with the member bar, the hidden CSRF field, the upvote button (a plain form that the script
 * upgrades to a no-reload toggle) and the save-to-library form.
 */
import type { Child } from 'hono/jsx';
import { CSRF_FIELD } from '../../domain/csrf.js';
import type { Viewer } from '../../domain/member.js';
import { Layout } from '../layout/layout.js';

/** The account bar's own rules, sent with it: other pages (the feed) show it too. */
export const MEMBER_BAR_STYLES = `.member-bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;font-size:.9rem;padding:.25rem 0 .75rem}
.member-bar form{display:inline;margin:0}
.linklike,.member-bar .linklike{background:none;border:0;padding:0;margin:0;color:inherit;text-decoration:underline;cursor:pointer;font:inherit;min-height:0}`;

export const MEMBER_STYLES = `.upvote{display:inline-flex;align-items:center;gap:.35rem;border:1px solid #b9c3cf;border-radius:6px;padding:.2rem .6rem;background:transparent;color:inherit;font:inherit;cursor:pointer;text-decoration:none}
.upvote[aria-pressed=true]{background:#1f5fa8;border-color:#1f5fa8;color:#fff}
.upvote-form{display:inline;margin:0}
.notice{border-left:4px solid #1f5fa8;padding:.5rem .75rem;background:rgba(31,95,168,.08)}
.notice.error{border-color:#b3261e;background:rgba(179,38,30,.08)}
.comment{margin:.75rem 0;padding-left:.75rem;border-left:2px solid #d5dbe3}
.comment .comment{margin-left:.25rem}
.comment-meta{font-size:.85rem;color:#555}
.comment-body{overflow-wrap:anywhere}
.comment-actions{display:flex;flex-wrap:wrap;gap:.75rem;font-size:.85rem;align-items:center}
.comment-actions form{display:inline;margin:0}
.library-note{display:grid;gap:.4rem;justify-items:start;max-width:40rem;margin:.5rem 0}
label{display:block;font-weight:600;margin-top:.75rem}
input[type=text],input[type=email],textarea{width:100%;max-width:40rem;box-sizing:border-box;font:inherit;padding:.4rem;border:1px solid #9aa5b1;border-radius:4px;background:transparent;color:inherit}
textarea{min-height:6rem}
button.primary{margin-top:.75rem;padding:.45rem 1rem;border-radius:4px;border:1px solid #1f5fa8;background:#1f5fa8;color:#fff;font:inherit;cursor:pointer}
table.log{border-collapse:collapse;width:100%;font-size:.9rem}table.log td,table.log th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}
@media (prefers-color-scheme:dark){.comment-meta{color:#aaa}.comment{border-color:#3a4048}.upvote{border-color:#5a6470}}`;

export function CsrfInput(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

/** The page frame: the shared layout, the member bar (which brings the member script) and the member stylesheet. */
export function MemberPage(props: { title: string; viewer: Viewer | null; csrf: string | null; children: Child; currentPath?: string }) {
  return (
    <Layout title={`${props.title} · Paperboy`} head={<style>{MEMBER_STYLES}</style>} account={<MemberBar viewer={props.viewer} csrf={props.csrf} {...(props.currentPath ? { currentPath: props.currentPath } : {})} />}>
      {props.children}
    </Layout>
  );
}

export function MemberBar(props: { viewer: Viewer | null; csrf: string | null; currentPath?: string }) {
  const { viewer } = props;
  if (!viewer) {
    const next = props.currentPath && props.currentPath !== '/signin' ? `?next=${encodeURIComponent(props.currentPath)}` : '';
    return (
      <nav class="member-bar" aria-label="Account">
        <style>{MEMBER_BAR_STYLES}</style>
        <a href={`/signin${next}`}>Sign in</a>
      </nav>
    );
  }
  return (
    <nav class="member-bar" aria-label="Account">
      <style>{MEMBER_BAR_STYLES}</style>
      {/* Upgrades upvote forms anywhere on the page (feed cards, paper page) to no-reload toggles. */}
      <script src="/assets/members.js" defer></script>
      <span>
        Signed in as <a href={`/members/${viewer.user.handle}`}>{viewer.user.displayName}</a>
      </span>
      <a href="/for-you">For you</a>
      <a href="/submit">Submit a paper</a>
      <a href="/library">Library</a>
      <a href="/settings">Settings</a>
      {viewer.user.role === 'admin' ? <a href="/admin/moderation">Moderation</a> : null}
      {props.csrf ? (
        <form method="post" action="/signout">
          <CsrfInput token={props.csrf} />
          <button type="submit" class="linklike">
            Sign out
          </button>
        </form>
      ) : null}
    </nav>
  );
}

/**
 * Upvote toggle. Without JavaScript it is a form posting the desired state; `members.js` sends
 * the same form with fetch and updates the count in place. Anonymous visitors get a link to
 * sign in instead (so feed pages need no cookie).
 */
export function upvoteLabel(upvotes: number, upvoted: boolean): string {
  return `${upvoted ? 'Remove your upvote' : 'Upvote'} (${upvotes} ${upvotes === 1 ? 'upvote' : 'upvotes'})`;
}

export function UpvoteButton(props: { arxivId: string; upvotes: number; upvoted: boolean; csrf: string | null }) {
  if (props.csrf === null) {
    return (
      <a class="upvote" href={`/signin?next=${encodeURIComponent(`/discuss/${props.arxivId}`)}`} aria-label={`Sign in to upvote (${props.upvotes} ${props.upvotes === 1 ? 'upvote' : 'upvotes'})`}>
        <span aria-hidden="true">▲</span> <span data-upvote-count>{props.upvotes}</span>
      </a>
    );
  }
  return (
    <form class="upvote-form" method="post" action={`/papers/${props.arxivId}/upvote`} data-upvote>
      <CsrfInput token={props.csrf} />
      <input type="hidden" name="value" value={props.upvoted ? '0' : '1'} />
      <button type="submit" class="upvote" aria-pressed={props.upvoted ? 'true' : 'false'} aria-label={upvoteLabel(props.upvotes, props.upvoted)}>
        <span aria-hidden="true">▲</span> <span data-upvote-count>{props.upvotes}</span>
      </button>
    </form>
  );
}

export function Notice(props: { kind?: 'info' | 'error'; children: Child }) {
  return (
    <p class={props.kind === 'error' ? 'notice error' : 'notice'} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </p>
  );
}

export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
