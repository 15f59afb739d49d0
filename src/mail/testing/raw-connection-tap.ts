/**
 * What one SMTP connection's client sent, as raw bytes, independent of how far the server's
 * parser has got: how many end-of-data markers (`<CRLF>.<CRLF>`) arrived, and the message of
 * the k-th transaction. Dot-stuffing guarantees the marker never occurs inside a message, so
 * counting markers counts complete DATA transactions (smtp-sink.ts uses it to keep messages
 * whose end-of-data arrived just before the connection closed).
 */
const MARKER = Buffer.from('\r\n.\r\n', 'latin1');

export class RawConnectionTap {
  /** End-of-data markers received so far. */
  markers = 0;
  /** DATA transactions the server has started on this connection (numbered from 1 by the sink). */
  started = 0;
  private tail = Buffer.alloc(0);
  private readonly chunks: Buffer[] | null;

  /** `keepBytes`: keep the raw bytes so `message(k)` can return them (tests); otherwise only count. */
  constructor(keepBytes: boolean) {
    this.chunks = keepBytes ? [] : null;
  }

  push(chunk: Buffer): void {
    this.chunks?.push(chunk);
    const keep = MARKER.length - 1;
    // A marker straddling the previous chunk's last bytes and this one's first (never one wholly
    // inside either: the joint holds only 4 bytes of each). Chunks themselves are not copied.
    if (this.tail.length > 0 && Buffer.concat([this.tail, chunk.subarray(0, keep)]).indexOf(MARKER) !== -1) this.markers++;
    for (let at = chunk.indexOf(MARKER); at !== -1; at = chunk.indexOf(MARKER, at + MARKER.length)) this.markers++;
    const last = chunk.length >= keep ? chunk.subarray(chunk.length - keep) : Buffer.concat([this.tail, chunk]).subarray(-keep);
    this.tail = Buffer.from(last);
  }

  /**
   * The message of the k-th transaction (1-based), dot-unstuffed, with its final CRLF; null when
   * its end-of-data has not arrived or the bytes were not kept.
   */
  message(k: number): Buffer | null {
    if (!this.chunks || k < 1 || k > this.markers) return null;
    const raw = Buffer.concat(this.chunks);
    let start = 0;
    let end = raw.indexOf(MARKER);
    for (let i = 1; i < k; i++) {
      start = end + MARKER.length;
      end = raw.indexOf(MARKER, start);
    }
    // The segment holds the commands of this transaction, then DATA, then the message.
    const segment = raw.subarray(start, end + 2).toString('latin1');
    const data = /(?:^|\r\n)DATA\r\n/i.exec(segment);
    if (!data) return null;
    const body = segment.slice(data.index + data[0].length);
    return Buffer.from(body.replace(/^\.\./, '.').replace(/\r\n\.\./g, '\r\n.'), 'latin1');
  }
}
