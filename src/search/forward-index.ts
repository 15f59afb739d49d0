/**
 * Compact forward index: for every document, the sequence of its index terms (title, then
 * abstract, then authors) with their word positions, so the second stage of a search can
 * measure how close query terms stand (proximity) and check quoted phrases without keeping
 * the text. Each token is one varint: `termId * 4 + gap`, where gap is the distance in words
 * from the previous token of the field (0 for a compound's joined form, which is stored at its
 * last part's position; 1 for the next word, 2 when one stop word lies between, 3 for three
 * words or more). About 2 bytes a token.
 *
 * Bytes live in fixed-size chunks (a document never straddles two), so a large index grows
 * without doubling copies. The token count of a document is not stored: it is the sum of its
 * field lengths in the doc table, which the caller passes to `decode`.
 */
const CHUNK_BYTES = 1 << 22;
export const MAX_GAP = 3;

export interface DecodedDoc {
  /** Term id of each token. */
  terms: Int32Array;
  /** Word position of each token, counted from the start of its field. */
  positions: Int32Array;
}

export class ForwardIndex {
  private chunks: Uint8Array[] = [];
  /** Bytes used in the last chunk. */
  private used = 0;
  /**
   * Start of each document: chunk * CHUNK_BYTES + offset. Grown here rather than with a
   * GrowableArray: a fifth element type would make GrowableArray.push megamorphic for the
   * whole index.
   */
  private starts = new Float64Array(1024);
  private count = 0;

  get docCount(): number {
    return this.count;
  }

  get byteLength(): number {
    return this.chunks.reduce((sum, c) => sum + c.byteLength, 0) + this.starts.byteLength;
  }

  private pushStart(start: number): void {
    if (this.count === this.starts.length) {
      const grown = new Float64Array(Math.max(1024, this.starts.length * 2));
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = start;
  }

  /**
   * Appends the next document. `fieldIds[f]` and `fieldPositions[f]` are the terms of field
   * f in reading order and their word positions; only the first `counts[f]` are kept.
   */
  append(fieldIds: readonly ArrayLike<number>[], fieldPositions: readonly ArrayLike<number>[], counts: ArrayLike<number>): void {
    let need = 0;
    for (let f = 0; f < fieldIds.length; f++) need += (counts[f] ?? 0) * 5;
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || this.used + need > chunk.length) {
      // Trim the finished chunk. Field lengths are capped at 65535 tokens, so a document
      // (at most 3 * 65535 * 5 bytes) always fits in a fresh chunk.
      if (chunk !== undefined) this.chunks[this.chunks.length - 1] = chunk.slice(0, this.used);
      chunk = new Uint8Array(CHUNK_BYTES);
      this.chunks.push(chunk);
      this.used = 0;
    }
    this.pushStart((this.chunks.length - 1) * CHUNK_BYTES + this.used);
    let at = this.used;
    for (let f = 0; f < fieldIds.length; f++) {
      const ids = fieldIds[f]!;
      const positions = fieldPositions[f]!;
      const count = counts[f] ?? 0;
      let previous = 0;
      for (let k = 0; k < count; k++) {
        const position = positions[k]!;
        // A compound's joined form follows its parts but has the first part's position: it is
        // stored at the previous token's position (the compound's last part), keeping
        // positions non-decreasing.
        const gap = position < previous ? 0 : Math.min(MAX_GAP, position - previous);
        if (position > previous) previous = position;
        let value = ids[k]! * 4 + gap;
        while (value >= 128) {
          chunk[at++] = (value % 128) | 128;
          value = Math.floor(value / 128);
        }
        chunk[at++] = value;
      }
    }
    this.used = at;
  }

  /** Decodes the tokens of `doc`; `fieldEnds` are cumulative token counts per field (the last is the total). */
  decode(doc: number, fieldEnds: ArrayLike<number>, out: DecodedDoc): void {
    const tokenCount = fieldEnds[fieldEnds.length - 1] ?? 0;
    const start = this.starts[doc]!;
    const chunk = this.chunks[Math.floor(start / CHUNK_BYTES)]!;
    let at = start % CHUNK_BYTES;
    let field = 0;
    let position = 0;
    for (let k = 0; k < tokenCount; k++) {
      while (field < fieldEnds.length && k === fieldEnds[field]) {
        field++;
        position = 0;
      }
      let value = 0;
      let scale = 1;
      let byte = chunk[at++]!;
      while (byte >= 128) {
        value += (byte - 128) * scale;
        scale *= 128;
        byte = chunk[at++]!;
      }
      value += byte * scale;
      position += value % 4;
      out.terms[k] = Math.floor(value / 4);
      out.positions[k] = position;
    }
  }

  /** A copy holding only documents with `remap[doc] >= 0`, renumbered densely (in order). */
  compacted(remap: Int32Array, tokenCounts: (doc: number) => number): ForwardIndex {
    const next = new ForwardIndex();
    for (let doc = 0; doc < this.docCount; doc++) {
      if (remap[doc]! < 0) continue;
      next.appendRaw(this.rawBytes(doc, tokenCounts(doc)));
    }
    return next;
  }

  /** The arrays a snapshot stores. */
  snapshotArrays(): Record<string, Uint8Array | Float64Array> {
    const arrays: Record<string, Uint8Array | Float64Array> = { starts: this.starts.subarray(0, this.count) };
    this.chunks.forEach((c, i) => {
      arrays[`chunk${i}`] = i === this.chunks.length - 1 ? c.subarray(0, this.used) : c;
    });
    return arrays;
  }

  static restore(starts: Float64Array, chunks: Uint8Array[]): ForwardIndex {
    const index = new ForwardIndex();
    index.starts = starts.slice();
    index.count = starts.length;
    index.chunks = chunks.slice();
    index.used = chunks.length > 0 ? chunks[chunks.length - 1]!.length : 0;
    return index;
  }

  private rawBytes(doc: number, tokenCount: number): Uint8Array {
    const start = this.starts[doc]!;
    const chunk = this.chunks[Math.floor(start / CHUNK_BYTES)]!;
    const from = start % CHUNK_BYTES;
    let at = from;
    for (let k = 0; k < tokenCount; k++) while (chunk[at++]! >= 128);
    return chunk.subarray(from, at);
  }

  private appendRaw(bytes: Uint8Array): void {
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || this.used + bytes.length > chunk.length) {
      if (chunk !== undefined) this.chunks[this.chunks.length - 1] = chunk.slice(0, this.used);
      chunk = new Uint8Array(CHUNK_BYTES);
      this.chunks.push(chunk);
      this.used = 0;
    }
    this.pushStart((this.chunks.length - 1) * CHUNK_BYTES + this.used);
    chunk.set(bytes, this.used);
    this.used += bytes.length;
  }
}

/** Scratch buffers for `decode`, grown as needed. */
export function decodedDoc(capacity: number): DecodedDoc {
  return { terms: new Int32Array(capacity), positions: new Int32Array(capacity) };
}
