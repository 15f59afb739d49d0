/**
 * What the official `huggingface_hub` Python client reads from the Papers API, restated in
 * TypeScript so a spec can hold Paperboy's answers to it. Mirrors `PaperInfo.__init__`,
 * `PaperAuthor.__init__` and `User.__init__` in `src/huggingface_hub/hf_api.py`: which keys
 * are read where (top level or inside `paper`), and the types the client then relies on
 * (`parse_datetime` needs ISO 8601 ending in `Z`). Throws with the field name on any mismatch.
 */
type Json = Record<string, unknown>;

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function fail(field: string, why: string): never {
  throw new Error(`huggingface_hub contract: ${field} ${why}`);
}

function optionalString(v: unknown, field: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') fail(field, `must be a string, got ${typeof v}`);
  return v;
}

function datetime(v: unknown, field: string): Date | null {
  const s = optionalString(v, field);
  if (s === null) return null;
  if (!ISO_Z.test(s)) fail(field, `must be ISO 8601 ending in Z for parse_datetime, got "${s}"`);
  return new Date(s);
}

/** `User(**data)`: reads `user` (the username), `fullname`, `avatarUrl`; all optional. */
export function parseUser(data: unknown, field: string) {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail(field, 'must be an object');
  const u = data as Json;
  return { username: optionalString(u.user, `${field}.user`) ?? '', fullname: optionalString(u.fullname, `${field}.fullname`) ?? '', avatarUrl: optionalString(u.avatarUrl, `${field}.avatarUrl`) ?? '' };
}

/** `PaperAuthor(**data)`: `name`, `user` (a User), `status`, `statusLastChangedAt`, `hidden`. */
export function parseAuthor(data: unknown, field: string) {
  if (typeof data !== 'object' || data === null) fail(field, 'must be an object');
  const a = data as Json;
  const name = optionalString(a.name, `${field}.name`);
  if (!name) fail(`${field}.name`, 'must be a non-empty string');
  if (a.hidden !== undefined && typeof a.hidden !== 'boolean') fail(`${field}.hidden`, 'must be a boolean');
  return { name, user: a.user ? parseUser(a.user, `${field}.user`) : null, hidden: (a.hidden as boolean | undefined) ?? null };
}

/** `PaperInfo(**item)`, exactly as the client pops keys (top level first where it does). */
export function parsePaperInfo(item: unknown) {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) fail('item', 'must be an object');
  const kw = { ...(item as Json) };
  const paper = { ...((kw.paper as Json | undefined) ?? {}) };
  const id = optionalString(kw.id, 'id') ?? optionalString(paper.id, 'paper.id');
  if (!id) fail('id', 'missing (neither top-level id nor paper.id)');
  const authors = (paper.authors ?? kw.authors) as unknown;
  if (authors !== undefined && !Array.isArray(authors)) fail('authors', 'must be a list');
  const upvotes = paper.upvotes ?? kw.upvotes;
  if (upvotes !== undefined && (typeof upvotes !== 'number' || !Number.isInteger(upvotes))) fail('upvotes', 'must be an integer');
  const comments = kw.numComments ?? 0;
  if (typeof comments !== 'number' || !Number.isInteger(comments)) fail('numComments', 'must be an integer');
  const submittedBy = kw.submittedBy ?? kw.submittedOnDailyBy;
  return {
    id,
    authors: Array.isArray(authors) ? authors.map((a, i) => parseAuthor(a, `authors[${i}]`)) : null,
    publishedAt: datetime(paper.publishedAt ?? kw.publishedAt, 'publishedAt'),
    // The client reads the title only at the top level.
    title: optionalString(kw.title, 'title'),
    summary: optionalString(paper.summary ?? kw.summary, 'summary'),
    upvotes: (upvotes as number | undefined) ?? null,
    discussionId: optionalString(paper.discussionId ?? kw.discussionId, 'discussionId'),
    comments,
    submittedAt: datetime(kw.publishedAt ?? kw.submittedOnDailyAt, 'publishedAt|submittedOnDailyAt'),
    submittedBy: submittedBy ? parseUser(submittedBy, 'submittedBy') : null,
    projectPage: optionalString(kw.projectPage, 'projectPage'),
    githubRepo: optionalString(kw.githubRepo, 'githubRepo'),
  };
}
