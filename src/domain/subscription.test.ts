import { describe, expect, it } from 'vitest';
import { listKey, normalizeEmail, parseSubscriptionInput } from './subscription.js';

describe('subscription input', () => {
  it('normalizes a valid form', () => {
    const r = parseSubscriptionInput({ email: '  Ada@Example.ORG ', list: 'topic', topic: '  heart   representation learning ', frequency: 'weekly', hour: '7', timeZone: 'Europe/Berlin' });
    expect(r).toEqual({
      ok: true,
      value: { email: 'ada@example.org', list: { kind: 'topic', query: 'heart representation learning' }, schedule: { frequency: 'weekly', localHour: 7, timeZone: 'Europe/Berlin', weekday: 1 } },
    });
  });

  it('takes the weekday of a weekly digest (Monday unless chosen) and refuses a bad one', () => {
    const friday = parseSubscriptionInput({ email: 'a@b.co', frequency: 'weekly', weekday: '5' });
    expect(friday.ok && friday.value.schedule).toEqual({ frequency: 'weekly', localHour: 8, timeZone: 'UTC', weekday: 5 });
    const bad = parseSubscriptionInput({ email: 'a@b.co', frequency: 'weekly', weekday: '8' });
    expect(!bad.ok && bad.problems.map((p) => p.field)).toEqual(['weekday']);
  });

  it('sends "for you" digests to the signed-in member only, whatever address the form names', () => {
    const member = { id: 42, email: 'Ada@Example.org' };
    const r = parseSubscriptionInput({ email: 'someone-else@example.org', list: 'for-you', frequency: 'daily' }, member);
    expect(r.ok && r.value).toEqual({ email: 'ada@example.org', list: { kind: 'for-you', memberId: 42 }, schedule: { frequency: 'daily', localHour: 8, timeZone: 'UTC' } });
    const anonymous = parseSubscriptionInput({ email: 'a@b.co', list: 'for-you' });
    expect(!anonymous.ok && anonymous.problems).toEqual([{ field: 'list', message: 'Sign in to get papers picked for you.' }]);
    expect(listKey({ kind: 'for-you', memberId: 42 })).toBe('for-you');
  });

  it('defaults to a daily trending digest at 08:00 UTC', () => {
    const r = parseSubscriptionInput({ email: 'a@b.co' });
    expect(r.ok && r.value).toEqual({ email: 'a@b.co', list: { kind: 'trending' }, schedule: { frequency: 'daily', localHour: 8, timeZone: 'UTC' } });
  });

  it('reports every problem at once, naming the field', () => {
    const r = parseSubscriptionInput({ email: 'nope', list: 'topic', topic: ' ', frequency: 'hourly', hour: '24', timeZone: 'Nowhere/City' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.field)).toEqual(['email', 'topic', 'frequency', 'hour', 'timeZone']);
  });

  it('refuses addresses that could inject headers', () => {
    expect(normalizeEmail('a@b.co\r\nBcc: x@y.z')).toBeNull();
    expect(normalizeEmail('"a b"@b.co')).toBeNull();
    expect(normalizeEmail('a@localhost')).toBeNull();
    expect(normalizeEmail('first.last+tag@sub.example.com')).toBe('first.last+tag@sub.example.com');
  });

  it('keys lists case- and space-insensitively', () => {
    expect(listKey({ kind: 'topic', query: 'Graph  Neural Nets' })).toBe(listKey({ kind: 'topic', query: 'graph neural nets' }));
    expect(listKey({ kind: 'trending' })).toBe('trending');
  });
});
