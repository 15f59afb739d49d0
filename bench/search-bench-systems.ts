/** The systems `bench search` can measure; apart from the benchmark so the CLI can list them without loading it. */
export const SEARCH_BENCH_SYSTEMS = ['paperboy', 'paperboy-lexical', 'sqlite-fts5', 'minisearch'] as const;
export type SearchBenchSystem = (typeof SEARCH_BENCH_SYSTEMS)[number];
