/**
 * Magic-link sign-in. Asking for a link never says whether an account exists; links are random
 * 256-bit tokens stored as hashes, expire, and are single-use with a short grace window (a
 * double click, or a mail scanner that submits forms, must not lock the member out). Signing in
 * creates the account on first use, rotates the session and spends the other links sent to the
 * same address. Requests are throttled per address and per client address, counted in the
 * database so the limit holds across instances.
 */
import { AppError, NotFoundError, UpstreamError } from '../../domain/errors.js';
import { decideFromCount, RateLimitedError } from '../../domain/rate-limit.js';
import { normalizeEmail, provisionalHandle, type User } from '../../domain/user.js';
import { consumeLoginToken, countLoginTokensSince, deleteLoginTokensBefore, expireOtherLoginTokens, findLoginToken, insertLoginToken } from '../../store/login-token.repository.js';
import { deleteExpiredSessions } from '../../store/session.repository.js';
import { findUserByEmail, insertUserIfAbsent, isUniqueViolation, recordSignIn } from '../../store/user.repository.js';
import { createSession, endSession, type NewSession } from './session.service.js';
import { hashSecret, newPublicId, newSecret, type MemberDeps } from './member-deps.js';

/**
 * A link works once, plus a single second use within its grace window (a double click, or a mail
 * client that opened it first). Three allowed a used link to sign in a third browser.
 */
const MAX_USES = 2;
const HOUR_MS = 3_600_000;

export type SignInLinkStatus = 'valid' | 'used' | 'expired' | 'invalid';

/** Only local paths are accepted as a place to return to after signing in (no open redirect). */
export function safeNextPath(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const path = raw.trim();
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\') || path.length > 500) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return null;
  return path;
}

function looksLikeToken(token: string | undefined | null): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(token);
}

export async function requestSignInLink(deps: MemberDeps, input: { email: string; ip: string | null; next?: string | null }): Promise<{ email: string }> {
  const email = normalizeEmail(input.email);
  const db = deps.db.kysely;
  const now = deps.now();
  const since = new Date(now.getTime() - HOUR_MS).toISOString();
  const { limits } = deps.config.members;

  const byEmail = await countLoginTokensSince(db, { email }, since);
  const emailDecision = decideFromCount(byEmail.count, byEmail.oldest, limits.signInPerEmailPerHour, HOUR_MS, now.getTime());
  if (!emailDecision.allowed) {
    throw new RateLimitedError('Too many sign-in links were sent to this address. Use the latest one, or try again later.', emailDecision.retryAfterMs / 1000, { limit: 'sign_in_per_email' });
  }
  if (input.ip) {
    const byIp = await countLoginTokensSince(db, { ip: input.ip }, since);
    const ipDecision = decideFromCount(byIp.count, byIp.oldest, limits.signInPerIpPerHour, HOUR_MS, now.getTime());
    if (!ipDecision.allowed) {
      throw new RateLimitedError('Too many sign-in links were requested from your network. Try again later.', ipDecision.retryAfterMs / 1000, { limit: 'sign_in_per_ip' });
    }
  }

  const token = newSecret();
  const ttlMinutes = deps.config.members.magicLinkTtlMinutes;
  await insertLoginToken(db, {
    hash: hashSecret(token),
    email,
    ip: input.ip,
    nextPath: safeNextPath(input.next),
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlMinutes * 60_000).toISOString(),
  });

  const existing = await findUserByEmail(db, email);
  if (existing?.status === 'suspended') {
    // Same answer as for everybody else; a suspended member simply gets no link.
    deps.logger.info({ handle: existing.handle }, 'sign-in link not sent: member suspended');
    return { email };
  }
  const url = `${deps.config.publicUrl.replace(/\/+$/, '')}/signin/verify?token=${token}`;
  if (!deps.mailer) {
    deps.logger.warn({ email, url }, 'SMTP_URL is not set: sign-in link logged instead of mailed');
    return { email };
  }
  try {
    await deps.mailer.send({ to: email, url, expiresInMinutes: ttlMinutes });
  } catch (error) {
    deps.logger.error({ err: error, email }, 'could not send sign-in link');
    throw new UpstreamError('upstream_unavailable', 'We could not send the sign-in email just now. Please try again in a minute.', { service: 'smtp' }, error);
  }
  return { email };
}

/**
 * A one-time sign-in link for the operator to hand over (`paperboy user create` prints it): the
 * same kind of link the sign-in form mails, for a member who exists, without a mail. Only the
 * command line can ask for one, so nobody but the operator can sign in as another person.
 * @throws NotFoundError `member_not_found`
 */
export async function issueSignInLink(deps: MemberDeps, emailInput: string): Promise<{ url: string; expiresInMinutes: number }> {
  const email = normalizeEmail(emailInput);
  const db = deps.db.kysely;
  if (!(await findUserByEmail(db, email))) throw new NotFoundError('member_not_found', `No member signs in with ${email}.`, { email });
  const now = deps.now();
  const token = newSecret();
  const ttlMinutes = deps.config.members.magicLinkTtlMinutes;
  await insertLoginToken(db, { hash: hashSecret(token), email, ip: null, nextPath: null, now: now.toISOString(), expiresAt: new Date(now.getTime() + ttlMinutes * 60_000).toISOString() });
  return { url: `${deps.config.publicUrl.replace(/\/+$/, '')}/signin/verify?token=${token}`, expiresInMinutes: ttlMinutes };
}

/** What a link is worth right now, without spending it (the confirm page shows this). */
export async function inspectSignInLink(deps: MemberDeps, token: string | undefined | null): Promise<{ status: SignInLinkStatus; email?: string }> {
  if (!looksLikeToken(token)) return { status: 'invalid' };
  const stored = await findLoginToken(deps.db.kysely, hashSecret(token));
  if (!stored) return { status: 'invalid' };
  return { status: linkStatus(deps, stored), email: stored.email };
}

function linkStatus(deps: MemberDeps, stored: { expiresAt: string; firstUsedAt: string | null; useCount: number }): SignInLinkStatus {
  const now = deps.now().getTime();
  if (stored.firstUsedAt !== null) {
    const graceEnds = Date.parse(stored.firstUsedAt) + deps.config.members.magicLinkGraceSeconds * 1000;
    if (now >= graceEnds || stored.useCount >= MAX_USES) return 'used';
  }
  if (Date.parse(stored.expiresAt) <= now) return 'expired';
  return 'valid';
}

export class SignInLinkError extends AppError {
  constructor(readonly status: Exclude<SignInLinkStatus, 'valid'>) {
    const messages = {
      used: 'This sign-in link has already been used. Links work once; ask for a new one.',
      expired: 'This sign-in link has expired. Ask for a new one; it will work for a few minutes.',
      invalid: 'This sign-in link is not valid. Check that you copied the whole address, or ask for a new one.',
    } as const;
    super(`sign_in_link_${status}`, messages[status]);
  }
}

export interface CompletedSignIn {
  user: User;
  session: NewSession;
  created: boolean;
  nextPath: string | null;
}

/** Spends the link and opens a new session, ending the one the browser had (rotation). */
export async function completeSignIn(deps: MemberDeps, input: { token: string | undefined | null; previousSessionToken?: string | undefined; ip: string | null; userAgent: string | null }): Promise<CompletedSignIn> {
  if (!looksLikeToken(input.token)) throw new SignInLinkError('invalid');
  const db = deps.db.kysely;
  const hash = hashSecret(input.token);
  const now = deps.now();
  const graceSince = new Date(now.getTime() - deps.config.members.magicLinkGraceSeconds * 1000).toISOString();
  const consumed = await consumeLoginToken(db, hash, now.toISOString(), graceSince, MAX_USES);
  if (!consumed) {
    const stored = await findLoginToken(db, hash);
    const status = stored ? linkStatus(deps, stored) : 'invalid';
    throw new SignInLinkError(status === 'valid' ? 'used' : status);
  }

  let user: User | null = await findUserByEmail(db, consumed.email);
  let created = false;
  for (let attempt = 0; !user && attempt < 3; attempt++) {
    const handle = provisionalHandle(newPublicId(4));
    try {
      const result = await insertUserIfAbsent(db, { email: consumed.email, handle, displayName: handle, role: 'member', now: now.toISOString() });
      user = result.user;
      created = result.created;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  if (!user) throw new AppError('conflict', 'Could not create your account; please try again.');
  if (user.status !== 'active') throw new AppError('member_suspended', 'This account is suspended.');

  await endSession(deps, input.previousSessionToken);
  await expireOtherLoginTokens(db, consumed.email, hash, now.toISOString());
  await recordSignIn(db, user.id, now.toISOString());
  const session = await createSession(deps, user, { ip: input.ip, userAgent: input.userAgent });
  // Housekeeping where it costs nothing noticeable: sign-ins are rare next to page views. Spent
  // tokens are kept a day so the throttles (which count requests per hour) still see them.
  await deleteExpiredSessions(db, now.toISOString());
  await deleteLoginTokensBefore(db, new Date(now.getTime() - 86_400_000).toISOString());
  deps.logger.info({ handle: user.handle, created }, 'member signed in');
  return { user, session, created, nextPath: consumed.nextPath };
}
