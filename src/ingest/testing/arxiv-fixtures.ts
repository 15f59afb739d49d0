/**
 * Paths of the real arXiv responses in ../shared/data/arxiv (see its README, section 4), for
 * parser tests. The data is read in place, never copied into the repository.
 */
import { fileURLToPath } from 'node:url';

/** ../shared/data/arxiv seen from src/ingest/testing/ (/work/shared/data/arxiv in this checkout). */
const BASE = new URL('../../../../shared/data/arxiv/', import.meta.url);
const ARXIV_DATA_DIR = fileURLToPath(BASE);

const at = (relative: string) => fileURLToPath(new URL(relative, BASE));

/** Pages 1-30 and 103 of a 2016 `arXiv`-format ListRecords harvest of set cs (30,538 records). */
export const CS_HARVEST_DIR = at('oai-pmh/arXiv-format_set-cs_harvest-2016-03-09/');
/** Pages 31-102 of the same harvest, gzipped (`page-031.xml.gz` ...). */
export const CS_HARVEST_MORE_DIR = at('oai-pmh/arXiv-format_set-cs_harvest-2016-03-09-more/');
/** `arXivRaw` ListRecords (6 records), GetRecord, and five OAI error responses. */
export const ARXIV_RAW_DIR = at('oai-pmh/arXivRaw-format_fixtures/');
export const API_ATOM_DIR = at('api-atom/');
export const RSS_DIR = at('rss/');
export const SNAPSHOT_JSONL = at('kaggle-oai-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl');
