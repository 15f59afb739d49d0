/**
 * Saves and loads a fitted LSA model as one binary file (JSON header, vocabulary, idf,
 * projection, singular values), so a restart reuses the model instead of refitting it.
 */
import fs from 'node:fs';
import { LsaModel } from './lsa-model.js';

const MAGIC = 'PBLSA1';

export function saveLsaModel(model: LsaModel, file: string): number {
  const parts = model.toParts();
  const terms = Buffer.from(parts.terms.join('\n'), 'utf8');
  const header = Buffer.from(JSON.stringify({ magic: MAGIC, terms: parts.terms.length, termsBytes: terms.length, dimensions: parts.dimensions, singular: parts.singularValues.length }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length, 0);
  const chunks = [length, header, terms, bytes(parts.idf), bytes(parts.projection), bytes(parts.singularValues)];
  const fd = fs.openSync(file, 'w');
  try {
    for (const c of chunks) fs.writeSync(fd, c);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return chunks.reduce((n, c) => n + c.byteLength, 0);
}

export function loadLsaModel(file: string): LsaModel {
  const data = fs.readFileSync(file);
  const headerLength = data.readUInt32LE(0);
  const header = JSON.parse(data.subarray(4, 4 + headerLength).toString('utf8')) as { magic: string; terms: number; termsBytes: number; dimensions: number; singular: number };
  if (header.magic !== MAGIC) throw new Error(`${file} is not an LSA model file`);
  let at = 4 + headerLength;
  const terms = header.terms === 0 ? [] : data.subarray(at, at + header.termsBytes).toString('utf8').split('\n');
  at += header.termsBytes;
  const take = (count: number, width: 4 | 8): ArrayBuffer => {
    const slice = data.subarray(at, at + count * width);
    if (slice.length !== count * width) throw new Error(`${file} is truncated`);
    at += count * width;
    return slice.buffer.slice(slice.byteOffset, slice.byteOffset + slice.byteLength);
  };
  const idf = new Float32Array(take(header.terms, 4));
  const projection = new Float32Array(take(header.terms * header.dimensions, 4));
  const singularValues = new Float64Array(take(header.singular, 8));
  return LsaModel.fromParts({ terms, idf, projection, dimensions: header.dimensions, singularValues });
}

function bytes(a: Float32Array | Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
