/**
 * `paperboy eval`: search quality on the IR test collections in the shared data folder
 * (nDCG@10, MAP, recall@100) for our systems and, in the same run, SQLite FTS5 and MiniSearch,
 * with the README's reference BM25 and published figures alongside. `--tune` re-runs the
 * parameter search on the training splits.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { loadArxivTopicsCollection } from '../services/search-index/arxiv-topics-eval.service.js';
import { ARXIV_TOPICS } from '../search/eval/arxiv-topics.collection.js';
import { COLLECTION_NAMES, type CollectionName, loadCollection } from '../search/eval/collection-loaders.js';
import { formatJsonLine, formatQueryByQuery, formatReferences, formatTableHeader, formatTableRow, TABLE_FOOTNOTE } from '../search/eval/eval-report.js';
import { type QueryRuns, type SystemFactory, runEvaluation } from '../search/eval/eval-runner.js';
import type { TestCollection } from '../search/eval/test-collection.js';
import { BASELINE_SYSTEMS, EVAL_SYSTEMS } from '../search/eval/eval-systems.js';
import { tuneHybrid } from '../search/eval/tune-hybrid.js';
import { tuneLexicalParams } from '../search/eval/tune-lexical.js';
import type { CliContext } from './cli-context.js';

/** The IR collections, then semantic reach on the shared arXiv records. */
const EVAL_COLLECTIONS: readonly string[] = [...COLLECTION_NAMES, ARXIV_TOPICS];

/** Accepts exact names and prefixes (`scifact` = scifact-train and scifact-test), comma-separated or repeated. */
function collectCollections(value: string, previous: string[] = []): string[] {
  const out = [...previous];
  for (const part of value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const matches = EVAL_COLLECTIONS.filter((n) => n === part || n.startsWith(`${part}-`));
    if (matches.length === 0) throw new InvalidArgumentError(`unknown collection "${part}"; known: ${EVAL_COLLECTIONS.join(', ')}`);
    for (const m of matches) if (!out.includes(m)) out.push(m);
  }
  return out;
}

function collectSystems(value: string): SystemFactory[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => {
      const factory = [...EVAL_SYSTEMS, ...BASELINE_SYSTEMS].find((f) => f.name === name);
      if (!factory) throw new InvalidArgumentError(`unknown system "${name}"; known: ${[...EVAL_SYSTEMS, ...BASELINE_SYSTEMS].map((f) => f.name).join(', ')}`);
      return factory;
    });
}

export function registerEvalCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('eval')
    .description('Measure search quality (nDCG@10, MAP, recall@100) on the IR test collections, next to SQLite FTS5 and MiniSearch.')
    .option('--collection <names>', `collections (comma-separated or repeated; a prefix selects all splits): ${EVAL_COLLECTIONS.join(', ')}`, collectCollections)
    .option('--systems <names>', `systems to run: ${[...EVAL_SYSTEMS, ...BASELINE_SYSTEMS].map((f) => f.name).join(', ')}`, collectSystems)
    .option('--json', 'one JSON object per line: {"collection","system","ndcg10","map","recall100"}, plus "precision10" and "reach" for arxiv-topics')
    .option('--per-query', 'after each collection, every query with each system\'s nDCG@10 and top 10 (grade, id, title)')
    .option('--tune', 'grid-search the lexical BM25F parameters and the hybrid fusion on the training splits (SciFact train, NFCorpus dev) and print the best')
    .action(async (opts: { collection?: string[]; systems?: SystemFactory[]; json?: boolean; tune?: boolean; perQuery?: boolean }) => {
      const dataDir = ctx.sharedDataDir();
      if (opts.tune) {
        ctx.stderr.write('tuning on scifact-train and nfcorpus-dev...\n');
        const results = tuneLexicalParams(dataDir);
        const scores = (s: Record<string, number>) => Object.entries(s).map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ');
        ctx.stdout.write('lexical BM25F, best 10 (mean nDCG@10):\n');
        for (const r of results.slice(0, 10)) ctx.stdout.write(`${r.objective.toFixed(4)}  ${scores(r.scores)}  ${JSON.stringify(r.params)}\n`);
        ctx.stdout.write('hybrid fusion (mean nDCG@10):\n');
        for (const r of await tuneHybrid(dataDir)) ctx.stdout.write(`${r.objective.toFixed(4)}  ${r.name.padEnd(20)}  ${scores(r.scores)}\n`);
        return;
      }
      const collections = opts.collection ?? [...EVAL_COLLECTIONS];
      const systems = opts.systems ?? EVAL_SYSTEMS;
      let current = '';
      let lastPrinted = '';
      // Query-by-query output of the collection being run, printed once all its systems ran.
      let runs: { collection: TestCollection; bySystem: Map<string, QueryRuns> } | null = null;
      const flushRuns = () => {
        if (runs) ctx.stdout.write(formatQueryByQuery(runs.collection, runs.bySystem));
        runs = null;
      };
      if (!opts.json) ctx.stdout.write(formatTableHeader());
      await runEvaluation({
        dataDir,
        collections,
        systems,
        load: (name) => (name === ARXIV_TOPICS ? loadArxivTopicsCollection(dataDir) : loadCollection(name as CollectionName, dataDir)),
        ...(opts.perQuery
          ? {
              onRun: (collection: TestCollection, system: string, run: QueryRuns) => {
                if (runs?.collection !== collection) {
                  flushRuns();
                  runs = { collection, bySystem: new Map() };
                }
                runs.bySystem.set(system, run);
              },
            }
          : {}),
        onCollection: (c) => {
          if (!opts.json && current !== '') ctx.stdout.write(formatReferences(current));
          flushRuns();
          current = c.name;
          ctx.stderr.write(`${c.name}: ${c.documents.length} documents, ${c.queries.length} judged queries\n`);
        },
        onRow: (row) => {
          if (opts.json) ctx.stdout.write(formatJsonLine(row));
          else {
            const first = row.collection !== lastPrinted;
            lastPrinted = row.collection;
            ctx.stdout.write(formatTableRow(row, first));
          }
        },
        onSkip: (collection, system) => ctx.stderr.write(`${collection}: ${system} skipped (not available here)\n`),
      });
      flushRuns();
      if (!opts.json) {
        if (current !== '') ctx.stdout.write(formatReferences(current));
        ctx.stdout.write(`\n${TABLE_FOOTNOTE}`);
      }
    });
}
