/**
 * Measures how fast files are parsed through readIngestFile (sniffing, gunzip, parsing, mapping),
 * with nothing stored. Run: `npx tsx src/ingest/testing/measure-parse-throughput.ts [dir|file ...]`
 * (default: the 31 pages of the 2016 cs harvest, 30,538 records).
 */
import fs from 'node:fs';
import path from 'node:path';
import { readIngestFile } from '../ingest-file.reader.js';
import { CS_HARVEST_DIR } from './arxiv-fixtures.js';

function filesOf(args: string[]): string[] {
  const targets = args.length > 0 ? args : [CS_HARVEST_DIR];
  return targets.flatMap((target) =>
    fs.statSync(target).isDirectory()
      ? fs.readdirSync(target).filter((f) => /\.(xml|jsonl|json)(\.gz)?$/.test(f)).sort().map((f) => path.join(target, f))
      : [target],
  );
}

const files = filesOf(process.argv.slice(2));
const started = performance.now();
let records = 0;
let bytes = 0;
let peakRss = 0;
for (const file of files) {
  const reader = await readIngestFile(file);
  for await (const item of reader.items()) {
    void item;
    // Sampled during the file, not after it, so a parser that accumulates would show here.
    if (++records % 5000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  bytes += reader.bytesRead();
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `${files.length} files, ${records} records, ${(bytes / 1e6).toFixed(1)} MB on disk in ${seconds.toFixed(2)} s: ` +
    `${Math.round(records / seconds)} records/s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s, peak RSS ${Math.round(peakRss / 1e6)} MB`,
);
