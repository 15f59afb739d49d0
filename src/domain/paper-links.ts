/**
 * Code and project links a paper's own text gives: repositories on GitHub, GitLab, Bitbucket,
 * Codeberg and the Hugging Face Hub, and a project page, found in the abstract and the arXiv
 * comments. arXiv wraps both fields at about 80 columns, so a URL may be cut by a line break
 * after a slash; authors wrap URLs in `\url{}`, parentheses or brackets and end sentences
 * with them. What is not clearly a repository or a project page is left out: a wrong code link
 * is worse than none.
 */

export type RepoHost = 'github' | 'gitlab' | 'bitbucket' | 'codeberg' | 'huggingface';
export type HubRepoKind = 'model' | 'dataset' | 'space';

export interface RepoLink {
  /** Canonical repository URL: `https://github.com/owner/name`, no trailing slash or `.git`. */
  url: string;
  host: RepoHost;
  /** `owner/name` as the host spells it. */
  id: string;
  /** Only for Hugging Face Hub repositories. */
  hubKind?: HubRepoKind;
}

export interface PaperLinks {
  /** Every repository the text names, in order of appearance, without repeats. */
  repos: RepoLink[];
  /** The paper's code: its first GitHub repository, else its first on another code forge. */
  codeUrl: string | null;
  projectPage: string | null;
}

const CODE_HOSTS: Record<string, RepoHost> = {
  'github.com': 'github',
  'gitlab.com': 'gitlab',
  'bitbucket.org': 'bitbucket',
  'codeberg.org': 'codeberg',
  'huggingface.co': 'huggingface',
};

/** First path segments that are GitHub's (or another forge's) own pages, never an owner. */
const NOT_OWNERS = new Set([
  'about', 'apps', 'blog', 'collections', 'contact', 'customer-stories', 'enterprise', 'explore', 'features', 'join',
  'login', 'marketplace', 'new', 'notifications', 'orgs', 'organizations', 'pricing', 'search', 'settings', 'site',
  'sponsors', 'topics', 'trending', 'users', 'docs', 'papers', 'models', 'api', 'blog', 'learn', 'tasks', 'snippets', 'help',
]);

const URL_START = /(?:\\url\{)?(?:\bhttps?:\/\/|\bwww\.|\b(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|huggingface\.co)\/)/gi;
/** Characters a URL in running text can hold (RFC 3986 minus what never appears unescaped in prose). */
const URL_CHARS = /^[^\s<>"{}|\\^`]+/;
const TRAILING = /[.,;:!?'"*]+$/;
const PROJECT_WORDS = /\b(?:project|code and data|demo)(?:'s)?\s+(?:web\s*page|web\s*site|home\s*page|page|site)\b[^.]{0,30}$|\bproject\s*:\s*$/i;

function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING, '');
    // A closing bracket belongs to the URL only when the URL opened it (Wikipedia-style paths).
    for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
      while (url.endsWith(close) && count(url, open) < count(url, close)) url = url.slice(0, -1);
    }
    if (url === before) return url;
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

interface FoundUrl {
  url: string;
  /** Text before the URL in the same field, for the project-page wording. */
  before: string;
}

/** Forge URLs cut after `owner/` by a wrap: `github.com/name/\n  repo-name` is one URL. */
function joinWrappedRepo(url: string, rest: string): string {
  const forge = /^(?:https?:\/\/)?(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)\/[A-Za-z0-9_.-]+\/$/i;
  if (!forge.test(url)) return url;
  const next = /^[ \t]*\n?[ \t]*([A-Za-z0-9_.-]+)(?=$|[\s.,;:)\]])/.exec(rest);
  // Only a token that looks like a repository name, not the next word of the sentence.
  if (!next || next[0].length === 0 || !/[-_0-9]/.test(next[1]!)) return url;
  return url + next[1]!;
}

function findUrls(text: string): FoundUrl[] {
  const out: FoundUrl[] = [];
  let consumedUntil = 0;
  for (const m of text.matchAll(URL_START)) {
    // `github.com/` inside a URL already read (after its `https://`) is not a second URL.
    if (m.index! < consumedUntil) continue;
    const start = m.index! + (m[0].startsWith('\\url{') ? 5 : 0);
    const body = URL_CHARS.exec(text.slice(start));
    if (!body) continue;
    const url = joinWrappedRepo(body[0], text.slice(start + body[0].length));
    consumedUntil = start + url.length;
    out.push({ url: trimUrl(url), before: text.slice(Math.max(0, m.index! - 80), m.index!) });
  }
  return out;
}

function parseLoose(url: string): URL | null {
  try {
    return new URL(/^https?:\/\//i.test(url) ? url : `https://${url}`);
  } catch {
    return null;
  }
}

function segmentsOf(u: URL): string[] {
  return u.pathname.split('/').filter((s) => s.length > 0);
}

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** The repository a URL points into (any page of it), or null when it is not one. */
export function repoOf(url: string): RepoLink | null {
  const u = parseLoose(url);
  if (!u) return null;
  const host = CODE_HOSTS[u.hostname.toLowerCase().replace(/^www\./, '')];
  if (!host) return null;
  let segs = segmentsOf(u);
  let hubKind: HubRepoKind | undefined;
  if (host === 'huggingface') {
    hubKind = 'model';
    if (segs[0] === 'datasets' || segs[0] === 'spaces') {
      hubKind = segs[0] === 'datasets' ? 'dataset' : 'space';
      segs = segs.slice(1);
    }
  }
  const [owner, rawName] = segs;
  if (!owner || !rawName || NOT_OWNERS.has(owner.toLowerCase()) || !NAME.test(owner)) return null;
  const name = rawName.replace(/\.git$/i, '');
  if (!NAME.test(name) || name === '-' || name === '.' || name === '..') return null;
  const id = `${owner}/${name}`;
  const base = { github: 'https://github.com', gitlab: 'https://gitlab.com', bitbucket: 'https://bitbucket.org', codeberg: 'https://codeberg.org', huggingface: 'https://huggingface.co' }[host];
  const prefix = hubKind === 'dataset' ? '/datasets' : hubKind === 'space' ? '/spaces' : '';
  return { url: `${base}${prefix}/${id}`, host, id, ...(hubKind ? { hubKind } : {}) };
}

function isPaperItself(u: URL): boolean {
  const host = u.hostname.toLowerCase();
  return /(^|\.)arxiv\.org$/.test(host) || host === 'doi.org' || host === 'dx.doi.org' || /\.pdf$/i.test(u.pathname);
}

/** A project page: a GitHub Pages site of a project, or any page the text calls the project's page. */
function projectPageOf(found: FoundUrl): string | null {
  const u = parseLoose(found.url);
  if (!u || !/^https?:$/.test(u.protocol) || isPaperItself(u) || repoOf(found.url)) return null;
  const host = u.hostname.toLowerCase();
  const pages = /^[a-z0-9-]+\.github\.(io|com)$/.test(host);
  const called = PROJECT_WORDS.test(found.before.replace(/\s+/g, ' '));
  // A bare `name.github.io/` is a person's home page, not a project's.
  if (!(called || (pages && segmentsOf(u).length > 0))) return null;
  return normalizeWebUrl(found.url);
}

/** `http(s)://host/path` with the scheme the text gave (https when none) and no trailing slash on the bare host. */
export function normalizeWebUrl(url: string): string | null {
  const u = parseLoose(url);
  if (!u || !/^https?:$/.test(u.protocol) || !u.hostname.includes('.')) return null;
  const href = u.toString();
  return u.pathname === '/' && !u.search && !u.hash ? href.replace(/\/$/, '') : href;
}

export function extractPaperLinks(abstract: string | null | undefined, comments: string | null | undefined): PaperLinks {
  const found = [...findUrls(abstract ?? ''), ...findUrls(comments ?? '')];
  const repos: RepoLink[] = [];
  const seen = new Set<string>();
  let projectPage: string | null = null;
  for (const f of found) {
    const repo = repoOf(f.url);
    if (repo) {
      if (!seen.has(repo.url.toLowerCase())) {
        seen.add(repo.url.toLowerCase());
        repos.push(repo);
      }
      continue;
    }
    projectPage ??= projectPageOf(f);
  }
  const code = repos.find((r) => r.host === 'github') ?? repos.find((r) => r.host !== 'huggingface') ?? null;
  return { repos, codeUrl: code?.url ?? null, projectPage };
}
