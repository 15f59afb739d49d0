/**
 * `paperboy eval-for-you`: how well "For you" ranks a period's papers for simulated members of
 * the shared arXiv records, with the papers' learned vectors at several weights (0 = words
 * only). The weight is chosen on the train members and reported on the test members.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_DENSE_SEARCH_CONFIG } from '../config/config.js';
import { DEFAULT_VECTOR_WEIGHT } from '../recommend/user-recommender.js';
import { evaluateForYouOnArxiv } from '../services/for-you/for-you-eval.service.js';
import type { CliContext } from './cli-context.js';

function parseWeights(value: string): number[] {
  const weights = value.split(',').map((s) => Number(s.trim()));
  if (weights.some((w) => !Number.isFinite(w) || w < 0)) throw new InvalidArgumentError(`--weights must be comma-separated numbers >= 0, got "${value}"`);
  return weights;
}

export function registerEvalForYouCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('eval-for-you')
    .description('"For you" on the shared arXiv records: nDCG@10 and precision@10 for members simulated from arXiv categories, words only (weight 0) against words and learned vectors.')
    .option('--weights <list>', 'weights of the learned vectors to compare', parseWeights, [0, 0.25, DEFAULT_VECTOR_WEIGHT, 1, 2])
    .option('--json', 'one JSON object per line: {"split","weight","members","ndcg10","precision10"}')
    .action(async (opts: { weights: number[]; json?: boolean }) => {
      const result = await evaluateForYouOnArxiv(ctx.sharedDataDir(), DEFAULT_DENSE_SEARCH_CONFIG, opts.weights);
      if (opts.json) {
        for (const f of result.figures) ctx.stdout.write(`${JSON.stringify(f)}\n`);
        return;
      }
      ctx.stdout.write(`${result.papers} papers; ${result.model} vectors, ${result.dimensions} dimensions, built in ${result.representationSeconds.toFixed(1)} s\n\n`);
      ctx.stdout.write(`${'split'.padEnd(7)}${'weight'.padStart(8)}${'members'.padStart(9)}${'nDCG@10'.padStart(10)}${'P@10'.padStart(9)}\n`);
      for (const f of result.figures) {
        ctx.stdout.write(`${f.split.padEnd(7)}${String(f.weight).padStart(8)}${String(f.members).padStart(9)}${f.ndcg10.toFixed(4).padStart(10)}${f.precision10.toFixed(4).padStart(9)}\n`);
      }
      ctx.stdout.write(`\nweight 0 = words only (hashed TF-IDF); the server uses weight ${DEFAULT_VECTOR_WEIGHT}. Choose on train, read test.\n`);
    });
}
