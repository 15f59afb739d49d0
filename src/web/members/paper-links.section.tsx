/**
 * The "Code and project links" section of a paper's discussion page: the links in force and who
 * set them; a form for members to add or correct them; for moderators, the edit history and a
 * button that reverts the edit in force.
 */
import type { Viewer } from '../../domain/member.js';
import { isAdmin } from '../../domain/user.js';
import type { PaperLinksView } from '../../services/members/paper-links.service.js';
import { CsrfInput, formatTime } from './member-ui.js';

export function PaperLinksSection(props: { links: PaperLinksView; viewer: Viewer | null; csrf: string | null; error?: string | null }) {
  const { links, viewer, csrf } = props;
  const moderator = viewer && isAdmin(viewer.user);
  return (
    <section aria-labelledby="links-heading" class="paper-links">
      <h2 id="links-heading">Code and project links</h2>
      <ul>
        <li>
          Code: {links.codeUrl ? <a href={links.codeUrl} rel="nofollow noopener">{links.codeUrl}</a> : <span class="meta">none known</span>}
        </li>
        <li>
          Project page: {links.projectPage ? <a href={links.projectPage} rel="nofollow noopener">{links.projectPage}</a> : <span class="meta">none known</span>}
        </li>
      </ul>
      <p class="meta">
        {links.setBy === 'extracted' ? (links.codeUrl || links.projectPage ? 'Found in the abstract and arXiv comments.' : 'None found in the abstract or arXiv comments.') : links.setBy ? <>Set by <a href={`/members/${links.setBy.handle}`}>{links.setBy.displayName}</a>.</> : 'Set by a former member.'}
      </p>
      {props.error ? <p class="error" role="alert">{props.error}</p> : null}
      {viewer && csrf ? (
        <details open={props.error ? true : undefined}>
          <summary>Add or correct the links</summary>
          <form method="post" action={`/papers/${links.arxivId}/links`}>
            <CsrfInput token={csrf} />
            <label for="links-code">Repository (GitHub, GitLab, Bitbucket or Codeberg; empty for none)</label>
            <input id="links-code" name="githubRepo" type="url" maxlength={500} value={links.codeUrl ?? ''} />
            <label for="links-project">Project page (empty for none)</label>
            <input id="links-project" name="projectPage" type="url" maxlength={500} value={links.projectPage ?? ''} />
            <button type="submit" class="primary">Save links</button>
          </form>
        </details>
      ) : null}
      {moderator && csrf && links.edits.length > 0 ? (
        <details>
          <summary>Edit history (moderators)</summary>
          <ol>
            {links.edits.map((e) => (
              <li>
                {formatTime(e.setAt)} · {e.setBy ? e.setBy.displayName : 'former member'}: code {e.codeUrl ?? 'none'}, project {e.projectUrl ?? 'none'}
                {e.revertedAt ? ' · reverted' : ''}
              </li>
            ))}
          </ol>
          {links.setBy !== 'extracted' ? (
            <form method="post" action={`/admin/papers/${links.arxivId}/links/revert`}>
              <CsrfInput token={csrf} />
              <label for="links-reason">Reason (optional)</label>
              <input id="links-reason" name="reason" maxlength={500} />
              <button type="submit">Revert the edit in force</button>
            </form>
          ) : null}
        </details>
      ) : null}
    </section>
  );
}
