/** The member pages: sign-in steps, settings, public profile, submit, library and moderation. */
import type { LibraryEntry, ModerationLogEntry, Viewer } from '../../domain/member.js';
import type { ApiToken } from '../../domain/api-token.js';
import type { User } from '../../domain/user.js';
import type { MemberProfile } from '../../services/members/member-profile.service.js';
import type { OutboxMail } from '../../services/outbox/mail-outbox.service.js';
import { CsrfInput, formatTime, MemberPage, Notice } from './member-ui.js';

type Common = { viewer: Viewer | null; csrf: string | null };

export function SignInPage(props: Common & { csrf: string; next: string | null; email?: string; error?: string | null }) {
  return (
    <MemberPage title="Sign in" viewer={props.viewer} csrf={props.csrf} currentPath="/signin">
      <h1>Sign in</h1>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <p>We email you a link; open it and you are signed in. No password. New here? The same link creates your account.</p>
      <form method="post" action="/signin">
        <CsrfInput token={props.csrf} />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <label for="email">Email address</label>
        <input type="email" id="email" name="email" autocomplete="email" required maxlength={254} value={props.email ?? ''} />
        <button type="submit" class="primary">Email me a sign-in link</button>
      </form>
    </MemberPage>
  );
}

export function CheckEmailPage(props: Common & { email: string; ttlMinutes: number; delivery: 'smtp' | 'outbox' }) {
  if (props.delivery === 'outbox') {
    return (
      <MemberPage title="Sign-in link kept in the outbox" viewer={props.viewer} csrf={props.csrf}>
        <h1>This server does not send mail</h1>
        <Notice>
          No mail server is set up here, so the sign-in link for <strong>{props.email}</strong> was not mailed: it is kept in the server's outbox. The operator can read it with{' '}
          <code>paperboy mail outbox</code> (or on the admin outbox page) and pass it on. It works once and expires in {props.ttlMinutes} minutes.
        </Notice>
        <p>
          Running this server yourself? <code>paperboy user create --admin you@example.org</code> prints a sign-in link straight away.
        </p>
      </MemberPage>
    );
  }
  return (
    <MemberPage title="Check your email" viewer={props.viewer} csrf={props.csrf}>
      <h1>Check your email</h1>
      <Notice>
        If <strong>{props.email}</strong> can sign in here, a link is on its way. It works once and expires in {props.ttlMinutes} minutes.
      </Notice>
      <p>Nothing arrived after a few minutes? Check your spam folder, or <a href="/signin">ask for a new link</a>.</p>
    </MemberPage>
  );
}

export function ConfirmSignInPage(props: Common & { csrf: string; token: string; email: string }) {
  return (
    <MemberPage title="Confirm sign-in" viewer={props.viewer} csrf={props.csrf}>
      <h1>Sign in to Paperboy</h1>
      <p>
        You are signing in as <strong>{props.email}</strong>.
      </p>
      {/* A button rather than an automatic sign-in: link scanners in mail systems open links but do not press buttons. */}
      <form method="post" action="/signin/verify">
        <CsrfInput token={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <button type="submit" class="primary">Sign in</button>
      </form>
    </MemberPage>
  );
}

export function LinkProblemPage(props: Common & { status: 'used' | 'expired' | 'invalid'; message: string }) {
  const titles = { used: 'This link was already used', expired: 'This link has expired', invalid: 'This link is not valid' } as const;
  return (
    <MemberPage title={titles[props.status]} viewer={props.viewer} csrf={props.csrf}>
      <h1>{titles[props.status]}</h1>
      <Notice kind="error">{props.message}</Notice>
      <p>
        <a href="/signin">Get a new sign-in link</a>
      </p>
    </MemberPage>
  );
}

export function SettingsPage(props: Common & { csrf: string; user: User; welcome: boolean; error?: string | null; saved?: boolean; tokens?: ApiToken[]; newToken?: { secret: string; token: ApiToken } | null; tokenError?: string | null }) {
  const { user } = props;
  return (
    <MemberPage title="Settings" viewer={props.viewer} csrf={props.csrf}>
      <h1>{props.welcome ? 'Welcome to Paperboy' : 'Settings'}</h1>
      {props.welcome ? <Notice>You are signed in. Choose how other members see you; you can change it at any time.</Notice> : null}
      {props.saved ? <Notice>Saved.</Notice> : null}
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <form method="post" action="/settings">
        <CsrfInput token={props.csrf} />
        <label for="displayName">Display name</label>
        <input type="text" id="displayName" name="displayName" required maxlength={50} value={user.displayName} />
        <label for="handle">Handle (your profile is at /members/handle)</label>
        <input type="text" id="handle" name="handle" required maxlength={30} pattern="[a-z0-9][a-z0-9\-]{1,28}[a-z0-9]" value={user.handle} />
        <button type="submit" class="primary">Save</button>
      </form>
      <ApiTokensSection csrf={props.csrf} tokens={props.tokens ?? []} newToken={props.newToken ?? null} error={props.tokenError ?? null} />
      <h2>Sessions</h2>
      <p>Signed in on another device you no longer use? End every session, this one included.</p>
      <form method="post" action="/signout/everywhere">
        <CsrfInput token={props.csrf} />
        <button type="submit" class="primary">Sign out everywhere</button>
      </form>
      <p class="meta">Signed in with {user.email}. Member since {user.createdAt.slice(0, 10)}.</p>
    </MemberPage>
  );
}

function ApiTokensSection(props: { csrf: string; tokens: ApiToken[]; newToken: { secret: string; token: ApiToken } | null; error: string | null }) {
  const live = props.tokens.filter((t) => !t.revokedAt);
  const revoked = props.tokens.filter((t) => t.revokedAt);
  return (
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p>
        Scripts and bots use a token to submit papers, vote, comment and set links through the API (<code>Authorization: Bearer</code>, see <a href="/api/openapi.json">the API description</a>). A
        read token cannot write.
      </p>
      {props.newToken ? (
        <div class="notice" role="status">
          <p>
            Your new token <strong>{props.newToken.token.name}</strong> ({props.newToken.token.scope}). Copy it now: it is not stored and will not be shown again.
          </p>
          <p>
            <code id="new-token">{props.newToken.secret}</code>
          </p>
        </div>
      ) : null}
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      {live.length > 0 ? (
        <table class="tokens">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scope</th>
              <th scope="col">Starts with</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col"><span class="visually-hidden">Revoke</span></th>
            </tr>
          </thead>
          <tbody>
            {live.map((t) => (
              <tr>
                <td>{t.name}</td>
                <td>{t.scope}</td>
                <td>
                  <code>{t.hint}…</code>
                </td>
                <td>{t.createdAt.slice(0, 10)}</td>
                <td>{t.lastUsedAt ? t.lastUsedAt.slice(0, 16).replace('T', ' ') : 'never'}</td>
                <td>
                  <form method="post" action={`/settings/tokens/${t.id}/revoke`}>
                    <CsrfInput token={props.csrf} />
                    <button type="submit" class="linklike">Revoke</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="meta">You have no tokens.</p>
      )}
      <form method="post" action="/settings/tokens">
        <CsrfInput token={props.csrf} />
        <label for="token-name">Name</label>
        <input type="text" id="token-name" name="name" required maxlength={80} placeholder="lab bot" />
        <label for="token-scope">Scope</label>
        <select id="token-scope" name="scope">
          <option value="read">read</option>
          <option value="write">write (submit, vote, comment, links)</option>
        </select>
        <button type="submit" class="primary">Create token</button>
      </form>
      {revoked.length > 0 ? <p class="meta">Revoked: {revoked.map((t) => `${t.name} (${t.revokedAt!.slice(0, 10)})`).join(', ')}.</p> : null}
    </section>
  );
}

export function ProfilePage(props: Common & { profile: MemberProfile; moderatorCsrf: string | null }) {
  const { member, submissions, comments } = props.profile;
  return (
    <MemberPage title={member.displayName} viewer={props.viewer} csrf={props.csrf}>
      <h1>{member.displayName}</h1>
      <p class="meta">
        @{member.handle} · {member.role === 'admin' ? 'moderator · ' : ''}member since {member.joinedAt.slice(0, 10)}
        {member.suspended ? ' · suspended' : ''}
      </p>
      {props.moderatorCsrf && member.role !== 'admin' ? (
        <form method="post" action={`/admin/members/${member.handle}/suspend`}>
          <CsrfInput token={props.moderatorCsrf} />
          <input type="hidden" name="suspended" value={member.suspended ? '0' : '1'} />
          <label for="reason">Reason (logged)</label>
          <input type="text" id="reason" name="reason" maxlength={500} />
          <button type="submit" class="primary">{member.suspended ? 'Lift suspension' : 'Suspend member'}</button>
        </form>
      ) : null}
      <h2>Submitted papers</h2>
      {submissions.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <ul>
          {submissions.map((s) => (
            <li>
              <a href={`/discuss/${s.arxivId}`}>{s.title.replace(/\s+/g, ' ')}</a> <span class="meta">· {s.day}</span>
            </li>
          ))}
        </ul>
      )}
      <h2>Recent comments</h2>
      {comments.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <ul>
          {comments.map((c) => (
            <li>
              <a href={`/discuss/${c.arxivId}#c-${c.publicId}`}>on arXiv:{c.arxivId}</a> <span class="meta">· {formatTime(c.createdAt)}</span>
              <br />
              {c.excerpt}
            </li>
          ))}
        </ul>
      )}
    </MemberPage>
  );
}

export function SubmitPage(props: Common & { csrf: string; perDay: number; value?: string; error?: string | null }) {
  return (
    <MemberPage title="Submit a paper" viewer={props.viewer} csrf={props.csrf}>
      <h1>Submit a paper to today's feed</h1>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <p>Paste an arXiv id or link: 2401.12345, arXiv:2401.12345v2, math/0611918, or an arxiv.org abs or PDF address. You can submit {props.perDay} papers a day.</p>
      <form method="post" action="/submit">
        <CsrfInput token={props.csrf} />
        <label for="arxiv">arXiv id or URL</label>
        <input type="text" id="arxiv" name="arxiv" required maxlength={300} value={props.value ?? ''} autocomplete="off" />
        <button type="submit" class="primary">Submit</button>
      </form>
    </MemberPage>
  );
}

export function LibraryPage(props: Common & { csrf: string; entries: LibraryEntry[] }) {
  return (
    <MemberPage title="Your library" viewer={props.viewer} csrf={props.csrf}>
      <h1>Your library</h1>
      <p>
        {props.entries.length} {props.entries.length === 1 ? 'paper' : 'papers'} · <a href="/library.bib">Export as BibTeX</a>
      </p>
      {props.entries.length === 0 ? <p>Save papers from their discussion page to find them here.</p> : null}
      {props.entries.map((e) => (
        <article>
          <h2>
            <a href={`/discuss/${e.arxivId}`}>{e.title.replace(/\s+/g, ' ')}</a>
          </h2>
          <p class="meta">
            {e.authors.length > 4 ? `${e.authors.slice(0, 3).join(', ')} et al.` : e.authors.join(', ')} · arXiv:{e.arxivId} · saved {e.savedAt.slice(0, 10)}
          </p>
          <form method="post" action={`/papers/${e.arxivId}/library`} class="library-note">
            <CsrfInput token={props.csrf} />
            <label for={`note-${e.arxivId}`}>Note</label>
            <textarea id={`note-${e.arxivId}`} name="note" maxlength={5000}>{e.note}</textarea>
            <button type="submit" class="primary">Save note</button>
          </form>
          <form method="post" action={`/papers/${e.arxivId}/library/remove`}>
            <CsrfInput token={props.csrf} />
            <button type="submit" class="linklike">Remove from library</button>
          </form>
        </article>
      ))}
    </MemberPage>
  );
}

export function ModerationPage(props: Common & { csrf: string; log: ModerationLogEntry[]; flash?: string | null }) {
  return (
    <MemberPage title="Moderation" viewer={props.viewer} csrf={props.csrf}>
      <h1>Moderation</h1>
      {props.flash ? <Notice>{props.flash}</Notice> : null}
      <h2>Hide a paper from the feed</h2>
      <form method="post" action="/admin/papers/hide">
        <CsrfInput token={props.csrf} />
        <label for="paper">arXiv id</label>
        <input type="text" id="paper" name="arxiv" required maxlength={300} />
        <label for="paper-reason">Reason (logged)</label>
        <input type="text" id="paper-reason" name="reason" maxlength={500} />
        <label>
          <input type="checkbox" name="hidden" value="0" /> Show it again instead
        </label>
        <button type="submit" class="primary">Apply</button>
      </form>
      <p>Comments are hidden from their discussion page; members are suspended from their profile page.</p>
      <h2>Log</h2>
      <table class="log">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Moderator</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {props.log.map((e) => (
            <tr>
              <td>{formatTime(e.createdAt)}</td>
              <td>{e.actorHandle ? `@${e.actorHandle}` : '—'}</td>
              <td>{e.action.replace(/_/g, ' ')}</td>
              <td>
                {e.targetType}: {e.target}
              </td>
              <td>{e.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </MemberPage>
  );
}

export function EditCommentPage(props: Common & { csrf: string; publicId: string; arxivId: string; body: string; error?: string | null }) {
  return (
    <MemberPage title="Edit comment" viewer={props.viewer} csrf={props.csrf}>
      <h1>Edit your comment</h1>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <form method="post" action={`/comments/${props.publicId}/edit`}>
        <CsrfInput token={props.csrf} />
        <label for="body">Comment</label>
        <textarea id="body" name="body" required maxlength={10000}>{props.body}</textarea>
        <button type="submit" class="primary">Save</button>
      </form>
      <p>
        <a href={`/discuss/${props.arxivId}#c-${props.publicId}`}>Back to the discussion</a>
      </p>
    </MemberPage>
  );
}

/** Mail text with its links clickable (the text is escaped by JSX; only http(s) links become anchors). */
function MailText(props: { text: string }) {
  const parts = props.text.split(/(https?:\/\/[^\s<>"]+)/g);
  return <pre class="mail-text">{parts.map((p, i) => (i % 2 === 1 ? <a href={p} rel="noreferrer">{p}</a> : p))}</pre>;
}

/** The local outbox (no SMTP server): what Paperboy would have mailed, newest first, for the operator to pass on. */
export function OutboxPage(props: Common & { mails: OutboxMail[]; delivery: 'smtp' | 'outbox' }) {
  return (
    <MemberPage title="Outbox" viewer={props.viewer} csrf={props.csrf}>
      <h1>Outbox</h1>
      <p>
        {props.delivery === 'outbox'
          ? 'This server does not send mail (SMTP_URL is not set). Sign-in links, digest confirmations and digests are kept here instead; pass a link on only to the person it is addressed to.'
          : 'This server sends mail over SMTP; the outbox keeps what was written here before SMTP was set up.'}{' '}
        The same list: <code>paperboy mail outbox</code>.
      </p>
      {props.mails.length === 0 ? <p class="meta">The outbox is empty.</p> : null}
      {props.mails.map((m) => (
        <details id={`mail-${m.id}`}>
          <summary>
            {formatTime(m.createdAt)} · to <strong>{m.recipient}</strong> · {m.subject} <span class="meta">({m.kind})</span>
          </summary>
          <MailText text={m.text} />
        </details>
      ))}
    </MemberPage>
  );
}
