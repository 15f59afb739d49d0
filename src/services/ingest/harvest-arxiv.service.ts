/**
 * Harvests arXiv over OAI-PMH into the store. Each page and its checkpoint (resumption token,
 * newest datestamp) are committed in one transaction, so a crash or Ctrl-C resumes exactly
 * where the last committed page ended, and upserts make a repeated page harmless.
 */
import type { Config } from '../../config/config.js';
import type { Logger } from '../../logger.js';
import { harvestOaiPmh, isBadResumptionToken } from '../../ingest/oai-pmh.harvester.js';
import type { Db } from '../../store/database.js';
import { findIngestState, saveIngestState, type IngestState } from '../../store/ingest-state.repository.js';
import { upsertPapers, type UpsertSummary } from '../../store/paper.repository.js';

export interface HarvestOptions {
  set?: string;
  /** Start date (YYYY-MM-DD); defaults to the last harvested datestamp for an incremental run. */
  from?: string;
  until?: string;
  signal?: AbortSignal;
  onPage?: (progress: { pages: number; records: number; token: string | null }) => void;
}

export interface HarvestSummary extends UpsertSummary {
  source: string;
  pages: number;
  records: number;
  resumed: boolean;
}

export function harvestSourceKey(metadataPrefix: string, set: string | undefined): string {
  return `oai-pmh:${metadataPrefix}:${set ?? '*'}`;
}

export async function harvestArxiv(deps: { db: Db; config: Config; logger: Logger }, options: HarvestOptions): Promise<HarvestSummary> {
  const { db, config, logger } = deps;
  const { metadataPrefix } = config.harvest;
  const source = harvestSourceKey(metadataPrefix, options.set);
  const saved = await findIngestState(db.kysely, source);
  const resumeToken = saved?.status === 'in_progress' && !options.from ? saved.resumptionToken : null;
  const from = options.from ?? (resumeToken ? saved?.fromDate : saved?.lastDatestamp) ?? undefined;
  const summary: HarvestSummary = { source, pages: 0, records: 0, inserted: 0, updated: 0, skipped: 0, deleted: 0, resumed: resumeToken !== null };
  let state: IngestState = {
    source,
    resumptionToken: resumeToken,
    fromDate: from ?? null,
    lastDatestamp: saved?.lastDatestamp ?? null,
    status: 'in_progress',
    pages: resumeToken ? (saved?.pages ?? 0) : 0,
    records: resumeToken ? (saved?.records ?? 0) : 0,
    lastError: null,
    updatedAt: new Date().toISOString(),
  };
  if (resumeToken) logger.info({ source, token: resumeToken }, 'resuming harvest from saved resumption token');

  const run = async (token: string | null) => {
    const pages = harvestOaiPmh({
      baseUrl: config.harvest.oaiBaseUrl,
      metadataPrefix,
      ...(options.set ? { set: options.set } : {}),
      ...(from ? { from } : {}),
      ...(options.until ? { until: options.until } : {}),
      ...(token ? { resumptionToken: token } : {}),
      extraAllowedHosts: config.harvest.extraAllowedHosts,
      fetch: { maxRetries: config.harvest.maxRetries, delayMs: config.harvest.delayMs, jitterMs: Math.min(1_000, config.harvest.delayMs) },
      ...(options.signal ? { signal: options.signal } : {}),
      logger,
    });
    for await (const page of pages) {
      const next: IngestState = {
        ...state,
        resumptionToken: page.nextToken,
        lastDatestamp: maxDate(state.lastDatestamp, page.maxDatestamp),
        status: page.nextToken ? 'in_progress' : 'complete',
        pages: state.pages + 1,
        records: state.records + page.items.length,
        updatedAt: new Date().toISOString(),
      };
      const s = await db.kysely.transaction().execute(async (trx) => {
        const result = await upsertPapers(trx, page.items);
        await saveIngestState(trx, next);
        return result;
      });
      state = next;
      summary.pages++;
      summary.records += page.items.length;
      summary.inserted += s.inserted;
      summary.updated += s.updated;
      summary.skipped += s.skipped;
      summary.deleted += s.deleted;
      options.onPage?.({ pages: summary.pages, records: summary.records, token: page.nextToken });
    }
  };

  try {
    try {
      await run(resumeToken);
    } catch (error) {
      // arXiv's tokens expire; the datestamp we started from is still a safe place to restart.
      if (resumeToken && isBadResumptionToken(error)) {
        logger.warn({ source }, 'saved resumption token expired; restarting from the saved start date');
        state = { ...state, resumptionToken: null };
        await run(null);
      } else {
        throw error;
      }
    }
    if (state.status !== 'complete') {
      // noRecordsMatch or an empty list: nothing new since `from`.
      state = { ...state, status: 'complete', resumptionToken: null, updatedAt: new Date().toISOString() };
    }
    await saveIngestState(db.kysely, state);
    return summary;
  } catch (error) {
    const interrupted = options.signal?.aborted === true;
    await saveIngestState(db.kysely, {
      ...state,
      status: interrupted ? 'in_progress' : state.resumptionToken ? 'in_progress' : 'failed',
      lastError: interrupted ? null : (error as Error).message,
      updatedAt: new Date().toISOString(),
    });
    throw error;
  }
}

function maxDate(a: string | null, b: string | null | undefined): string | null {
  if (!b) return a;
  if (!a) return b;
  return a > b ? a : b;
}
