import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../app.js';
import { buildConfig } from '../../config/config.js';
import { emptyPaperRecord, type IngestItem } from '../../domain/paper.js';
import { createLogger } from '../../logger.js';
import { startEmbeddingsServer, type EmbeddingsServer } from '../../search/dense/testing/embeddings-server.js';
import { upsertPapers } from '../../store/paper.repository.js';
import { createTestDb, enabledDialects, type TestDb } from '../../store/testing/test-database.js';

function paper(id: string, title: string, abstract: string): IngestItem {
  return {
    kind: 'paper',
    datestamp: null,
    paper: { ...emptyPaperRecord(id), title, abstract, authors: [{ name: 'Ada Lovelace' }], categories: ['cs.LG'], primaryCategory: 'cs.LG', publishedAt: '2024-03-01' },
  };
}

const PAPERS = [
  paper('2403.00001', 'Cardiac MRI segmentation', 'ventricle myocardium segmentation network'),
  paper('2403.00002', 'Ventricle myocardium segmentation', 'cardiac MRI network'),
  paper('2403.00003', 'Molecular graphs', 'message passing predicts molecule properties'),
];

describe.each(enabledDialects())('a pretrained embedding model (OpenAI-compatible endpoint) behind the app on %s', (dialect) => {
  let db: TestDb;
  let server: EmbeddingsServer;
  let app: App;

  beforeEach(async () => {
    db = await createTestDb(dialect);
    server = await startEmbeddingsServer({ dimensions: 32 });
    const config = buildConfig({
      database: dialect === 'sqlite' ? { dialect: 'sqlite', file: db.url.slice('sqlite:'.length), url: db.url } : { dialect: 'postgres', url: db.url },
      logLevel: 'silent',
      embeddings: { provider: 'openai', url: server.baseUrl, model: 'test-embedder' },
    });
    app = await createApp(config, { db, logger: createLogger('silent'), migrate: false });
    await upsertPapers(db.kysely, PAPERS);
  });
  afterEach(async () => {
    await server.close();
    await db.destroy();
  });

  it('embeds every paper through the endpoint, whatever the corpus size, and uses the vectors for similar papers', async () => {
    const built = await app.services.searchEngine.rebuild();
    expect(built.dense).toMatchObject({ documents: 3 });
    expect(built.dense!.provider).toMatch(/test-embedder/);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(await app.services.searchEngine.similar('2403.00001', 2)).toEqual(['2403.00002', '2403.00003']);

    // A paper added later is embedded when the engine catches up with the change log.
    await upsertPapers(db.kysely, [paper('2403.00004', 'Myocardium ventricle cardiac', 'segmentation MRI network')]);
    const similar = await app.services.searchEngine.similar('2403.00004', 1);
    expect(similar).toEqual([expect.stringMatching(/^2403\.0000[12]$/)]);
    const stats = await app.services.searchEngine.stats();
    expect(stats.dense).toMatchObject({ documents: 4, seq: stats.lastSeq });
  });

  it('keeps searching lexically while the endpoint refuses, and finds papers added meanwhile', async () => {
    await app.services.searchEngine.rebuild();
    server.script({ status: 400, body: { error: { message: 'model overloaded' } } }, { status: 400, body: { error: { message: 'model overloaded' } } });
    await upsertPapers(db.kysely, [paper('2403.00005', 'Protein folding kinetics', 'folding pathways of small proteins')]);
    const result = await app.services.searchEngine.search('protein folding', { limit: 5 });
    expect(result.hits.map((h) => h.paper.arxivId)).toEqual(['2403.00005']);
    const stats = await app.services.searchEngine.stats();
    // The new paper has no vector yet; the others keep theirs.
    expect(stats.dense).toMatchObject({ documents: 3 });
    expect(stats.dense!.seq).toBeLessThan(stats.lastSeq);
  });
});
