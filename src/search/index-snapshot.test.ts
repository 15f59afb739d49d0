import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSnapshotFile, writeSnapshotFile } from './index-snapshot.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-snapshot-'));
  dirs.push(dir);
  return path.join(dir, 'snap.bin');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('index snapshot file', () => {
  it('round-trips metadata and typed arrays of every kind, aligned', () => {
    const file = tempFile();
    const arrays = {
      a: Uint8Array.from([1, 2, 3]),
      b: Uint16Array.from([65535, 7]),
      c: Uint32Array.from([4_000_000_000, 1]),
      d: Int32Array.from([-5, 5]),
      e: Float64Array.from([Math.PI]),
      f: new Float32Array(0),
    };
    writeSnapshotFile(file, { hello: 'wörld', n: 3 }, arrays);
    const { meta, arrays: back } = readSnapshotFile(file);
    expect(meta).toEqual({ hello: 'wörld', n: 3 });
    for (const [name, array] of Object.entries(arrays)) {
      expect(back[name]!.constructor).toBe(array.constructor);
      expect([...back[name]!]).toEqual([...array]);
    }
  });

  it('rejects files that are not snapshots or are truncated', () => {
    const file = tempFile();
    fs.writeFileSync(file, 'not a snapshot at all');
    expect(() => readSnapshotFile(file)).toThrow(/not a Paperboy search snapshot/);
    writeSnapshotFile(file, {}, { big: new Float64Array(1000) });
    fs.truncateSync(file, fs.statSync(file).size - 100);
    expect(() => readSnapshotFile(file)).toThrow(/truncated/);
  });
});
