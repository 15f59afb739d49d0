import { describe, expect, it } from 'vitest';
import { isoTimestamp, rfc2822ToIso } from './arxiv-dates.js';

describe('rfc2822ToIso', () => {
  it('reads the arXivRaw/snapshot and RSS forms as UTC', () => {
    expect(rfc2822ToIso('Tue, 3 Apr 2007 22:04:11 GMT')).toBe('2007-04-03T22:04:11Z');
    expect(rfc2822ToIso('Mon, 27 Apr 2026 00:00:00 -0400')).toBe('2026-04-27T04:00:00Z');
    expect(rfc2822ToIso('Mon, 27 Apr 2026 04:00:00 +0000')).toBe('2026-04-27T04:00:00Z');
    expect(rfc2822ToIso('2 Apr 2007 19:18 GMT')).toBe('2007-04-02T19:18:00Z');
    expect(rfc2822ToIso('Thu, 1 Jan 2015 01:00:00 EST')).toBe('2015-01-01T06:00:00Z');
  });

  it('returns null for what is not a date', () => {
    expect(rfc2822ToIso('yesterday')).toBeNull();
    expect(rfc2822ToIso('Fri, 31 Feb 2008 10:00:00 GMT')).toBeNull();
    expect(rfc2822ToIso('')).toBeNull();
  });
});

describe('isoTimestamp', () => {
  it('normalises offsets to UTC and keeps bare dates', () => {
    expect(isoTimestamp('2013-01-31T20:46:12Z')).toBe('2013-01-31T20:46:12Z');
    expect(isoTimestamp('2025-10-17T00:00:00-04:00')).toBe('2025-10-17T04:00:00Z');
    expect(isoTimestamp('2007-03-30')).toBe('2007-03-30');
    expect(isoTimestamp('March 2007')).toBeNull();
  });
});
