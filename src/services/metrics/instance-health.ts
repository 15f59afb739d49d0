/**
 * What an operator asks of one instance: is it ready to serve (readiness), and how big and busy
 * is it (the gauges read at each scrape of /metrics).
 */
import { sql } from 'kysely';
import type { Db } from '../../store/database.js';
import { countDeliveriesByStatus } from '../../store/delivery.repository.js';
import { pendingMigrations } from '../../store/migrate.js';
import type { PaperSearchEngine } from '../search-index/paper-search-engine.js';
import type { Metrics } from './metrics.js';

export interface Readiness {
  ready: boolean;
  checks: { database: 'ok' | 'unreachable'; migrations: 'ok' | 'pending' | 'unknown'; searchIndex: 'loaded' | 'loading'; vectors: 'ready' | 'not yet' | 'off' };
  pendingMigrations?: string[];
}

export async function checkReadiness(deps: { db: Db; searchEngine: PaperSearchEngine; denseMode: 'auto' | 'off' }): Promise<Readiness> {
  const state = deps.searchEngine.loadState();
  const searchIndex = state.lexical ? 'loaded' : 'loading';
  const vectors = deps.denseMode === 'off' ? 'off' : state.vectors ? 'ready' : 'not yet';
  try {
    await sql`select 1`.execute(deps.db.kysely);
  } catch {
    return { ready: false, checks: { database: 'unreachable', migrations: 'unknown', searchIndex, vectors } };
  }
  const pending = await pendingMigrations(deps.db);
  const migrations = pending.length === 0 ? 'ok' : 'pending';
  return {
    ready: migrations === 'ok' && searchIndex === 'loaded',
    checks: { database: 'ok', migrations, searchIndex, vectors },
    ...(pending.length > 0 ? { pendingMigrations: pending } : {}),
  };
}

export function registerServiceGauges(metrics: Metrics, deps: { db: Db; searchEngine: PaperSearchEngine }): void {
  metrics.gauge('paperboy_search_index_documents', 'Papers in this instance\'s search index, by side (lexical, vectors); absent until loaded.', async () => {
    if (!deps.searchEngine.loadState().lexical) return [];
    const s = await deps.searchEngine.stats();
    return [{ labels: { side: 'lexical' }, value: s.documents }, ...(s.dense ? [{ labels: { side: 'vectors' }, value: s.dense.documents }] : [])];
  }, ['side']);
  metrics.gauge('paperboy_digest_deliveries', 'Digest and confirmation mails in the delivery ledger, by status (shared by all instances).', async () => {
    return Object.entries(await countDeliveriesByStatus(deps.db.kysely)).map(([status, count]) => ({ labels: { status }, value: count }));
  }, ['status']);
}
