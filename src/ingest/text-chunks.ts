/**
 * Turns what a caller has (a file or HTTP stream of bytes, strings, or one whole string) into a
 * stream of decoded text chunks, so every parser accepts the same inputs and never needs the
 * whole document in memory.
 */

/** Anything a parser can read from: a byte or text stream, or one in-memory document. */
export type ChunkSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array> | string | Uint8Array;

/**
 * Decodes UTF-8 incrementally. A multi-byte character split across two chunks is carried over
 * (`stream: true`), a leading byte-order mark is dropped, and an invalid byte becomes U+FFFD
 * rather than failing a whole file over one bad character.
 */
export async function* decodeUtf8Chunks(input: ChunkSource): AsyncGenerator<string, void, undefined> {
  // A string is itself iterable (by character), so it must be special-cased before for-await.
  if (typeof input === 'string') {
    if (input.length > 0) yield stripBom(input);
    return;
  }
  if (input instanceof Uint8Array) {
    const text = new TextDecoder('utf-8').decode(input);
    if (text.length > 0) yield text;
    return;
  }
  const decoder = new TextDecoder('utf-8');
  let first = true;
  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text.length === 0) continue;
    if (first) {
      text = stripBom(text);
      first = false;
    }
    yield text;
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield tail;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
