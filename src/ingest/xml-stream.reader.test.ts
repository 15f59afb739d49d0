import { describe, expect, it } from 'vitest';
import { ParseError } from '../domain/errors.js';
import { streamXml, type XmlVisitor } from './xml-stream.reader.js';

/** Emits "open:name", "text:..." and "close:name" so the driver can be observed on its own. */
function recorder(emit: (event: string) => void): XmlVisitor {
  return {
    open: (name) => emit(`open:${name}`),
    text: (text) => {
      if (text.trim()) emit(`text:${text}`);
    },
    close: (name) => emit(`close:${name}`),
  };
}

async function run(input: string | Iterable<string>, limits = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const event of streamXml<string>(input, 'test.xml', (context) => recorder((e) => context.emit(e)), limits)) out.push(event);
  return out;
}

describe('streamXml', () => {
  it('strips namespace prefixes, decodes predefined entities, character references and CDATA', async () => {
    expect(await run('<a:root xmlns:a="u"><x>1 &lt; 2 &amp; &#xe2;</x><![CDATA[<raw>]]></a:root>')).toEqual([
      'open:root',
      'open:x',
      'text:1 < 2 & â',
      'close:x',
      'text:<raw>',
      'close:root',
    ]);
  });

  it('bounds a single token even when it arrives in one big string', async () => {
    const error = await run(`<root><!-- ${'z'.repeat(300_000)} --></root>`, { maxTokenChars: 100_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toMatch(/^test\.xml: line 1, column \d+: a single text node, tag or comment is longer than 100000 characters/);
  });

  it('reports the first well-formedness error with its line and column', async () => {
    const error = await run(['<root>\n  <a>\n', '  </b>\n</root>']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).details).toMatchObject({ source: 'test.xml', line: 3 });
  });

  it('fails on an empty document', async () => {
    await expect(run('')).rejects.toBeInstanceOf(ParseError);
  });
});
