/**
 * The OpenAPI 3.1 document served at `/api/openapi.json`: the Hugging Face-compatible
 * endpoints (reads, and writes with a personal token), Paperboy's `/api/v1/` endpoints and the
 * feeds, with the same limits the parameter schemas in http/params.ts enforce.
 */
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const segment = { type: 'object', required: ['type', 'text'], properties: { type: { enum: ['text', 'highlight'] }, text: str } };
const user = { type: 'object', required: ['_id', 'name', 'user', 'fullname', 'type'], properties: { _id: str, name: str, user: str, fullname: str, type: { const: 'user' } } };
const error = {
  description: 'Invalid input, not found, or not allowed. `code` is stable: `invalid_input`, `paper_not_found`, `comment_not_found`, `not_found`, `unauthorized`, `invalid_token`, `insufficient_scope`, `csrf_failed`, `forbidden`, `already_on_feed`, `rate_limited` (with Retry-After).',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

const q = (name: string, schema: object, description: string, required = false) => ({ name, in: 'query', required, schema, description });
const idParam = { name: 'id', in: 'path', required: true, schema: str, description: 'arXiv id: 1203.01234, 0704.0002v2 or math/0611918 (the slash is part of the path).' };
const commentIdParam = { name: 'commentId', in: 'path', required: true, schema: str, description: 'The comment\'s id (from the comments list).' };
const bearer = [{ apiToken: [] }];
const jsonBody = (schema: object, example: object) => ({ required: true, content: { 'application/json': { schema, example } } });
const commentSchema = { $ref: '#/components/schemas/Comment' };
const writeErrors = { 400: error, 401: error, 403: error, 404: error, 429: error };

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Paperboy API',
    version: '1',
    description:
      'JSON API of a Paperboy instance. The `/api/daily_papers`, `/api/papers`, `/api/papers/search`, `/api/papers/{id}` and `/papers/{id}.md` endpoints follow the public Hugging Face Papers API (same parameters and field names), so `huggingface_hub` works with `endpoint` set to this server. `githubRepo` and `projectPage` come from the paper\'s abstract and arXiv comments or from a member. Fields Paperboy cannot fill are omitted: `ai_summary`, `ai_keywords`, `githubStars`, `organization` and avatars; `thumbnail` is null. Timestamps are ISO 8601 UTC ending in `Z`. Every GET answer has an ETag (send If-None-Match for a 304) and CORS allows any origin. Writes (POST, DELETE) take a personal token, `Authorization: Bearer pb_…`, created on the settings page with the `write` scope, and follow the same rules and per-member limits as the site\'s forms; a signed-in browser may use them too with its session cookie and the `X-CSRF-Token` header. Reads ignore tokens.',
  },
  paths: {
    '/api/daily_papers': {
      get: {
        summary: 'Daily papers (Hugging Face compatible)',
        parameters: [
          q('p', { ...int, minimum: 0, default: 0 }, 'Page, from 0.'),
          q('limit', { ...int, minimum: 1, maximum: 100, default: 50 }, 'Items per page.'),
          q('date', { ...str, format: 'date' }, 'A day, YYYY-MM-DD. Without date/week/month: the latest day with papers.'),
          q('week', { ...str, pattern: '^\\d{4}-W\\d{2}$' }, 'An ISO week, YYYY-Www.'),
          q('month', { ...str, pattern: '^\\d{4}-\\d{2}$' }, 'A month, YYYY-MM.'),
          q('submitter', str, 'Only papers this member (handle) submitted.'),
          q('sort', { enum: ['publishedAt', 'trending'], default: 'publishedAt' }, 'Newest first, or upvotes with time decay.'),
        ],
        responses: {
          200: {
            description: 'Daily items. A `Link: <url>; rel="next"` header is present when there are more.',
            content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/DailyItem' } } } },
          },
          400: error,
        },
      },
    },
    '/api/papers': {
      get: {
        summary: 'Every paper, newest first, a page at a time (Hugging Face compatible)',
        parameters: [q('cursor', str, 'Where to resume: from the previous page\'s `Link: rel="next"` header; opaque.'), q('limit', { ...int, minimum: 1, maximum: 100, default: 50 }, 'Papers per page.')],
        responses: {
          200: {
            description: 'Flat paper objects (as `/api/papers/{id}`). A `Link: <url>; rel="next"` header carries the next page\'s cursor; none on the last page.',
            headers: { Link: { schema: str, example: '<https://papers.example.org/api/papers?limit=50&cursor=WyIyMDI0LTAxLTE1IiwiMjQwMS4wMDAwMSJd>; rel="next"' } },
            content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/PaperInfo' } } } },
          },
          400: error,
        },
      },
    },
    '/api/papers/search': {
      get: {
        summary: 'Search papers (Hugging Face compatible); without `q`, the newest papers',
        parameters: [q('q', { ...str, maxLength: 250 }, 'Query words. Absent or empty: the newest papers (what list_papers() without a query asks for).'), q('limit', { ...int, minimum: 1, maximum: 120, default: 50 }, 'Results.')],
        responses: { 200: { description: 'Items shaped like daily items, with highlight segments.', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/SearchItem' } } } } }, 400: error },
      },
    },
    '/api/papers/{id}': {
      get: {
        summary: 'One paper (Hugging Face compatible), flat',
        parameters: [idParam],
        responses: { 200: { description: 'The paper.', content: { 'application/json': { schema: { $ref: '#/components/schemas/PaperInfo' } } } }, 400: error, 404: error },
      },
    },
    '/api/papers/index': {
      post: {
        summary: 'Submit a paper to today\'s daily feed (same rules and daily limit as the submit form); fetched from arXiv when not stored yet',
        security: bearer,
        requestBody: jsonBody({ type: 'object', required: ['arxivId'], properties: { arxivId: { ...str, description: 'An arXiv id or abs/pdf URL.' } } }, { arxivId: '2401.00001' }),
        responses: { 201: { description: 'The paper as on the feed.', content: { 'application/json': { schema: { $ref: '#/components/schemas/PaperInfo' } } } }, 409: error, 502: error, ...writeErrors },
      },
    },
    '/api/papers/{id}/links': {
      post: {
        summary: 'Set or clear a paper\'s code repository and project page (kept with who set them; moderators can revert)',
        security: bearer,
        parameters: [idParam],
        requestBody: jsonBody(
          { type: 'object', properties: { githubRepo: { ...nullableStr, description: 'A repository on GitHub, GitLab, Bitbucket or Codeberg; empty or null clears it; absent keeps it.' }, projectPage: { ...nullableStr, description: 'An http(s) page; empty or null clears it; absent keeps it.' } } },
          { githubRepo: 'https://github.com/owner/name', projectPage: 'https://owner.github.io/name/' },
        ),
        responses: { 200: { description: 'The links in force.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Links' } } } }, ...writeErrors },
      },
    },
    '/api/papers/{id}/upvote': {
      post: { summary: 'Upvote (idempotent)', security: bearer, parameters: [idParam], responses: { 200: { description: '`{ arxivId, upvotes, upvoted: true }`', content: { 'application/json': { example: { arxivId: '2401.00001', upvotes: 3, upvoted: true } } } }, ...writeErrors } },
      delete: { summary: 'Remove one\'s upvote (idempotent)', security: bearer, parameters: [idParam], responses: { 200: { description: '`{ arxivId, upvotes, upvoted: false }`' }, ...writeErrors } },
    },
    '/api/papers/{id}/comment': {
      post: {
        summary: 'Comment on a paper (Markdown, at most 10,000 characters; per-member hourly limit)',
        security: bearer,
        parameters: [idParam],
        requestBody: jsonBody({ type: 'object', required: ['comment'], properties: { comment: str } }, { comment: 'The ablation in **Table 3** answers my question.' }),
        responses: { 201: { description: '`{ comment }`', content: { 'application/json': { schema: { type: 'object', properties: { comment: commentSchema } } } } }, ...writeErrors },
      },
    },
    '/api/papers/{id}/comment/{commentId}/reply': {
      post: {
        summary: 'Reply to a comment',
        security: bearer,
        parameters: [idParam, commentIdParam],
        requestBody: jsonBody({ type: 'object', required: ['comment'], properties: { comment: str } }, { comment: 'Agreed.' }),
        responses: { 201: { description: '`{ comment }`', content: { 'application/json': { schema: { type: 'object', properties: { comment: commentSchema } } } } }, ...writeErrors },
      },
    },
    '/api/papers/{id}/comment/{commentId}': {
      delete: { summary: 'Delete one\'s own comment (moderators: any); replies keep their place', security: bearer, parameters: [idParam, commentIdParam], responses: { 200: { description: '`{ comment }` with status `deleted`' }, ...writeErrors } },
    },
    '/api/papers/{id}/comments': {
      get: {
        summary: 'A paper\'s discussion: threads with their replies, Markdown and sanitized HTML, paged by thread',
        parameters: [idParam, q('p', { ...int, minimum: 0, default: 0 }, 'Page of threads, from 0.'), q('limit', { ...int, minimum: 1, maximum: 100, default: 50 }, 'Threads per page.')],
        responses: {
          200: {
            description: '`{ arxivId, numComments, numThreads, comments }`; `Link: rel="next"` when more threads follow. Removed comments keep their place (status `deleted` or `hidden`, no text) while they have replies.',
            content: { 'application/json': { schema: { type: 'object', properties: { arxivId: str, numComments: int, numThreads: int, comments: { type: 'array', items: commentSchema } } } } },
          },
          400: error,
          404: error,
        },
      },
    },
    '/api/arxiv/{id}/repos': {
      get: {
        summary: 'Repositories a paper names: Hub models, datasets and spaces (as on Hugging Face), plus code repositories and the links in force',
        parameters: [idParam],
        responses: {
          200: {
            description: 'Repositories.',
            content: {
              'application/json': {
                example: { models: [{ id: 'org/model-7b', url: 'https://huggingface.co/org/model-7b' }], datasets: [], spaces: [], code: [{ url: 'https://github.com/org/code', host: 'github', id: 'org/code' }], arxivId: '2401.00001', githubRepo: 'https://github.com/org/code', codeUrl: 'https://github.com/org/code', projectPage: null, setBy: null, source: 'paper' },
              },
            },
          },
          400: error,
          404: error,
        },
      },
    },
    '/api/v1/feed': {
      get: {
        summary: 'The feed of a day, week or month with pagination metadata and papers per day',
        parameters: [
          q('date', str, 'YYYY-MM-DD'),
          q('week', str, 'YYYY-Www'),
          q('month', str, 'YYYY-MM'),
          q('sort', { enum: ['trending', 'newest'], default: 'trending' }, 'Order.'),
          q('page', { ...int, minimum: 0, default: 0 }, 'Page, from 0.'),
          q('limit', { ...int, minimum: 1, maximum: 100, default: 30 }, 'Items per page.'),
          q('category', str, 'arXiv category, e.g. cs.LG.'),
          q('has_code', { enum: ['1', '0'] }, 'Only papers with a code link.'),
        ],
        responses: { 200: { description: 'Feed page.' }, 400: error },
      },
    },
    '/api/v1/search': {
      get: {
        summary: 'Search with filters',
        parameters: [
          q('q', { ...str, maxLength: 250 }, 'Query words.', true),
          q('from', { ...str, format: 'date' }, 'Published on or after.'),
          q('to', { ...str, format: 'date' }, 'Published on or before.'),
          q('category', str, 'arXiv category.'),
          q('has_code', { enum: ['1', '0'] }, 'Only papers with a code link.'),
          q('page', { ...int, minimum: 0, default: 0 }, 'Page, from 0.'),
          q('limit', { ...int, minimum: 1, maximum: 120, default: 20 }, 'Results per page.'),
          q('expand', { enum: ['1', '0'], default: '1' }, 'Search by meaning too (default). `0`: only papers with the query\'s words, no related words.'),
        ],
        responses: {
          200: { description: 'Results with total, engine (`paperboy-hybrid` when words and meaning were fused, `paperboy-bm25f` for words only), `expand`, `alsoMatching` (related words search by meaning brought in) and per item `matchedBy` (`words`, or `meaning` when the paper contains none of the query\'s words) and highlight segments.' },
          400: error,
        },
      },
    },
    '/api/v1/papers/{id}': {
      get: {
        summary: 'One paper with signals, similar papers and BibTeX',
        parameters: [{ name: 'id', in: 'path', required: true, schema: str }],
        responses: { 200: { description: 'The paper.' }, 400: error, 404: error },
      },
    },
    '/api/v1/suggest': {
      get: {
        summary: 'Search as you type, words only (never the full search): titles holding every typed word, the last one as a prefix, and the typed text completed from the title vocabulary',
        parameters: [q('q', { ...str, maxLength: 250 }, 'Text typed so far.')],
        responses: { 200: { description: '`{ query, suggestions: [{ arxivId, title }], completions: [text] }`', content: { 'application/json': { example: { query: 'sparse cod', suggestions: [{ arxivId: '1203.0001', title: 'Sparse coding for graphs' }], completions: ['sparse coding', 'sparse code'] } } } } },
      },
    },
    '/api/v1/stats': { get: { summary: 'Number of papers and the latest day with papers', responses: { 200: { description: '`{ papers, latestDay, today }`' } } } },
    '/api/v1/for-you': {
      get: {
        summary: "Papers of a period ranked for the signed-in member from their upvotes and library (session cookie; default: the 7 days up to the latest day with papers)",
        parameters: [q('since', str, 'First day, YYYY-MM-DD.'), q('until', str, 'Last day (inclusive), YYYY-MM-DD.'), q('period', { type: 'string', enum: ['week', 'month'] }, 'Span when since is not given.'), q('limit', { type: 'integer', minimum: 1, maximum: 100 }, 'Default 30.')],
        responses: { 200: { description: '`{ status: ok|no_positives|no_candidates, since, until, positives, candidates, items: [{ score, upvotes, comments, paper }] }`' }, 400: error, 401: error },
      },
    },
    '/papers/{id}.md': {
      get: {
        summary: 'A paper as Markdown (what huggingface_hub read_paper fetches): title, authors, dates, categories, links, abstract and the discussion; also GET /papers/{id} with Accept: text/markdown',
        parameters: [{ name: 'id', in: 'path', required: true, schema: str, description: 'arXiv id: 1203.01234, 0704.0002v2 or math/0611918.' }],
        responses: { 200: { description: 'text/markdown', content: { 'text/markdown': { example: '# Attention Is All You Need\n\n**Authors:** Ashish Vaswani, Noam Shazeer\n\n**arXiv:** 1706.03762 (v7) · **Published:** 2017-06-12\n\n## Abstract\n\n...\n\n## Discussion (0)\n\nNo comments yet.\n' } } }, 400: error, 404: error },
      },
    },
    '/feeds/daily.atom': { get: { summary: 'Atom feed of a day (default: latest day with papers)', parameters: [q('date', str, 'YYYY-MM-DD')], responses: { 200: { description: 'Atom 1.0' } } } },
    '/feeds/daily.rss': { get: { summary: 'RSS 2.0 feed of a day', parameters: [q('date', str, 'YYYY-MM-DD')], responses: { 200: { description: 'RSS 2.0' } } } },
    '/feeds/search.atom': { get: { summary: 'Atom feed of a search', parameters: [q('q', str, 'Query.', true)], responses: { 200: { description: 'Atom 1.0' }, 400: error } } },
    '/feeds/search.rss': { get: { summary: 'RSS 2.0 feed of a search', parameters: [q('q', str, 'Query.', true)], responses: { 200: { description: 'RSS 2.0' }, 400: error } } },
  },
  components: {
    securitySchemes: { apiToken: { type: 'http', scheme: 'bearer', description: 'A personal token (pb_…) from the settings page; `write` scope for POST and DELETE.' } },
    schemas: {
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: str, message: str, details: { type: 'object' } } } } },
      Author: { type: 'object', required: ['_id', 'name', 'hidden'], properties: { _id: str, name: str, hidden: { type: 'boolean' }, user: user } },
      User: user,
      Paper: {
        type: 'object',
        required: ['id', 'authors', 'publishedAt', 'title', 'summary', 'upvotes', 'discussionId'],
        properties: {
          id: str,
          authors: { type: 'array', items: { $ref: '#/components/schemas/Author' } },
          publishedAt: { ...nullableStr, format: 'date-time' },
          submittedOnDailyAt: { ...str, format: 'date-time' },
          submittedOnDailyBy: user,
          title: str,
          summary: str,
          upvotes: int,
          discussionId: str,
          githubRepo: { ...str, description: 'The paper\'s GitHub repository (other forges: see /api/arxiv/{id}/repos).' },
          projectPage: str,
          categories: { type: 'array', items: str },
          primaryCategory: nullableStr,
          arxivUrl: str,
        },
      },
      PaperInfo: { allOf: [{ $ref: '#/components/schemas/Paper' }, { type: 'object', required: ['numComments'], properties: { numComments: int, submittedBy: user } }] },
      DailyItem: {
        type: 'object',
        required: ['paper', 'publishedAt', 'title', 'summary', 'thumbnail', 'numComments', 'isAuthorParticipating'],
        properties: {
          paper: { $ref: '#/components/schemas/Paper' },
          publishedAt: { ...nullableStr, format: 'date-time', description: 'When the paper entered the daily feed.' },
          title: str,
          summary: str,
          thumbnail: { type: 'null' },
          numComments: int,
          submittedBy: user,
          githubRepo: { ...str, description: 'Repeated at the top level, where the client reads it.' },
          projectPage: str,
          isAuthorParticipating: { type: 'boolean' },
        },
      },
      Links: {
        type: 'object',
        properties: { arxivId: str, githubRepo: nullableStr, codeUrl: nullableStr, projectPage: nullableStr, setBy: { type: ['object', 'null'], properties: { user: str, fullname: str } }, source: { enum: ['paper', 'member'] } },
      },
      Comment: {
        type: 'object',
        required: ['id', 'parentId', 'author', 'markdown', 'html', 'createdAt', 'editedAt', 'status', 'replies'],
        properties: {
          id: str,
          parentId: nullableStr,
          author: { type: ['object', 'null'], properties: { user: str, fullname: str } },
          markdown: str,
          html: { ...str, description: 'Rendered and sanitized: no raw HTML, no images, links nofollow.' },
          createdAt: { ...str, format: 'date-time' },
          editedAt: { ...nullableStr, format: 'date-time' },
          status: { enum: ['visible', 'deleted', 'hidden'] },
          replies: { type: 'array', items: { $ref: '#/components/schemas/Comment' } },
        },
      },
      SearchItem: {
        allOf: [
          { $ref: '#/components/schemas/DailyItem' },
          { type: 'object', required: ['highlightedTitle', 'highlightedSummary'], properties: { highlightedTitle: { type: 'array', items: segment }, highlightedSummary: { type: 'array', items: segment } } },
        ],
      },
    },
  },
} as const;
