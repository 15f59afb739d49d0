/**
 * The member side as one service object: sign-in and sessions, profiles, submissions, upvotes,
 * comments, library and moderation. `createServices` exposes it as `services.members`; the web
 * layer and CLI only ever talk to this interface.
 */
import type { Config } from '../../config/config.js';
import type { ApiToken, ApiTokenScope } from '../../domain/api-token.js';
import type { Comment } from '../../domain/comment.js';
import type { LibraryEntry, ModerationLogEntry, Viewer } from '../../domain/member.js';
import { SlidingWindowLimiter } from '../../domain/rate-limit.js';
import type { User } from '../../domain/user.js';
import type { VoteState } from '../../domain/vote.js';
import { createArxivApiClient } from '../../ingest/arxiv-api.client.js';
import type { Logger } from '../../logger.js';
import { createSmtpMagicLinkMailer, type MagicLinkMailer } from '../../mail/magic-link.email.js';
import type { Db } from '../../store/database.js';
import { listDailyEntries } from '../../store/daily-entry.repository.js';
import { endAllSessions, endSession, resolveSession } from './session.service.js';
import { addComment, commentThread, deleteComment, editComment, findComment, type CommentThread } from './comment.service.js';
import { libraryBibtex, libraryOf, removeFromLibrary, saveToLibrary } from './library.service.js';
import type { ArxivLookup, MemberDeps } from './member-deps.js';
import { createMember, memberProfile, paperSignals, updateProfile, type MemberProfile, type PaperSignals } from './member-profile.service.js';
import { moderationLog, setCommentHiddenByModerator, setMemberSuspended, setPaperHidden } from './moderation.service.js';
import { completeSignIn, inspectSignInLink, issueSignInLink, requestSignInLink, type CompletedSignIn, type SignInLinkStatus } from './sign-in.service.js';
import { createApiToken, listApiTokens, resolveApiToken, revokeApiToken, type TokenCaller } from './api-token.service.js';
import { createOutboxMagicLinkMailer } from '../outbox/mail-outbox.service.js';
import { paperLinks, revertPaperLinks, setPaperLinks, type PaperLinksInput, type PaperLinksView } from './paper-links.service.js';
import { submitPaper, type SubmissionResult } from './submit-paper.service.js';
import { setUpvote, voteState } from './vote.service.js';
import type { DailyEntry } from '../../domain/member.js';

/** Settings the web layer needs for cookies and request checks (it never reads config itself). */
export interface MemberWebSettings {
  publicUrl: string;
  secureCookies: boolean;
  trustProxy: boolean;
  sessionTtlDays: number;
  magicLinkTtlMinutes: number;
  commentEditMinutes: number;
  submissionsPerDay: number;
}

export interface MemberServices {
  readonly web: MemberWebSettings;
  requestSignInLink(input: { email: string; ip: string | null; next?: string | null }): Promise<{ email: string }>;
  /** A one-time sign-in link for an existing member, returned instead of mailed (operator only: the CLI). */
  issueSignInLink(email: string): Promise<{ url: string; expiresInMinutes: number }>;
  inspectSignInLink(token: string | undefined | null): Promise<{ status: SignInLinkStatus; email?: string }>;
  completeSignIn(input: { token: string | undefined | null; previousSessionToken?: string | undefined; ip: string | null; userAgent: string | null }): Promise<CompletedSignIn>;
  resolveSession(token: string | undefined): Promise<Viewer | null>;
  signOut(token: string | undefined): Promise<void>;
  signOutEverywhere(viewer: Viewer): Promise<number>;

  createMember(input: { email: string; admin: boolean; displayName?: string }): Promise<{ user: User; created: boolean; promoted: boolean }>;
  profile(handle: string): Promise<MemberProfile>;
  updateProfile(user: User, input: { displayName: string; handle: string }): Promise<User>;

  submitPaper(user: User, input: string): Promise<SubmissionResult>;
  setUpvote(user: User, arxivId: string, upvoted: boolean): Promise<VoteState>;
  voteState(user: User | null, arxivId: string): Promise<VoteState>;
  /** Upvotes, comment counts, submitter and the viewer's own state for a set of papers. */
  paperSignals(arxivIds: readonly string[], viewer?: User | null): Promise<Map<string, PaperSignals>>;
  /** Papers members submitted on the days `from`..`to` (YYYY-MM-DD, inclusive), hidden ones left out. */
  dailyEntries(range: { from: string; to: string }): Promise<DailyEntry[]>;

  addComment(user: User, arxivId: string, input: { body: string; parent?: string | null }): Promise<Comment>;
  editComment(user: User, publicId: string, body: string): Promise<Comment>;
  deleteComment(user: User, publicId: string): Promise<Comment>;
  findComment(publicId: string): Promise<Comment>;
  commentThread(arxivId: string): Promise<CommentThread>;

  /** A new personal API token; `secret` is shown once and never stored. */
  createApiToken(user: User, input: { name: string; scope: ApiTokenScope }): Promise<{ secret: string; token: ApiToken }>;
  listApiTokens(user: User): Promise<ApiToken[]>;
  revokeApiToken(user: User, tokenId: number): Promise<void>;
  /** @throws AppError `invalid_token` */
  resolveApiToken(secret: string): Promise<TokenCaller>;

  /** @throws NotFoundError `paper_not_found` */
  paperLinks(arxivId: string): Promise<PaperLinksView>;
  /** A member sets or clears a paper's code link and project page; kept with who set them. */
  setPaperLinks(user: User, arxivId: string, input: PaperLinksInput): Promise<PaperLinksView>;
  /** A moderator undoes the member edit in force (logged). */
  revertPaperLinks(admin: User, arxivId: string, reason?: string): Promise<PaperLinksView>;

  saveToLibrary(user: User, arxivId: string, note?: string): Promise<void>;
  removeFromLibrary(user: User, arxivId: string): Promise<void>;
  library(user: User): Promise<LibraryEntry[]>;
  libraryBibtex(user: User): Promise<string>;

  setPaperHidden(admin: User, arxivId: string, hidden: boolean, reason?: string): Promise<void>;
  setCommentHidden(admin: User, publicId: string, hidden: boolean, reason?: string): Promise<void>;
  setMemberSuspended(admin: User, handle: string, suspended: boolean, reason?: string): Promise<void>;
  moderationLog(admin: User, limit?: number): Promise<ModerationLogEntry[]>;

  close(): void;
}

export interface MemberServiceOptions {
  mailer?: MagicLinkMailer | null;
  arxiv?: ArxivLookup;
  now?: () => Date;
}

export function createMemberServices(base: { config: Config; db: Db; logger: Logger }, options: MemberServiceOptions = {}): MemberServices {
  const { config } = base;
  const now = options.now ?? (() => new Date());
  // Without an SMTP server, sign-in links go to the local outbox (`paperboy mail outbox`).
  const mailer = options.mailer !== undefined ? options.mailer : config.mail.smtpUrl ? createSmtpMagicLinkMailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from }) : createOutboxMagicLinkMailer({ db: base.db, now });
  const deps: MemberDeps = {
    config,
    db: base.db,
    logger: base.logger,
    mailer,
    arxiv: options.arxiv ?? createArxivApiClient({ baseUrl: config.members.arxivApiUrl, extraAllowedHosts: config.harvest.extraAllowedHosts }),
    now,
    voteLimiter: new SlidingWindowLimiter({ limit: config.members.limits.votesPerMinute, windowMs: 60_000 }),
  };
  return {
    web: {
      publicUrl: config.publicUrl,
      secureCookies: config.members.secureCookies,
      trustProxy: config.members.trustProxy,
      sessionTtlDays: config.members.sessionTtlDays,
      magicLinkTtlMinutes: config.members.magicLinkTtlMinutes,
      commentEditMinutes: config.members.commentEditMinutes,
      submissionsPerDay: config.members.submissionsPerDay,
    },
    requestSignInLink: (input) => requestSignInLink(deps, input),
    issueSignInLink: (email) => issueSignInLink(deps, email),
    inspectSignInLink: (token) => inspectSignInLink(deps, token),
    completeSignIn: (input) => completeSignIn(deps, input),
    resolveSession: (token) => resolveSession(deps, token),
    signOut: (token) => endSession(deps, token),
    signOutEverywhere: (viewer) => endAllSessions(deps, viewer),

    createMember: (input) => createMember(deps, input),
    profile: (handle) => memberProfile(deps, handle),
    updateProfile: (user, input) => updateProfile(deps, user, input),

    submitPaper: (user, input) => submitPaper(deps, user, input),
    setUpvote: (user, arxivId, upvoted) => setUpvote(deps, user, arxivId, upvoted),
    voteState: (user, arxivId) => voteState(deps, user, arxivId),
    paperSignals: (arxivIds, viewer) => paperSignals(deps, arxivIds, viewer ?? null),
    dailyEntries: (range) => listDailyEntries(deps.db.kysely, range),

    addComment: (user, arxivId, input) => addComment(deps, user, arxivId, input),
    editComment: (user, publicId, body) => editComment(deps, user, publicId, body),
    deleteComment: (user, publicId) => deleteComment(deps, user, publicId),
    findComment: (publicId) => findComment(deps, publicId),
    commentThread: (arxivId) => commentThread(deps, arxivId),

    createApiToken: (user, input) => createApiToken(deps, user, input),
    listApiTokens: (user) => listApiTokens(deps, user),
    revokeApiToken: (user, tokenId) => revokeApiToken(deps, user, tokenId),
    resolveApiToken: (secret) => resolveApiToken(deps, secret),

    paperLinks: (arxivId) => paperLinks(deps, arxivId),
    setPaperLinks: (user, arxivId, input) => setPaperLinks(deps, user, arxivId, input),
    revertPaperLinks: (admin, arxivId, reason) => revertPaperLinks(deps, admin, arxivId, reason),

    saveToLibrary: (user, arxivId, note) => saveToLibrary(deps, user, arxivId, note),
    removeFromLibrary: (user, arxivId) => removeFromLibrary(deps, user, arxivId),
    library: (user) => libraryOf(deps, user),
    libraryBibtex: (user) => libraryBibtex(deps, user),

    setPaperHidden: (admin, arxivId, hidden, reason) => setPaperHidden(deps, admin, arxivId, hidden, reason),
    setCommentHidden: (admin, publicId, hidden, reason) => setCommentHiddenByModerator(deps, admin, publicId, hidden, reason),
    setMemberSuspended: (admin, handle, suspended, reason) => setMemberSuspended(deps, admin, handle, suspended, reason),
    moderationLog: (admin, limit) => moderationLog(deps, admin, limit),

    close: () => mailer?.close(),
  };
}
