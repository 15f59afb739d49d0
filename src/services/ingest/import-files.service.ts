/**
 * Imports arXiv files (OAI-PMH pages, API Atom, RSS, snapshot JSON lines; gzipped or not).
 * Each file is one transaction: a truncated or malformed file leaves the database exactly as
 * it was before that file, and the run carries on with the next one.
 */
import fs from 'node:fs';
import type { ErrorCode } from '../../domain/error-catalogue.js';
import { AppError } from '../../domain/errors.js';
import type { IngestItem } from '../../domain/paper.js';
import { readIngestFile } from '../../ingest/ingest-file.reader.js';
import type { Db } from '../../store/database.js';
import { upsertPapers, type UpsertSummary } from '../../store/paper.repository.js';

export interface FileFailure {
  file: string;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export interface ImportSummary extends UpsertSummary {
  files: number;
  records: number;
  failed: FileFailure[];
}

export interface ImportProgress {
  /** Bytes read so far over all files, and their total size on disk. */
  bytesDone: number;
  bytesTotal: number;
  records: number;
  file: string;
}

const BATCH_SIZE = 1000;

export async function importFiles(
  db: Db,
  files: readonly string[],
  options: { onProgress?: (p: ImportProgress) => void; signal?: AbortSignal } = {},
): Promise<ImportSummary> {
  const summary: ImportSummary = { files: 0, records: 0, inserted: 0, updated: 0, skipped: 0, deleted: 0, failed: [] };
  const sizes = files.map((f) => {
    try {
      return fs.statSync(f).size;
    } catch {
      return 0;
    }
  });
  const bytesTotal = sizes.reduce((a, b) => a + b, 0);
  let bytesBefore = 0;

  for (const [index, file] of files.entries()) {
    if (options.signal?.aborted) break;
    let records = 0;
    try {
      const fileSummary = await db.kysely.transaction().execute(async (trx) => {
        const total: UpsertSummary = { inserted: 0, updated: 0, skipped: 0, deleted: 0 };
        const reader = await readIngestFile(file);
        let batch: IngestItem[] = [];
        const flush = async () => {
          const s = await upsertPapers(trx, batch);
          total.inserted += s.inserted;
          total.updated += s.updated;
          total.skipped += s.skipped;
          total.deleted += s.deleted;
          batch = [];
          options.onProgress?.({ bytesDone: bytesBefore + reader.bytesRead(), bytesTotal, records: summary.records + records, file });
        };
        for await (const item of reader.items()) {
          batch.push(item);
          records++;
          if (batch.length >= BATCH_SIZE) await flush();
          if (options.signal?.aborted) throw new AppError('interrupted', 'Import interrupted; this file was rolled back.');
        }
        await flush();
        return total;
      });
      summary.files++;
      summary.records += records;
      summary.inserted += fileSummary.inserted;
      summary.updated += fileSummary.updated;
      summary.skipped += fileSummary.skipped;
      summary.deleted += fileSummary.deleted;
    } catch (error) {
      if (isFileSystemError(error)) {
        summary.failed.push({ file, code: 'file_unreadable', message: `Cannot read ${file}: ${error.message}` });
        bytesBefore += sizes[index] ?? 0;
        continue;
      }
      if (!(error instanceof AppError)) throw error;
      summary.failed.push({ file, code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
    }
    bytesBefore += sizes[index] ?? 0;
  }
  return summary;
}

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
