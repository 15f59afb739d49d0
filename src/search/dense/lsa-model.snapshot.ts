/**
 * Saves and loads a fitted LSA model as one binary file (binary-snapshot.ts: JSON header, then
 * vocabulary, idf, projection, singular values), so a restart reuses the model instead of
 * refitting it.
 */
import { SnapshotReader, bytesOf, writeSnapshotFile } from './binary-snapshot.js';
import { LsaModel } from './lsa-model.js';

export const LSA_MAGIC = 'PBLSA1';

interface LsaHeader {
  magic: string;
  terms: number;
  termsBytes: number;
  dimensions: number;
  singular: number;
}

export function saveLsaModel(model: LsaModel, file: string): number {
  const parts = model.toParts();
  const terms = Buffer.from(parts.terms.join('\n'), 'utf8');
  const header: LsaHeader = { magic: LSA_MAGIC, terms: parts.terms.length, termsBytes: terms.length, dimensions: parts.dimensions, singular: parts.singularValues.length };
  return writeSnapshotFile(file, { ...header }, [terms, bytesOf(parts.idf), bytesOf(parts.projection), bytesOf(parts.singularValues)]);
}

/** The model in a snapshot whose header was already read (by a caller that did not know its kind). */
export function readLsaModel(reader: SnapshotReader<{ magic: string }>, file: string): LsaModel {
  if (reader.header.magic !== LSA_MAGIC) throw new Error(`${file} is not an LSA model file`);
  const h = reader.header as LsaHeader;
  const terms = reader.takeLines(h.terms, h.termsBytes);
  const idf = new Float32Array(reader.take(h.terms * 4));
  const projection = new Float32Array(reader.take(h.terms * h.dimensions * 4));
  const singularValues = new Float64Array(reader.take(h.singular * 8));
  return LsaModel.fromParts({ terms, idf, projection, dimensions: h.dimensions, singularValues });
}
