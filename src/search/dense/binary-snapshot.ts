/**
 * The file layout model snapshots share: a 4-byte header length, a JSON header (which names the
 * kind of file in `magic`), then raw byte sections. Writes are fsynced; reads check each
 * section's length, so a truncated file is refused with its name instead of loading garbage.
 */
import fs from 'node:fs';

export function writeSnapshotFile(file: string, header: Record<string, unknown>, sections: readonly Uint8Array[]): number {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length, 0);
  const chunks = [length, json, ...sections];
  const fd = fs.openSync(file, 'w');
  try {
    for (const c of chunks) fs.writeSync(fd, c);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return chunks.reduce((n, c) => n + c.byteLength, 0);
}

/** Reads a snapshot's header, then its sections in order through `take`. */
export class SnapshotReader<H> {
  readonly header: H;
  private at: number;

  constructor(
    private readonly file: string,
    private readonly data: Buffer = fs.readFileSync(file),
  ) {
    const headerLength = data.readUInt32LE(0);
    this.header = JSON.parse(data.subarray(4, 4 + headerLength).toString('utf8')) as H;
    this.at = 4 + headerLength;
  }

  /** The next `byteLength` bytes, copied into their own buffer. */
  take(byteLength: number): ArrayBuffer {
    const slice = this.data.subarray(this.at, this.at + byteLength);
    if (slice.length !== byteLength) throw new Error(`${this.file} is truncated`);
    this.at += byteLength;
    const copy = new Uint8Array(byteLength);
    copy.set(slice);
    return copy.buffer;
  }

  /** The next section as newline-separated UTF-8 strings. */
  takeLines(count: number, byteLength: number): string[] {
    const text = Buffer.from(this.take(byteLength)).toString('utf8');
    return count === 0 ? [] : text.split('\n');
  }
}

export function bytesOf(a: Float32Array | Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
