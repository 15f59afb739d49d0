/**
 * Binary snapshot container for the search index: a magic string, a JSON header (metadata plus
 * a table of arrays) and the raw bytes of each typed array, 8-byte aligned, so a reload maps
 * the file's bytes straight back into typed arrays without parsing postings. Written to a
 * temporary file and renamed, so a crash never leaves a half-written snapshot in place.
 */
import fs from 'node:fs';

export type SnapshotArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

const MAGIC = 'PBSEARCH';
const FORMAT_VERSION = 1;
const CONSTRUCTORS = { Uint8Array, Uint16Array, Uint32Array, Int32Array, Float32Array, Float64Array } as const;
type ArrayType = keyof typeof CONSTRUCTORS;

interface ArrayEntry {
  name: string;
  type: ArrayType;
  offset: number;
  length: number;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

export function writeSnapshotFile(path: string, meta: unknown, arrays: Record<string, SnapshotArray>): number {
  const entries: ArrayEntry[] = [];
  let offset = 0;
  for (const [name, array] of Object.entries(arrays)) {
    entries.push({ name, type: array.constructor.name as ArrayType, offset, length: array.length });
    offset = align8(offset + array.byteLength);
  }
  const header = Buffer.from(JSON.stringify({ meta, arrays: entries }), 'utf8');
  const preamble = Buffer.alloc(16);
  preamble.write(MAGIC, 0, 'latin1');
  preamble.writeUInt32LE(FORMAT_VERSION, 8);
  preamble.writeUInt32LE(header.length, 12);
  const dataStart = align8(16 + header.length);
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, preamble);
    fs.writeSync(fd, header);
    fs.writeSync(fd, Buffer.alloc(dataStart - 16 - header.length));
    let written = 0;
    for (const entry of entries) {
      const array = arrays[entry.name]!;
      if (entry.offset > written) fs.writeSync(fd, Buffer.alloc(entry.offset - written));
      fs.writeSync(fd, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      written = entry.offset + array.byteLength;
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path);
  return fs.statSync(path).size;
}

export function readSnapshotFile(path: string): { meta: unknown; arrays: Record<string, SnapshotArray> } {
  const file = fs.readFileSync(path);
  if (file.length < 16 || file.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${path} is not a Paperboy search snapshot`);
  const version = file.readUInt32LE(8);
  if (version !== FORMAT_VERSION) throw new Error(`${path}: snapshot format ${version} is not supported (expected ${FORMAT_VERSION})`);
  const headerLength = file.readUInt32LE(12);
  const { meta, arrays: entries } = JSON.parse(file.toString('utf8', 16, 16 + headerLength)) as { meta: unknown; arrays: ArrayEntry[] };
  const dataStart = align8(16 + headerLength);
  const arrays: Record<string, SnapshotArray> = {};
  for (const entry of entries) {
    const Ctor = CONSTRUCTORS[entry.type];
    if (!Ctor) throw new Error(`${path}: unknown array type ${entry.type}`);
    const byteStart = file.byteOffset + dataStart + entry.offset;
    const byteLength = entry.length * Ctor.BYTES_PER_ELEMENT;
    if (dataStart + entry.offset + byteLength > file.length) throw new Error(`${path}: truncated at array ${entry.name}`);
    // Views when aligned (large files get their own ArrayBuffer); otherwise a copy.
    arrays[entry.name] =
      byteStart % Ctor.BYTES_PER_ELEMENT === 0
        ? new Ctor(file.buffer, byteStart, entry.length)
        : new Ctor(file.buffer.slice(byteStart, byteStart + byteLength));
  }
  return { meta, arrays };
}
