/**
 * Saves and loads the corpus model of either kind (corpus-model.ts) as one binary file, so a
 * restart reuses the model instead of refitting it. LSA keeps its own format
 * (lsa-model.snapshot.ts); the contrastive encoder's file is a JSON header (dimensions, sizes),
 * its word list, idf and table. The kind is read from the file's magic.
 */
import fs from 'node:fs';
import { ContrastiveEncoder } from './contrastive-encoder.js';
import { ContrastiveEmbeddingProvider } from './contrastive.provider.js';
import type { CorpusEmbeddingProvider } from './corpus-model.js';
import { loadLsaModel, saveLsaModel } from './lsa-model.snapshot.js';
import { LsaEmbeddingProvider } from './lsa.provider.js';

const CONTRASTIVE_MAGIC = 'PBCTR1';

export function saveCorpusModel(provider: CorpusEmbeddingProvider, file: string): number {
  if (provider instanceof LsaEmbeddingProvider) return saveLsaModel(provider.model, file);
  const parts = provider.encoder.toParts();
  const words = Buffer.from(parts.words.join('\n'), 'utf8');
  const header = Buffer.from(JSON.stringify({ magic: CONTRASTIVE_MAGIC, dimensions: parts.dimensions, words: parts.words.length, wordsBytes: words.length, tableFloats: parts.table.length, unseenIdf: parts.unseenIdf }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length, 0);
  const chunks = [length, header, words, bytes(parts.idf), bytes(parts.table)];
  const fd = fs.openSync(file, 'w');
  try {
    for (const c of chunks) fs.writeSync(fd, c);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return chunks.reduce((n, c) => n + c.byteLength, 0);
}

export function loadCorpusModel(file: string): CorpusEmbeddingProvider {
  const data = fs.readFileSync(file);
  const headerLength = data.readUInt32LE(0);
  const header = JSON.parse(data.subarray(4, 4 + headerLength).toString('utf8')) as { magic: string; dimensions: number; words: number; wordsBytes: number; tableFloats: number; unseenIdf: number };
  if (header.magic !== CONTRASTIVE_MAGIC) return LsaEmbeddingProvider.fromModel(loadLsaModel(file));
  let at = 4 + headerLength;
  const words = header.words === 0 ? [] : data.subarray(at, at + header.wordsBytes).toString('utf8').split('\n');
  at += header.wordsBytes;
  const take = (count: number): Float32Array => {
    const slice = data.subarray(at, at + count * 4);
    if (slice.length !== count * 4) throw new Error(`${file} is truncated`);
    at += count * 4;
    return new Float32Array(slice.buffer.slice(slice.byteOffset, slice.byteOffset + slice.byteLength));
  };
  const idf = take(header.words);
  const table = take(header.tableFloats);
  return ContrastiveEmbeddingProvider.fromEncoder(ContrastiveEncoder.fromParts({ dimensions: header.dimensions, table, words, idf, unseenIdf: header.unseenIdf }));
}

function bytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
