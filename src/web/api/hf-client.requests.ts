/**
 * The HTTP requests the official `huggingface_hub` client and its `hf papers` command send,
 * restated so a spec can send exactly them to a real Paperboy server (the Python client cannot be
 * installed here: PyPI is out of reach). Mirrors `HfApi.list_daily_papers`, `list_papers`,
 * `paper_info` and `read_paper` in `src/huggingface_hub/hf_api.py` and `papers_ls`,
 * `papers_search`, `papers_info`, `papers_read` in `src/huggingface_hub/cli/papers.py`
 * (huggingface/huggingface_hub at ee0a4510, 2026-08-20):
 * - paths are f-strings, so an old-style id keeps its slash (`/api/papers/math/0611918`);
 * - `requests` drops None params, keeps dict order and encodes with `quote_plus` (space = `+`);
 * - list calls send `_build_hf_headers(token)`: the client's user agent and, when the user has
 *   a Hugging Face token saved, `authorization: Bearer hf_…` (to any endpoint it is pointed at);
 *   `paper_info` and `read_paper` send no extra headers;
 * - `hf papers ls` passes `limit=50` by default, `hf papers search` `limit=20`; `--date today`
 *   becomes the local date.
 */
export interface HfRequest {
  /** What the client calls, for messages. */
  call: string;
  url: string;
  headers: Record<string, string>;
}

/** What `requests` adds to every request, plus the client's user agent. */
const REQUESTS_DEFAULTS = { accept: '*/*', 'accept-encoding': 'gzip, deflate', connection: 'keep-alive' };
const USER_AGENT = 'huggingface_hub/1.0.0; python/3.11.7; torch/N/A; session_id/0123456789abcdef';

/** `urllib.parse.urlencode(params)` with `quote_plus`, as `requests` encodes `params=`. */
function encodeParams(params: Record<string, string | number | undefined | null>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${quotePlus(k)}=${quotePlus(String(v))}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function quotePlus(s: string): string {
  // Python's quote_plus keeps only letters, digits and `_.-~` unescaped.
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

function hfHeaders(token: string | null): Record<string, string> {
  return { ...REQUESTS_DEFAULTS, 'user-agent': USER_AGENT, ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

export interface DailyPapersArgs {
  date?: string;
  week?: string;
  month?: string;
  submitter?: string;
  sort?: 'publishedAt' | 'trending';
  p?: number;
  limit?: number;
}

export function listDailyPapers(endpoint: string, args: DailyPapersArgs = {}, token: string | null = null): HfRequest {
  const query = encodeParams({ p: args.p, limit: args.limit, sort: args.sort, date: args.date, week: args.week, month: args.month, submitter: args.submitter });
  return { call: 'list_daily_papers', url: `${endpoint}/api/daily_papers${query}`, headers: hfHeaders(token) };
}

export function listPapers(endpoint: string, args: { query?: string; limit?: number } = {}, token: string | null = null): HfRequest {
  // `if query:` — an empty query sends no `q` at all.
  const query = encodeParams({ q: args.query ? args.query : undefined, limit: args.limit });
  return { call: 'list_papers', url: `${endpoint}/api/papers/search${query}`, headers: hfHeaders(token) };
}

export function paperInfo(endpoint: string, id: string): HfRequest {
  return { call: 'paper_info', url: `${endpoint}/api/papers/${id}`, headers: { ...REQUESTS_DEFAULTS, 'user-agent': 'python-requests/2.32.3' } };
}

export function readPaper(endpoint: string, id: string): HfRequest {
  return { call: 'read_paper', url: `${endpoint}/papers/${id}.md`, headers: { ...REQUESTS_DEFAULTS, 'user-agent': 'python-requests/2.32.3' } };
}

/** `hf papers ls [--date D|today] [--week W] [--month M] [--submitter S] [--sort S] [--limit N]`. */
export function hfPapersLs(endpoint: string, opts: Omit<DailyPapersArgs, 'p'> = {}, token: string | null = null, today = new Date()): HfRequest {
  const date = opts.date?.toLowerCase() === 'today' ? localIsoDate(today) : opts.date;
  return { ...listDailyPapers(endpoint, { ...opts, ...(date ? { date } : {}), limit: opts.limit ?? 50 }, token), call: 'hf papers ls' };
}

/** `hf papers search QUERY [--limit N]`. */
export function hfPapersSearch(endpoint: string, query: string, limit = 20, token: string | null = null): HfRequest {
  return { ...listPapers(endpoint, { query, limit }, token), call: 'hf papers search' };
}

export function hfPapersInfo(endpoint: string, id: string): HfRequest {
  return { ...paperInfo(endpoint, id), call: 'hf papers info' };
}

export function hfPapersRead(endpoint: string, id: string): HfRequest {
  return { ...readPaper(endpoint, id), call: 'hf papers read' };
}

function localIsoDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
