import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './sqlite-statement-cache.js';

describe('withStatementCache', () => {
  it('hands out the prepared statement again, but never one a stream is still iterating', () => {
    const raw = new SQLite(':memory:');
    raw.exec('create table t (x integer); insert into t values (1), (2), (3);');
    const db = withStatementCache(raw, 2);
    const first = db.prepare('select x from t order by x');
    expect(db.prepare('select x from t order by x')).toBe(first);
    const iterating = (first as unknown as SQLite.Statement).iterate();
    expect(iterating.next().value).toEqual({ x: 1 });
    const second = db.prepare('select x from t order by x') as unknown as SQLite.Statement;
    expect(second).not.toBe(first);
    // Both work side by side.
    expect(second.all()).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
    expect([...iterating]).toEqual([{ x: 2 }, { x: 3 }]);
    // Bounded: the least recently used statement goes.
    db.prepare('select 1');
    db.prepare('select 2');
    expect(db.prepare('select x from t order by x')).not.toBe(first);
    db.close();
  });
});
