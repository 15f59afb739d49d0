/** `paperboy search "query"` and `paperboy reindex`: the search engine from the command line. */
import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from './cli-context.js';

function positiveInt(max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`must be an integer from 1 to ${max}, got "${v}"`);
    return n;
  };
}

function segmentsText(segments: { type: string; text: string }[]): string {
  return segments.map((s) => (s.type === 'highlight' ? `*${s.text}*` : s.text)).join('');
}

export function registerSearchCommands(program: Command, ctx: CliContext): void {
  program
    .command('search')
    .description('Search the papers in the database (BM25F over title, abstract and authors, blended with learned paper vectors once they exist).')
    .argument('<query>', 'what to look for, e.g. "heart representation learning"')
    .option('-n, --limit <n>', 'number of results', positiveInt(100), 10)
    .option('--category <cat>', 'only this category or archive, e.g. cs.LG or cs')
    .option('--from <date>', 'published on or after (YYYY-MM-DD)')
    .option('--to <date>', 'published on or before (YYYY-MM-DD)')
    .option('--json', 'one JSON object per result')
    .action(async (query: string, opts: { limit: number; category?: string; from?: string; to?: string; json?: boolean }) => {
      const app = await ctx.openApp();
      const results = await app.services.reader.search.search({
        q: query,
        filters: { ...(opts.category ? { category: opts.category } : {}), ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) },
        page: 0,
        pageSize: opts.limit,
      });
      for (const [i, hit] of results.hits.entries()) {
        if (opts.json) {
          ctx.stdout.write(`${JSON.stringify({ rank: i + 1, arxivId: hit.paper.arxivId, score: hit.score, title: segmentsText(hit.highlightedTitle).replace(/\*/g, '') })}\n`);
        } else {
          ctx.stdout.write(`${String(i + 1).padStart(3)}. ${hit.paper.arxivId.padEnd(18)} ${hit.score.toFixed(2).padStart(6)}  ${segmentsText(hit.highlightedTitle)}\n`);
        }
      }
      if (!opts.json && results.hits.length === 0) ctx.stdout.write('no results\n');
    });

  program
    .command('reindex')
    .description('Rebuild the search index and the paper vectors from the database alone and save their snapshots.')
    .action(async () => {
      const app = await ctx.openApp();
      const result = await app.services.searchEngine.rebuild();
      ctx.stdout.write(
        `indexed ${result.documents} papers in ${result.seconds.toFixed(1)} s` +
          (result.snapshotBytes !== null ? `; snapshot ${(result.snapshotBytes / 1e6).toFixed(1)} MB in ${app.config.searchIndexDir}` : '; no snapshot directory (SEARCH_INDEX_DIR) configured') +
          '\n',
      );
      ctx.stdout.write(
        result.dense
          ? `paper vectors (${result.dense.provider}): ${result.dense.documents} papers in ${result.dense.seconds.toFixed(1)} s\n`
          : app.config.denseSearch.mode === 'off'
            ? 'paper vectors: off (SEARCH_DENSE=off)\n'
            : `paper vectors: not built (fewer than ${app.config.denseSearch.minPapers} papers; SEARCH_DENSE_MIN_PAPERS)\n`,
      );
    });
}
