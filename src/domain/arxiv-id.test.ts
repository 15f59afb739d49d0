import { describe, expect, it } from 'vitest';
import { parseArxivReference, parseBareArxivId } from './arxiv-id.js';
import { ValidationError } from './errors.js';

describe('parseArxivReference', () => {
  it.each([
    ['2401.12345', '2401.12345', null],
    ['0704.0002', '0704.0002', null],
    ['2401.12345v2', '2401.12345', 2],
    ['arXiv:2401.12345v3', '2401.12345', 3],
    ['math/0611918', 'math/0611918', null],
    ['quant-ph/9912100v2', 'quant-ph/9912100', 2],
    ['math.GT/0309136', 'math.GT/0309136', null],
    ['https://arxiv.org/abs/2401.12345', '2401.12345', null],
    ['http://export.arxiv.org/abs/1601.00001v1', '1601.00001', 1],
    ['https://arxiv.org/pdf/2401.12345v1.pdf', '2401.12345', 1],
    ['https://arxiv.org/pdf/2401.12345', '2401.12345', null],
    ['https://arxiv.org/abs/math/0611918', 'math/0611918', null],
  ])('parses %s', (input, id, version) => {
    expect(parseArxivReference(input)).toEqual({ id, version });
  });

  it.each([
    '',
    'hello',
    '2413.12345',
    'http://127.0.0.1/abs/2401.12345',
    'https://evil.example/abs/2401.12345',
    'https://arxiv.org.evil.example/abs/2401.12345',
    'https://user@arxiv.org/abs/2401.12345',
    'https://arxiv.org:8080/abs/2401.12345',
    'file:///etc/passwd',
    'https://arxiv.org/list/cs.AI',
    'javascript:alert(1)',
    'https://arxiv.org/abs/%',
    'https://arxiv.org/abs/2401.1234%E0%A4%A',
  ])('rejects %j with a ValidationError', (input) => {
    expect(() => parseArxivReference(input)).toThrow(ValidationError);
  });

  it('returns null for non-ids in the bare parser', () => {
    expect(parseBareArxivId('abc')).toBeNull();
  });
});
