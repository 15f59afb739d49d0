/**
 * "For you" benchmark: imports the 30,538-record arXiv cs harvest into a fresh SQLite file, then
 * for a few simulated members (20 upvotes each, drawn with a fixed seed from one primary category)
 * times `forYou` over a window capped at 5,000 candidates (the first call tokenizes them; later
 * calls and members reuse the service's term-count cache), and scores its top 30 by how many
 * share the member's category. Peers in the same run, on the same candidates and features: a
 * centroid (Rocchio) ranking by cosine to the mean positive vector, and newest first. Run:
 * `npx tsx bench/recommend.bench.ts [sharedDataDir]`. Timings are wall-clock on a shared machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.js';
import { buildConfig } from '../src/config/config.js';
import { createLogger } from '../src/logger.js';
import { createHashedTfidf, dot, type SparseVector } from '../src/recommend/hashed-tfidf.js';
import { seededRandom } from '../src/search/seeded-random.js';
import { createScientificAnalyzer } from '../src/search/tokenizer.js';
import { openDatabase } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { findPaperTextsByIds, listRecommendationCandidates } from '../src/store/recommendation.repository.js';
import { insertUserIfAbsent } from '../src/store/user.repository.js';
import { insertVote } from '../src/store/vote.repository.js';
import { benchFiles } from './import.bench.js';

const K = 30;
const CATEGORIES = ['cs.CV', 'cs.CR', 'cs.LO', 'cs.NI'];

function precision(ids: string[], category: Map<string, string | null>, wanted: string): number {
  return ids.slice(0, K).filter((id) => category.get(id) === wanted).length / K;
}

async function main(): Promise<void> {
  const shared = process.argv[2] ?? '/work/shared/data';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-recommend-bench-'));
  const file = path.join(dir, 'bench.db');
  const db = openDatabase({ dialect: 'sqlite', file, url: `sqlite:${file}` });
  await migrateToLatest(db);
  const app = await createApp(buildConfig({ database: { dialect: 'sqlite', file, url: `sqlite:${file}` }, logLevel: 'warn' }), { logger: createLogger('warn'), db, migrate: false });
  const t0 = performance.now();
  const summary = await app.services.importFiles(benchFiles(shared, '1x'));
  console.log(`imported ${summary.inserted} papers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // As on a running server: "For you" reads the papers' learned vectors once the index has built them.
  const t1 = performance.now();
  await app.services.searchEngine.stats();
  await app.services.searchEngine.settled();
  const dense = (await app.services.searchEngine.stats()).dense;
  console.log(`paper vectors: ${dense ? `${dense.documents} (${dense.provider})` : 'none'}, ready in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

  const rows = await db.kysely.selectFrom('papers').select(['id', 'arxiv_id', 'primary_category', 'published_at']).execute();
  const category = new Map(rows.map((r) => [r.arxiv_id, r.primary_category]));
  // The window: the most recent papers, wide enough to hit the 5,000-candidate cap.
  const dates = rows.map((r) => (r.published_at ?? '').slice(0, 10)).filter(Boolean).sort();
  const until = dates.at(-1)!;
  const since = dates[Math.max(0, dates.length - 8000)]!;
  console.log(`window ${since}..${until}`);
  const now = new Date().toISOString();
  const analyzer = createScientificAnalyzer();
  const random = seededRandom(2024);
  const table: string[][] = [['member', 'model', 'ms', `p@${K} (same category)`]];

  for (const [n, wanted] of CATEGORIES.entries()) {
    const user = (await insertUserIfAbsent(db.kysely, { email: `m${n}@example.org`, handle: `m${n}`, displayName: `M${n}`, role: 'member', now })).user;
    // Positives from before the window, so they are never candidates.
    const pool = rows.filter((r) => r.primary_category === wanted && (r.published_at ?? '') < since);
    for (let i = 0; i < 20 && pool.length > 0; i++) await insertVote(db.kysely, user.id, Number(pool.splice(Math.floor(random() * pool.length), 1)[0]!.id), now);

    let t = performance.now();
    const result = await app.services.recommendations.forYou(user.id, { since, until, limit: K });
    const modelMs = performance.now() - t;
    const modelIds = result.items.map((i) => i.paper.arxivId);
    t = performance.now();
    await app.services.recommendations.forYou(user.id, { since, until, limit: K });
    const repeatMs = performance.now() - t;

    // Peers on the same candidates and features.
    const window = { from: since, toExclusive: `${until}\uffff` };
    const candidates = await listRecommendationCandidates(db.kysely, user.id, window, 5000);
    const positives = await db.kysely.selectFrom('votes').innerJoin('papers', 'papers.id', 'votes.paper_id').select(['papers.title', 'papers.abstract']).where('votes.user_id', '=', user.id).execute();
    t = performance.now();
    // The peer reads its texts and tokenizes every time (no cache).
    const texts = new Map((await findPaperTextsByIds(db.kysely, candidates.map((c) => c.id))).map((x) => [x.id, x]));
    const vectors = createHashedTfidf(analyzer).fitTransform([...positives, ...candidates.map((c) => texts.get(c.id)!)].map((p) => `${p.title}\n${p.title}\n${p.abstract}`));
    const centroid = new Float64Array(1 << 18);
    for (const v of vectors.slice(0, positives.length)) for (let i = 0; i < v.indices.length; i++) centroid[v.indices[i]!]! += v.values[i]!;
    const centroidIds = candidates
      .map((c, i) => ({ id: c.arxivId, s: dot(centroid, vectors[positives.length + i] as SparseVector) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, K)
      .map((x) => x.id);
    const centroidMs = performance.now() - t;
    const newestIds = candidates.slice(0, K).map((c) => c.arxivId);

    table.push([`${wanted} (${result.candidates} candidates)`, `logistic regression (forYou, incl. DB reads; ${n === 0 ? 'cold' : 'warm'} term-count cache)`, modelMs.toFixed(0), precision(modelIds, category, wanted).toFixed(2)]);
    table.push(['', 'logistic regression, same call again', repeatMs.toFixed(0), '']);
    table.push(['', 'centroid cosine (reads text, tokenizes every call)', centroidMs.toFixed(0), precision(centroidIds, category, wanted).toFixed(2)]);
    table.push(['', 'newest first', '-', precision(newestIds, category, wanted).toFixed(2)]);
  }
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  for (const r of table) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
