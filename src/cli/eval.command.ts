/**
 * `paperboy eval`: search quality on the IR test collections in the shared data folder
 * (nDCG@10, MAP, recall@100) for our systems and, in the same run, SQLite FTS5 and MiniSearch,
 * with the README's reference BM25 and published figures alongside. `--tune` re-runs the
 * parameter search on the training splits.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { COLLECTION_NAMES, type CollectionName } from '../search/eval/collection-loaders.js';
import { formatJsonLine, formatReferences, formatTableHeader, formatTableRow, TABLE_FOOTNOTE } from '../search/eval/eval-report.js';
import { type SystemFactory, runEvaluation } from '../search/eval/eval-runner.js';
import { EVAL_SYSTEMS } from '../search/eval/eval-systems.js';
import { tuneHybrid } from '../search/eval/tune-hybrid.js';
import { tuneLexicalParams } from '../search/eval/tune-lexical.js';
import type { CliContext } from './cli-context.js';

/** Accepts exact names and prefixes (`scifact` = scifact-train and scifact-test), comma-separated or repeated. */
function collectCollections(value: string, previous: CollectionName[] = []): CollectionName[] {
  const out = [...previous];
  for (const part of value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const matches = COLLECTION_NAMES.filter((n) => n === part || n.startsWith(`${part}-`));
    if (matches.length === 0) throw new InvalidArgumentError(`unknown collection "${part}"; known: ${COLLECTION_NAMES.join(', ')}`);
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
      const factory = EVAL_SYSTEMS.find((f) => f.name === name);
      if (!factory) throw new InvalidArgumentError(`unknown system "${name}"; known: ${EVAL_SYSTEMS.map((f) => f.name).join(', ')}`);
      return factory;
    });
}

export function registerEvalCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('eval')
    .description('Measure search quality (nDCG@10, MAP, recall@100) on the IR test collections, next to SQLite FTS5 and MiniSearch.')
    .option('--collection <names>', `collections (comma-separated or repeated; a prefix selects all splits): ${COLLECTION_NAMES.join(', ')}`, collectCollections)
    .option('--systems <names>', `systems to run: ${EVAL_SYSTEMS.map((f) => f.name).join(', ')}`, collectSystems)
    .option('--json', 'one JSON object per line: {"collection","system","ndcg10","map","recall100"}')
    .option('--tune', 'grid-search the lexical BM25F parameters and the hybrid fusion on the training splits (SciFact train, NFCorpus dev) and print the best')
    .action(async (opts: { collection?: CollectionName[]; systems?: SystemFactory[]; json?: boolean; tune?: boolean }) => {
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
      const collections = opts.collection ?? [...COLLECTION_NAMES];
      const systems = opts.systems ?? EVAL_SYSTEMS;
      let current = '';
      let lastPrinted = '';
      if (!opts.json) ctx.stdout.write(formatTableHeader());
      await runEvaluation({
        dataDir,
        collections,
        systems,
        onCollection: (c) => {
          if (!opts.json && current !== '') ctx.stdout.write(formatReferences(current));
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
      if (!opts.json) {
        if (current !== '') ctx.stdout.write(formatReferences(current));
        ctx.stdout.write(`\n${TABLE_FOOTNOTE}`);
      }
    });
}
