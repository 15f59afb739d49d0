/** Harvest checkpoints: the resumption token and datestamp a harvest resumes from after a crash. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type HarvestStatus = 'in_progress' | 'complete' | 'failed';

export interface IngestState {
  source: string;
  resumptionToken: string | null;
  fromDate: string | null;
  lastDatestamp: string | null;
  status: HarvestStatus;
  pages: number;
  records: number;
  lastError: string | null;
  updatedAt: string;
}

export async function findIngestState(db: Kysely<Database>, source: string): Promise<IngestState | null> {
  const row = await db.selectFrom('ingest_state').selectAll().where('source', '=', source).executeTakeFirst();
  if (!row) return null;
  return {
    source: row.source,
    resumptionToken: row.resumption_token,
    fromDate: row.from_date,
    lastDatestamp: row.last_datestamp,
    status: row.status as HarvestStatus,
    pages: Number(row.pages),
    records: Number(row.records),
    lastError: row.last_error,
    updatedAt: row.updated_at,
  };
}

export async function saveIngestState(db: Kysely<Database>, state: IngestState): Promise<void> {
  const values = {
    source: state.source,
    resumption_token: state.resumptionToken,
    from_date: state.fromDate,
    last_datestamp: state.lastDatestamp,
    status: state.status,
    pages: state.pages,
    records: state.records,
    last_error: state.lastError,
    updated_at: state.updatedAt,
  };
  await db
    .insertInto('ingest_state')
    .values(values)
    .onConflict((oc) => oc.column('source').doUpdateSet({ ...values, source: undefined }))
    .execute();
}
