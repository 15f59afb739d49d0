/**
 * Builds the `arxiv-topics` evaluation (search/eval/arxiv-topics.collection.ts) from the
 * 102,538 real records of the shared arXiv cs harvest (both folders, plain and gzipped pages),
 * read with the ingest parser `paperboy import` uses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readIngestFile } from '../../ingest/ingest-file.reader.js';
import { buildArxivTopicsCollection } from '../../search/eval/arxiv-topics.collection.js';
import type { TestCollection } from '../../search/eval/test-collection.js';
import type { SearchDocument } from '../../search/search-document.js';

export const ARXIV_HARVEST_DIRS = ['arxiv/oai-pmh/arXiv-format_set-cs_harvest-2016-03-09', 'arxiv/oai-pmh/arXiv-format_set-cs_harvest-2016-03-09-more'];

export async function readArxivHarvest(dataDir: string): Promise<SearchDocument[]> {
  const out: SearchDocument[] = [];
  const seen = new Set<string>();
  for (const dir of ARXIV_HARVEST_DIRS.map((d) => path.join(dataDir, d))) {
    const files = fs.readdirSync(dir).filter((f) => /\.xml(\.gz)?$/.test(f)).sort();
    for (const file of files) {
      const reader = await readIngestFile(path.join(dir, file));
      for await (const item of reader.items()) {
        if (item.kind !== 'paper' || seen.has(item.paper.arxivId)) continue;
        const p = item.paper;
        seen.add(p.arxivId);
        out.push({ key: p.arxivId, title: p.title, abstract: p.abstract, authors: p.authors.map((a) => a.name).join(', '), categories: p.categories });
      }
    }
  }
  return out;
}

export async function loadArxivTopicsCollection(dataDir: string): Promise<TestCollection> {
  return buildArxivTopicsCollection(await readArxivHarvest(dataDir));
}
