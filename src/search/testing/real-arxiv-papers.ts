/** The first `pages` pages of the real arXiv cs harvest in ../shared, as search documents (for tests). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readIngestFile } from '../../ingest/ingest-file.reader.js';
import type { SearchDocument } from '../search-document.js';

const pagesDir = fileURLToPath(new URL('../../../../shared/data/arxiv/oai-pmh/arXiv-format_set-cs_harvest-2016-03-09', import.meta.url));

export async function realArxivPapers(pages: number): Promise<SearchDocument[]> {
  const files = fs.readdirSync(pagesDir).filter((f) => f.endsWith('.xml')).sort().slice(0, pages);
  const out: SearchDocument[] = [];
  for (const file of files) {
    const reader = await readIngestFile(path.join(pagesDir, file));
    for await (const item of reader.items()) {
      if (item.kind !== 'paper') continue;
      const p = item.paper;
      out.push({ key: p.arxivId, title: p.title, abstract: p.abstract, authors: p.authors.map((a) => a.name).join(', '), categories: p.categories, publishedAt: p.publishedAt, hasCode: /github\.com/i.test(p.abstract) });
    }
  }
  return out;
}
