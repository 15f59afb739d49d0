/**
 * Routes of the member side. Pages work as plain forms (POST, then 303 to a page); the upvote
 * route also answers JSON for the no-reload script. Services do the work and throw AppErrors;
 * form pages re-render with the message for input errors, everything else goes to the central
 * error handler (which adds Retry-After to 429s).
 */
import { Hono, type Context } from 'hono';
import { parseTokenScope } from '../../domain/api-token.js';
import { parseArxivReference } from '../../domain/arxiv-id.js';
import { httpStatusOf, type ErrorCode } from '../../domain/error-catalogue.js';
import { AppError, ValidationError } from '../../domain/errors.js';
import type { Viewer } from '../../domain/member.js';
import { isAdmin } from '../../domain/user.js';
import { parseVoteValue } from '../../domain/vote.js';
import type { Logger } from '../../logger.js';
import type { MemberServices } from '../../services/members/members.services.js';
import type { Services } from '../../services/services.js';
import { safeNextPath, SignInLinkError } from '../../services/members/sign-in.service.js';
import { csrfToken } from '../middleware/csrf.js';
import { clearSessionCookie, clientIp, getViewer, readSessionCookie, setSessionCookie } from '../middleware/session.js';
import { DiscussionPage } from './discussion.js';
import { CheckEmailPage, ConfirmSignInPage, EditCommentPage, LibraryPage, LinkProblemPage, ModerationPage, OutboxPage, ProfilePage, SettingsPage, SignInPage, SubmitPage } from './member.pages.js';
import { MEMBERS_SCRIPT } from './members.script.js';

type Form = Record<string, string | File | (string | File)[]>;

function field(form: Form, name: string): string {
  const v = form[name];
  return typeof v === 'string' ? v : '';
}

function wantsJson(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** Canonical id (no version) from a route parameter; a malformed one is a 400. */
function paperIdParam(c: Context): string {
  return parseArxivReference(c.req.param('id') ?? '').id;
}

/** A local path to return to after a form post: the same-origin Referer, else the fallback. */
function backTo(c: Context, fallback: string): string {
  const referer = c.req.header('referer');
  if (referer) {
    try {
      const url = new URL(referer);
      if (url.origin === new URL(c.req.url).origin) return `${url.pathname}${url.search}`;
    } catch {
      /* fall through */
    }
  }
  return fallback;
}

function signInRedirect(c: Context, next: string): Response {
  return c.redirect(`/signin?next=${encodeURIComponent(next)}`, 303);
}

const noStore = (c: Context) => c.header('Cache-Control', 'no-store');

/** Submission problems the member can fix in the form, so it is shown again with the message. */
const SUBMIT_FORM_ERRORS: ReadonlySet<ErrorCode> = new Set(['invalid_input', 'paper_not_found', 'already_on_feed', 'forbidden']);

/** The feature's routes as a sub-app, mounted at the root by web-app.tsx. */
export function memberRoutes(deps: { services: Services; logger: Logger }): Hono {
  const app = new Hono();
  const members: MemberServices = deps.services.members;
  const settings = members.web;

  /** Runs a page or action that needs a signed-in member; anonymous browsers go to sign-in. */
  const signedIn = (handler: (c: Context, viewer: Viewer) => Promise<Response> | Response) => async (c: Context) => {
    const viewer = getViewer(c);
    if (!viewer) {
      if (wantsJson(c)) throw new AppError('unauthorized', 'Sign in to do this.');
      return signInRedirect(c, c.req.method === 'GET' ? c.req.path : backTo(c, '/'));
    }
    noStore(c);
    return handler(c, viewer);
  };

  const admin = (handler: (c: Context, viewer: Viewer) => Promise<Response> | Response) =>
    signedIn(async (c, viewer) => {
      if (!isAdmin(viewer.user)) throw new AppError('forbidden', 'Only moderators can do this.');
      return handler(c, viewer);
    });

  app.get('/assets/members.js', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(MEMBERS_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  // --- Sign-in ---------------------------------------------------------------------------
  app.get('/signin', (c) => {
    noStore(c);
    const viewer = getViewer(c);
    const next = c.req.query('next') ?? null;
    if (viewer) return c.redirect(safeNextPath(next) ?? '/', 303);
    return c.html(<SignInPage viewer={null} csrf={csrfToken(c, settings)} next={safeNextPath(next)} />);
  });

  app.post('/signin', async (c) => {
    noStore(c);
    const form = await c.req.parseBody();
    const email = field(form, 'email');
    const next = field(form, 'next') || null;
    try {
      const result = await members.requestSignInLink({ email, ip: clientIp(c, settings.trustProxy), next });
      return c.html(<CheckEmailPage viewer={getViewer(c)} csrf={null} email={result.email} ttlMinutes={settings.magicLinkTtlMinutes} delivery={deps.services.mailOutbox.delivery} />);
    } catch (error) {
      if (error instanceof ValidationError) {
        return c.html(<SignInPage viewer={null} csrf={csrfToken(c, settings)} next={next} email={email} error={error.message} />, httpStatusOf(error.code));
      }
      throw error;
    }
  });

  app.get('/signin/verify', async (c) => {
    noStore(c);
    // The token is a credential: keep it out of Referer headers sent to other sites. (Not
    // `no-referrer`: with it, browsers send `Origin: null` on the confirm form, which CSRF refuses.)
    c.header('Referrer-Policy', 'same-origin');
    const token = c.req.query('token') ?? '';
    const state = await members.inspectSignInLink(token);
    if (state.status !== 'valid') return linkProblem(c, new SignInLinkError(state.status));
    return c.html(<ConfirmSignInPage viewer={getViewer(c)} csrf={csrfToken(c, settings)} token={token} email={state.email ?? ''} />);
  });

  app.post('/signin/verify', async (c) => {
    noStore(c);
    c.header('Referrer-Policy', 'same-origin');
    const form = await c.req.parseBody();
    try {
      const result = await members.completeSignIn({
        token: field(form, 'token'),
        previousSessionToken: readSessionCookie(c, settings),
        ip: clientIp(c, settings.trustProxy),
        userAgent: c.req.header('user-agent') ?? null,
      });
      setSessionCookie(c, settings, result.session.token, result.session.expiresAt);
      return c.redirect(result.created ? '/settings?welcome=1' : (result.nextPath ?? '/'), 303);
    } catch (error) {
      if (error instanceof SignInLinkError) return linkProblem(c, error);
      throw error;
    }
  });

  function linkProblem(c: Context, problem: SignInLinkError): Response | Promise<Response> {
    return c.html(<LinkProblemPage viewer={getViewer(c)} csrf={null} status={problem.status} message={problem.message} />, httpStatusOf(problem.code));
  }

  app.post('/signout', async (c) => {
    await members.signOut(readSessionCookie(c, settings));
    clearSessionCookie(c, settings);
    return c.redirect('/', 303);
  });

  app.post(
    '/signout/everywhere',
    signedIn(async (c, viewer) => {
      await members.signOutEverywhere(viewer);
      clearSessionCookie(c, settings);
      return c.redirect('/', 303);
    }),
  );

  // --- Profile and settings ----------------------------------------------------------------
  app.get(
    '/settings',
    signedIn(async (c, viewer) =>
      c.html(<SettingsPage viewer={viewer} csrf={viewer.csrfToken} user={viewer.user} welcome={c.req.query('welcome') === '1'} saved={c.req.query('saved') === '1'} tokens={await members.listApiTokens(viewer.user)} />),
    ),
  );

  // --- API tokens (shown once, on the answer to the POST that made them) --------------------
  app.post(
    '/settings/tokens',
    signedIn(async (c, viewer) => {
      const form = await c.req.parseBody();
      const scope = parseTokenScope(field(form, 'scope'));
      try {
        if (!scope) throw new ValidationError('Choose the scope "read" or "write".', { field: 'scope' });
        const created = await members.createApiToken(viewer.user, { name: field(form, 'name'), scope });
        return c.html(<SettingsPage viewer={viewer} csrf={viewer.csrfToken} user={viewer.user} welcome={false} tokens={await members.listApiTokens(viewer.user)} newToken={created} />, 201);
      } catch (error) {
        if (error instanceof AppError && (error instanceof ValidationError || error.code === 'conflict')) {
          return c.html(<SettingsPage viewer={viewer} csrf={viewer.csrfToken} user={viewer.user} welcome={false} tokens={await members.listApiTokens(viewer.user)} tokenError={error.message} />, httpStatusOf(error.code));
        }
        throw error;
      }
    }),
  );

  app.post(
    '/settings/tokens/:tokenId/revoke',
    signedIn(async (c, viewer) => {
      const id = Number(c.req.param('tokenId'));
      if (!Number.isSafeInteger(id) || id <= 0) throw new ValidationError('Not a token id.', { field: 'tokenId' });
      await members.revokeApiToken(viewer.user, id);
      return c.redirect('/settings#tokens-heading', 303);
    }),
  );

  app.post(
    '/settings',
    signedIn(async (c, viewer) => {
      const form = await c.req.parseBody();
      try {
        await members.updateProfile(viewer.user, { displayName: field(form, 'displayName'), handle: field(form, 'handle') });
        return c.redirect('/settings?saved=1', 303);
      } catch (error) {
        if (error instanceof AppError && (error instanceof ValidationError || error.code === 'handle_taken')) {
          const draft = { ...viewer.user, displayName: field(form, 'displayName'), handle: field(form, 'handle') };
          return c.html(<SettingsPage viewer={viewer} csrf={viewer.csrfToken} user={draft} welcome={false} error={error.message} />, httpStatusOf(error.code));
        }
        throw error;
      }
    }),
  );

  app.get('/members/:handle', async (c) => {
    const viewer = getViewer(c);
    const profile = await members.profile((c.req.param('handle') ?? '').toLowerCase());
    return c.html(<ProfilePage viewer={viewer} csrf={viewer?.csrfToken ?? null} profile={profile} moderatorCsrf={viewer && isAdmin(viewer.user) && viewer.user.handle !== profile.member.handle ? viewer.csrfToken : null} />);
  });

  // --- Submissions -------------------------------------------------------------------------
  app.get('/submit', signedIn(async (c, viewer) => c.html(<SubmitPage viewer={viewer} csrf={viewer.csrfToken} perDay={settings.submissionsPerDay} />)));

  app.post(
    '/submit',
    signedIn(async (c, viewer) => {
      const form = await c.req.parseBody();
      const input = field(form, 'arxiv');
      try {
        const result = await members.submitPaper(viewer.user, input);
        return c.redirect(`/discuss/${result.arxivId}?submitted=1`, 303);
      } catch (error) {
        if (error instanceof AppError && SUBMIT_FORM_ERRORS.has(error.code)) {
          return c.html(<SubmitPage viewer={viewer} csrf={viewer.csrfToken} perDay={settings.submissionsPerDay} value={input} error={error.message} />, httpStatusOf(error.code));
        }
        throw error;
      }
    }),
  );

  // --- Discussion, votes, comments ---------------------------------------------------------
  const discussionPage = async (c: Context, arxivId: string, options: { flash?: string | null; linksError?: string | null; status?: number } = {}) => {
    const paper = await deps.services.findPaper(arxivId);
    if (!paper || paper.deleted) throw new AppError('paper_not_found', `No paper ${arxivId} here.`);
    const viewer = getViewer(c);
    if (viewer) noStore(c);
    const [thread, signals, links] = await Promise.all([members.commentThread(arxivId), members.paperSignals([arxivId], viewer?.user ?? null), members.paperLinks(arxivId)]);
    const s = signals.get(arxivId);
    return c.html(
      <DiscussionPage
        paper={paper}
        flash={options.flash ?? null}
        links={links}
        linksError={options.linksError ?? null}
        discussion={{
          arxivId,
          nodes: thread.nodes,
          count: thread.count,
          editWindowMinutes: thread.editWindowMinutes,
          upvotes: s?.upvotes ?? 0,
          upvoted: s?.upvoted ?? false,
          saved: s?.saved ?? false,
          viewer,
          csrf: viewer?.csrfToken ?? null,
          nowMs: Date.now(),
        }}
      />,
      (options.status ?? 200) as 200,
    );
  };

  app.get('/discuss/:id{.+}', async (c) => discussionPage(c, paperIdParam(c), { flash: c.req.query('submitted') === '1' ? "Submitted: it is on today's feed." : null }));

  app.post(
    '/papers/:id{.+}/links',
    signedIn(async (c, viewer) => {
      const arxivId = paperIdParam(c);
      const form = await c.req.parseBody();
      try {
        await members.setPaperLinks(viewer.user, arxivId, { codeUrl: field(form, 'githubRepo'), projectPage: field(form, 'projectPage') });
      } catch (error) {
        if (error instanceof ValidationError) return discussionPage(c, arxivId, { linksError: error.message, status: 400 });
        throw error;
      }
      return c.redirect(`/discuss/${arxivId}#links-heading`, 303);
    }),
  );

  app.post(
    '/admin/papers/:id{.+}/links/revert',
    admin(async (c, viewer) => {
      const arxivId = paperIdParam(c);
      const form = await c.req.parseBody();
      await members.revertPaperLinks(viewer.user, arxivId, field(form, 'reason'));
      return c.redirect(`/discuss/${arxivId}#links-heading`, 303);
    }),
  );

  app.post(
    '/papers/:id{.+}/upvote',
    signedIn(async (c, viewer) => {
      const arxivId = paperIdParam(c);
      const form = await c.req.parseBody();
      const state = await members.setUpvote(viewer.user, arxivId, parseVoteValue(field(form, 'value') || '1'));
      if (wantsJson(c)) return c.json(state);
      return c.redirect(backTo(c, `/discuss/${arxivId}`), 303);
    }),
  );

  app.post(
    '/papers/:id{.+}/comments',
    signedIn(async (c, viewer) => {
      const arxivId = paperIdParam(c);
      const form = await c.req.parseBody();
      const comment = await members.addComment(viewer.user, arxivId, { body: field(form, 'body'), parent: field(form, 'parent') || null });
      if (wantsJson(c)) return c.json({ comment }, 201);
      return c.redirect(`/discuss/${arxivId}#c-${comment.publicId}`, 303);
    }),
  );

  app.get(
    '/comments/:cid/edit',
    signedIn(async (c, viewer) => {
      const comment = await members.findComment((c.req.param('cid') ?? ''));
      if (comment.author.handle !== viewer.user.handle) throw new AppError('forbidden', 'Only the author can edit this comment.');
      return c.html(<EditCommentPage viewer={viewer} csrf={viewer.csrfToken} publicId={comment.publicId} arxivId={comment.arxivId} body={comment.body} />);
    }),
  );

  app.post(
    '/comments/:cid/edit',
    signedIn(async (c, viewer) => {
      const form = await c.req.parseBody();
      const comment = await members.editComment(viewer.user, (c.req.param('cid') ?? ''), field(form, 'body'));
      return c.redirect(`/discuss/${comment.arxivId}#c-${comment.publicId}`, 303);
    }),
  );

  app.post(
    '/comments/:cid/delete',
    signedIn(async (c, viewer) => {
      const comment = await members.deleteComment(viewer.user, (c.req.param('cid') ?? ''));
      return c.redirect(`/discuss/${comment.arxivId}`, 303);
    }),
  );

  // --- Library -----------------------------------------------------------------------------
  app.get('/library', signedIn(async (c, viewer) => c.html(<LibraryPage viewer={viewer} csrf={viewer.csrfToken} entries={await members.library(viewer.user)} />)));

  app.get(
    '/library.bib',
    signedIn(async (c, viewer) => {
      const bib = await members.libraryBibtex(viewer.user);
      return c.body(bib, 200, { 'Content-Type': 'application/x-bibtex; charset=utf-8', 'Content-Disposition': 'attachment; filename="paperboy-library.bib"' });
    }),
  );

  app.post(
    '/papers/:id{.+}/library',
    signedIn(async (c, viewer) => {
      const arxivId = paperIdParam(c);
      const form = await c.req.parseBody();
      await members.saveToLibrary(viewer.user, arxivId, field(form, 'note'));
      return c.redirect(backTo(c, '/library'), 303);
    }),
  );

  app.post(
    '/papers/:id{.+}/library/remove',
    signedIn(async (c, viewer) => {
      const arxivId = paperIdParam(c);
      await members.removeFromLibrary(viewer.user, arxivId);
      return c.redirect(backTo(c, '/library'), 303);
    }),
  );

  // --- Moderation --------------------------------------------------------------------------
  app.get(
    '/admin/moderation',
    admin(async (c, viewer) => c.html(<ModerationPage viewer={viewer} csrf={viewer.csrfToken} log={await members.moderationLog(viewer.user, 200)} flash={c.req.query('done') === '1' ? 'Done, and logged.' : null} />)),
  );

  app.get(
    '/admin/outbox',
    admin(async (c, viewer) => c.html(<OutboxPage viewer={viewer} csrf={viewer.csrfToken} mails={await deps.services.mailOutbox.list({ limit: 200 })} delivery={deps.services.mailOutbox.delivery} />)),
  );

  app.post(
    '/admin/papers/hide',
    admin(async (c, viewer) => {
      const form = await c.req.parseBody();
      const arxivId = parseArxivReference(field(form, 'arxiv')).id;
      await members.setPaperHidden(viewer.user, arxivId, field(form, 'hidden') !== '0', field(form, 'reason'));
      return c.redirect('/admin/moderation?done=1', 303);
    }),
  );

  app.post(
    '/admin/comments/:cid/hide',
    admin(async (c, viewer) => {
      const form = await c.req.parseBody();
      const publicId = (c.req.param('cid') ?? '');
      await members.setCommentHidden(viewer.user, publicId, field(form, 'hidden') !== '0', field(form, 'reason'));
      const comment = await members.findComment(publicId);
      return c.redirect(`/discuss/${comment.arxivId}#c-${publicId}`, 303);
    }),
  );

  app.post(
    '/admin/members/:handle/suspend',
    admin(async (c, viewer) => {
      const form = await c.req.parseBody();
      const handle = (c.req.param('handle') ?? '');
      await members.setMemberSuspended(viewer.user, handle, field(form, 'suspended') !== '0', field(form, 'reason'));
      return c.redirect(`/members/${handle}`, 303);
    }),
  );
  return app;
}
