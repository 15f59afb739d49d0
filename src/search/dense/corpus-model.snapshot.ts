/**
 * Saves and loads the corpus model of either kind (corpus-model.ts), so a restart reuses the
 * model instead of refitting it. LSA keeps its own format (lsa-model.snapshot.ts); the
 * contrastive encoder's file (binary-snapshot.ts layout) holds its word list, idf and table.
 * The kind is read from the header's magic.
 */
import { SnapshotReader, bytesOf, writeSnapshotFile } from './binary-snapshot.js';
import { ContrastiveEncoder } from './contrastive-encoder.js';
import { ContrastiveEmbeddingProvider } from './contrastive.provider.js';
import type { CorpusEmbeddingProvider } from './corpus-model.js';
import { readLsaModel, saveLsaModel } from './lsa-model.snapshot.js';
import { LsaEmbeddingProvider } from './lsa.provider.js';

const CONTRASTIVE_MAGIC = 'PBCTR1';

interface ContrastiveHeader {
  magic: string;
  dimensions: number;
  words: number;
  wordsBytes: number;
  tableFloats: number;
  unseenIdf: number;
}

export function saveCorpusModel(provider: CorpusEmbeddingProvider, file: string): number {
  if (provider instanceof LsaEmbeddingProvider) return saveLsaModel(provider.model, file);
  const parts = provider.encoder.toParts();
  const words = Buffer.from(parts.words.join('\n'), 'utf8');
  const header: ContrastiveHeader = { magic: CONTRASTIVE_MAGIC, dimensions: parts.dimensions, words: parts.words.length, wordsBytes: words.length, tableFloats: parts.table.length, unseenIdf: parts.unseenIdf };
  return writeSnapshotFile(file, { ...header }, [words, bytesOf(parts.idf), bytesOf(parts.table)]);
}

export function loadCorpusModel(file: string): CorpusEmbeddingProvider {
  const reader = new SnapshotReader<ContrastiveHeader>(file);
  if (reader.header.magic !== CONTRASTIVE_MAGIC) return LsaEmbeddingProvider.fromModel(readLsaModel(reader, file));
  const h = reader.header;
  const words = reader.takeLines(h.words, h.wordsBytes);
  const idf = new Float32Array(reader.take(h.words * 4));
  const table = new Float32Array(reader.take(h.tableFloats * 4));
  return ContrastiveEmbeddingProvider.fromEncoder(ContrastiveEncoder.fromParts({ dimensions: h.dimensions, table, words, idf, unseenIdf: h.unseenIdf }));
}
