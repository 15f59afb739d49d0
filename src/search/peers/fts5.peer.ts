/**
 * Peer system: SQLite FTS5 with its built-in `bm25()` ranking, over the same title, abstract
 * and authors columns, in an in-memory database. Tokenizer `porter unicode61
 * remove_diacritics 2` (stemming, no stop words: the closest FTS5 has to ours). Queries are
 * the words of the query OR-ed together, each quoted so that FTS5 syntax in user text (NEAR,
 * AND, `*`, `-`) is never interpreted.
 */
import Database from 'better-sqlite3';
import type { RetrievalSystem } from '../retrieval-system.js';
import type { SearchDocument } from '../search-document.js';

const WORD = /[\p{L}\p{N}]+/gu;

export function fts5OrQuery(query: string): string {
  const words = [...new Set(query.toLowerCase().match(WORD) ?? [])];
  return words.map((w) => `"${w}"`).join(' OR ');
}

export class Fts5Peer implements RetrievalSystem {
  readonly name = 'sqlite-fts5';
  private readonly db: Database.Database;
  private readonly keys: string[] = [];
  private readonly query: Database.Statement<[string, number], { rowid: number }>;

  constructor() {
    this.db = new Database(':memory:');
    this.db.exec("CREATE VIRTUAL TABLE docs USING fts5(title, abstract, authors, tokenize = 'porter unicode61 remove_diacritics 2')");
    this.query = this.db.prepare('SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?');
  }

  index(documents: readonly SearchDocument[]): void {
    const insert = this.db.prepare('INSERT INTO docs (rowid, title, abstract, authors) VALUES (?, ?, ?, ?)');
    const run = this.db.transaction((batch: readonly SearchDocument[]) => {
      for (const d of batch) {
        this.keys.push(d.key);
        insert.run(this.keys.length, d.title, d.abstract, d.authors);
      }
    });
    run(documents);
  }

  search(query: string, limit: number): string[] {
    const match = fts5OrQuery(query);
    if (match === '') return [];
    return this.query.all(match, limit).map((r) => this.keys[r.rowid - 1]!);
  }

  close(): void {
    this.db.close();
  }
}
