/**
 * Digest routes: the subscribe form, confirmation, preferences, unsubscribe and the admin list of
 * runs. Links from mail carry signed tokens; a GET never changes anything (mail scanners follow
 * links), a POST does. The unsubscribe POST is RFC 8058 one-click: it needs no cookie and no CSRF
 * token, the signed token in the URL is the credential (see isCsrfTokenExempt in members/mount).
 */
import { Hono, type Context } from 'hono';
import { tokensMatch } from '../../domain/csrf.js';
import { httpStatusOf } from '../../domain/error-catalogue.js';
import { AppError, ValidationError } from '../../domain/errors.js';
import { isAdmin } from '../../domain/user.js';
import type { FieldProblem } from '../../domain/subscription.js';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services/services.js';
import { csrfToken } from '../middleware/csrf.js';
import { getViewer } from '../middleware/session.js';
import { AdminDigestsPage, CheckInboxPage, ConfirmedPage, ConfirmPage, DIGEST_FORM_SCRIPT, PreferencesPage, SubscribePage, UnsubscribedPage, UnsubscribePage, type SubscribeFormValues } from './digest.pages.js';

/** Tokens are base64url with dots; anything else is rejected before it reaches a service. */
const TOKEN_RE = /^[A-Za-z0-9_.-]{20,200}$/;

function token(c: Context): string {
  const t = c.req.param('token') ?? '';
  if (!TOKEN_RE.test(t)) throw new AppError('invalid_link', 'This link is not valid. It may have been cut off by your mail program; try copying the whole link.');
  return t;
}

/**
 * Pages reached by secret links: never cached, never indexed, and the URL (with its token) never
 * sent to another site as Referer. `same-origin` rather than `no-referrer`: with no referrer at
 * all the browser sends `Origin: null` on the page's own form posts, which the CSRF check refuses.
 */
function privatePage(c: Context): void {
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'same-origin');
  c.header('X-Robots-Tag', 'noindex');
}

async function formValues(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

function problemsOf(error: ValidationError): FieldProblem[] {
  const problems = error.details?.problems;
  return Array.isArray(problems) ? (problems as FieldProblem[]) : [{ field: String(error.details?.field ?? ''), message: error.message }];
}

function bearer(c: Context): string | undefined {
  const h = c.req.header('authorization') ?? '';
  return h.toLowerCase().startsWith('bearer ') ? h.slice(7).trim() : undefined;
}

/** The feature's routes as a sub-app, mounted at the root by web-app.tsx. */
export function digestRoutes(deps: { services: Services; logger: Logger }): Hono {
  const app = new Hono();
  const digests = deps.services.digests;
  const settings = deps.services.members.web;
  /** The signed-in member, who alone may subscribe to their "for you" list. */
  const member = (c: Context) => {
    const user = getViewer(c)?.user;
    return user ? { id: user.id, email: user.email } : null;
  };

  app.get('/assets/digest-form.js', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(DIGEST_FORM_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  app.get('/digest/subscribe', (c) => {
    const list = c.req.query('list');
    const values: SubscribeFormValues = { list: list === 'topic' || list === 'for-you' ? list : 'trending', topic: (c.req.query('topic') ?? '').slice(0, 200) };
    return c.html(<SubscribePage csrf={csrfToken(c, settings)} values={values} member={member(c)} />);
  });

  app.post('/digest/subscribe', async (c) => {
    const values = await formValues(c);
    try {
      await digests.subscribe(values, member(c));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return c.html(<SubscribePage csrf={csrfToken(c, settings)} values={values} problems={problemsOf(error)} member={member(c)} />, httpStatusOf(error.code));
    }
    return c.html(<CheckInboxPage delivery={deps.services.mailOutbox.delivery} />);
  });

  app.get('/digest/confirm/:token', async (c) => {
    privatePage(c);
    const t = token(c);
    const view = await digests.inspectLink('confirm', t);
    return c.html(<ConfirmPage view={view} csrf={csrfToken(c, settings)} action={`/digest/confirm/${t}`} />);
  });

  app.post('/digest/confirm/:token', async (c) => {
    privatePage(c);
    return c.html(<ConfirmedPage view={await digests.confirm(token(c))} />);
  });

  app.get('/digest/preferences/:token', async (c) => {
    privatePage(c);
    const t = token(c);
    return c.html(<PreferencesPage view={await digests.inspectLink('manage', t)} csrf={csrfToken(c, settings)} token={t} />);
  });

  app.post('/digest/preferences/:token', async (c) => {
    privatePage(c);
    const t = token(c);
    const values = await formValues(c);
    try {
      const view = await digests.updatePreferences(t, values);
      return c.html(<PreferencesPage view={view} csrf={csrfToken(c, settings)} token={t} saved />);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const view = await digests.inspectLink('manage', t);
      return c.html(<PreferencesPage view={view} csrf={csrfToken(c, settings)} token={t} problems={problemsOf(error)} />, httpStatusOf(error.code));
    }
  });

  // GET only shows what a click would do.
  app.get('/digest/unsubscribe/:token', async (c) => {
    privatePage(c);
    const t = token(c);
    return c.html(<UnsubscribePage view={await digests.inspectLink('unsubscribe', t)} action={`/digest/unsubscribe/${t}`} />);
  });

  // RFC 8058 one-click (body `List-Unsubscribe=One-Click`) and the confirm page's button alike.
  app.post('/digest/unsubscribe/:token', async (c) => {
    privatePage(c);
    return c.html(<UnsubscribedPage view={await digests.unsubscribe(token(c))} />);
  });

  app.get('/admin/digests', async (c) => {
    const adminToken = deps.services.digests.adminToken;
    const viaToken = adminToken !== null && tokensMatch(adminToken, bearer(c));
    if (!viaToken && !isAdmin(getViewer(c)?.user)) throw new AppError('forbidden', 'Only administrators can see digest runs.');
    privatePage(c);
    return c.html(<AdminDigestsPage runs={await digests.recentRuns(30)} stats={await digests.stats()} />);
  });
  return app;
}
