import { describe, expect, it } from 'vitest';
import { buildCommentTree, canEditComment, type Comment } from './comment.js';
import { normalizeEmail, provisionalHandle, validateDisplayName, validateHandle } from './user.js';

describe('member rules', () => {
  it('normalizes email addresses and rejects what is not one', () => {
    expect(normalizeEmail('  Ada.Lovelace+papers@Example.ORG ')).toBe('ada.lovelace+papers@example.org');
    for (const bad of ['', 'ada', 'ada@', '@example.org', 'ada@example', 'a b@example.org', 'ada@exa_mple.org', `${'a'.repeat(250)}@example.org`, 'ada@example.org\r\nBcc: x@y.z']) {
      expect(() => normalizeEmail(bad)).toThrow();
    }
  });

  it('validates handles and display names', () => {
    expect(validateHandle(' Ada-L ')).toBe('ada-l');
    for (const bad of ['ab', '-ada', 'ada-', 'a--b', 'ada_l', 'admin', 'unsubscribe', 'members', 'suspend', 'x'.repeat(31)]) expect(() => validateHandle(bad)).toThrow();
    expect(validateDisplayName('  Ada   Lovelace ')).toBe('Ada Lovelace');
    for (const bad of ['', ' ', 'x'.repeat(51), 'evil\u202Eeman', 'zero\u200Bwidth']) expect(() => validateDisplayName(bad)).toThrow();
    expect(provisionalHandle('A1B2c3d4')).toBe('member-a1b2c3d4');
  });
});

function comment(publicId: string, parent: string | null, createdAt: string, extra: Partial<Comment> = {}): Comment {
  return { publicId, arxivId: '2401.00001', author: { handle: 'ada', displayName: 'Ada' }, parentPublicId: parent, depth: 0, body: publicId, createdAt, editedAt: null, deletedAt: null, hiddenAt: null, ...extra };
}

describe('comment rules', () => {
  it('builds threads in posting order and drops removed comments without replies', () => {
    const tree = buildCommentTree([
      comment('b', 'a', '2024-01-01T10:02:00Z'),
      comment('a', null, '2024-01-01T10:00:00Z'),
      comment('c', null, '2024-01-01T10:01:00Z', { deletedAt: '2024-01-01T11:00:00Z', body: '' }),
      comment('d', 'c', '2024-01-01T10:03:00Z', { hiddenAt: '2024-01-01T11:00:00Z', body: '' }),
      comment('e', 'zz', '2024-01-01T10:04:00Z'),
    ]);
    expect(tree.map((n) => [n.comment.publicId, n.replies.map((r) => r.comment.publicId)])).toEqual([
      ['a', ['b']],
      ['e', []],
    ]);
  });

  it('lets only the author edit, only within the window, never a removed comment', () => {
    const c = comment('a', null, '2024-01-01T10:00:00Z');
    const at = (m: number) => Date.parse('2024-01-01T10:00:00Z') + m * 60_000;
    expect(canEditComment(c, 'ada', at(14), 15)).toBe(true);
    expect(canEditComment(c, 'ada', at(16), 15)).toBe(false);
    expect(canEditComment(c, 'alan', at(1), 15)).toBe(false);
    expect(canEditComment(c, null, at(1), 15)).toBe(false);
    expect(canEditComment({ ...c, deletedAt: '2024-01-01T10:01:00Z' }, 'ada', at(2), 15)).toBe(false);
  });
});
