/**
 * A paper's code and project links: what its text names (extracted at import), corrected by
 * members (each edit kept with who made it) and reverted by moderators (logged). Also the
 * repositories a paper names, for `GET /api/arxiv/{id}/repos`.
 */
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { extractPaperLinks, normalizeWebUrl, repoOf, type RepoLink } from '../../domain/paper-links.js';
import { decideFromCount, RateLimitedError } from '../../domain/rate-limit.js';
import type { User } from '../../domain/user.js';
import {
  countLinkEditsByUserSince,
  findCurrentLinks,
  insertLinkEdit,
  latestStandingEdit,
  listLinkEdits,
  markLinkEditReverted,
  setPaperLinksInForce,
  type PaperLinkEdit,
} from '../../store/paper-links.repository.js';
import { assertActive, assertAdmin, type MemberDeps } from './member-deps.js';
import { logged } from './moderation.service.js';

const HOUR_MS = 3_600_000;
/** Link edits one member may make per hour, across papers. */
export const LINK_EDITS_PER_HOUR = 30;
const MAX_URL_CHARS = 500;

export interface PaperLinksView {
  arxivId: string;
  codeUrl: string | null;
  projectPage: string | null;
  /** Who set the links in force, or null while they are the ones the paper's text gives. */
  setBy: PaperLinkEdit['setBy'] | 'extracted';
  /** Every repository the paper names (its text, and the member-set code link), code first. */
  repos: RepoLink[];
  /** Newest first; moderators see them to revert. */
  edits: PaperLinkEdit[];
}

/** `undefined` keeps the current link, '' or null clears it, anything else must be a link. */
export interface PaperLinksInput {
  codeUrl?: string | null | undefined;
  projectPage?: string | null | undefined;
}

function parseCodeUrl(value: string): string {
  if (value.length > MAX_URL_CHARS) throw new ValidationError(`The repository link is longer than ${MAX_URL_CHARS} characters.`, { field: 'githubRepo' });
  const repo = repoOf(value.trim());
  if (!repo || repo.host === 'huggingface') {
    throw new ValidationError('The code link must be a repository on GitHub, GitLab, Bitbucket or Codeberg, like https://github.com/owner/name.', { field: 'githubRepo' });
  }
  return repo.url;
}

function parseProjectPage(value: string): string {
  const url = value.length <= MAX_URL_CHARS ? normalizeWebUrl(value.trim()) : null;
  if (!url) throw new ValidationError('The project page must be an http or https address, like https://example.org/project.', { field: 'projectPage' });
  return url;
}

async function requireLinks(deps: MemberDeps, arxivId: string) {
  const current = await findCurrentLinks(deps.db.kysely, arxivId);
  if (!current) throw new NotFoundError('paper_not_found', `No paper ${arxivId} here.`, { arxivId });
  return current;
}

export async function paperLinks(deps: MemberDeps, arxivId: string): Promise<PaperLinksView> {
  const current = await requireLinks(deps, arxivId);
  const db = deps.db.kysely;
  const edits = await listLinkEdits(db, current.paperId);
  const named = extractPaperLinks(current.abstract, current.comments).repos;
  const code = current.codeUrl ? repoOf(current.codeUrl) : null;
  const repos = code ? [code, ...named.filter((r) => r.url.toLowerCase() !== code.url.toLowerCase())] : named;
  const inForce = current.editId === null ? null : edits.find((e) => e.id === current.editId);
  return { arxivId, codeUrl: current.codeUrl, projectPage: current.projectUrl, setBy: inForce ? inForce.setBy : 'extracted', repos, edits };
}

export async function setPaperLinks(deps: MemberDeps, user: User, arxivId: string, input: PaperLinksInput): Promise<PaperLinksView> {
  assertActive(user);
  if (input.codeUrl === undefined && input.projectPage === undefined) {
    throw new ValidationError('Give a repository link (githubRepo), a project page (projectPage), or both.', { field: 'githubRepo' });
  }
  const codeUrl = input.codeUrl ? parseCodeUrl(input.codeUrl) : input.codeUrl === undefined ? undefined : null;
  const projectPage = input.projectPage ? parseProjectPage(input.projectPage) : input.projectPage === undefined ? undefined : null;
  const db = deps.db.kysely;
  const now = deps.now();
  const recent = await countLinkEditsByUserSince(db, user.id, new Date(now.getTime() - HOUR_MS).toISOString());
  const decision = decideFromCount(recent.count, recent.oldest, LINK_EDITS_PER_HOUR, HOUR_MS, now.getTime());
  if (!decision.allowed) throw new RateLimitedError('You have changed many links in the last hour. Try again a bit later.', decision.retryAfterMs / 1000, { limit: 'link_edits_per_hour' });
  const current = await requireLinks(deps, arxivId);
  const next = { codeUrl: codeUrl === undefined ? current.codeUrl : codeUrl, projectUrl: projectPage === undefined ? current.projectUrl : projectPage };
  await db.transaction().execute(async (trx) => {
    const editId = await insertLinkEdit(trx, { paperId: current.paperId, ...next, userId: user.id, now: now.toISOString() });
    await setPaperLinksInForce(trx, current.paperId, { ...next, editId }, now.toISOString());
  });
  deps.logger.info({ member: user.handle, arxivId, ...next }, 'paper links set');
  return paperLinks(deps, arxivId);
}

/** Undoes the edit in force: the one before it (if any still stands) or the extracted links come back. */
export async function revertPaperLinks(deps: MemberDeps, admin: User, arxivId: string, reason?: string): Promise<PaperLinksView> {
  assertAdmin(admin);
  const current = await requireLinks(deps, arxivId);
  if (current.editId === null) throw new ValidationError('These links are the ones the paper names; there is no member edit to revert.', { field: 'arxivId' });
  const editId = current.editId;
  const now = deps.now().toISOString();
  await logged(deps, admin, { action: 'revert_links', targetType: 'paper', target: arxivId, reason: reason?.trim() || null }, async (trx) => {
    await markLinkEditReverted(trx, editId, admin.id, now);
    const previous = await latestStandingEdit(trx, current.paperId);
    const extracted = extractPaperLinks(current.abstract, current.comments);
    await setPaperLinksInForce(trx, current.paperId, previous ? { codeUrl: previous.codeUrl, projectUrl: previous.projectUrl, editId: previous.id } : { codeUrl: extracted.codeUrl, projectUrl: extracted.projectPage, editId: null }, now);
  });
  return paperLinks(deps, arxivId);
}
