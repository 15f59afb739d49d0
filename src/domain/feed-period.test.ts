import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { daysOf, describePeriod, feedPeriodAfter, parsePeriod, periodContaining, feedPeriodBefore } from './feed-period.js';

describe('feed periods', () => {
  it('parses days, ISO weeks and months into inclusive ranges', () => {
    expect(parsePeriod('day', '2012-03-15')).toEqual({ kind: 'day', label: '2012-03-15', from: '2012-03-15', to: '2012-03-15' });
    expect(parsePeriod('week', '2012-W11')).toEqual({ kind: 'week', label: '2012-W11', from: '2012-03-12', to: '2012-03-18' });
    expect(parsePeriod('month', '2012-02')).toEqual({ kind: 'month', label: '2012-02', from: '2012-02-01', to: '2012-02-29' });
    expect(parsePeriod('month', '2011-12').to).toBe('2011-12-31');
    // ISO week-years differ from calendar years around New Year.
    expect(parsePeriod('week', '2020-W53')).toMatchObject({ from: '2020-12-28', to: '2021-01-03' });
    expect(periodContaining('week', '2021-01-01').label).toBe('2020-W53');
  });

  it.each([
    ['day', '2025-13-45'],
    ['day', '2023-02-29'],
    ['day', '20120315'],
    ['day', ''],
    ['week', '2021-W53'],
    ['week', '2012-W00'],
    ['week', '2012-11'],
    ['month', '2012-13'],
    ['month', '2012-00'],
    ['month', 'x'.repeat(5000)],
  ] as const)('rejects %s %j with a message naming the field', (kind, label) => {
    expect(() => parsePeriod(kind, label)).toThrow(ValidationError);
    try {
      parsePeriod(kind, label);
    } catch (error) {
      expect((error as ValidationError).details).toEqual({ field: kind === 'day' ? 'date' : kind });
      expect((error as Error).message.length).toBeLessThan(200);
    }
  });

  it('steps to neighbouring periods across month and year ends', () => {
    expect(feedPeriodBefore(parsePeriod('day', '2012-03-01')).label).toBe('2012-02-29');
    expect(feedPeriodAfter(parsePeriod('week', '2020-W53')).label).toBe('2021-W01');
    expect(feedPeriodAfter(parsePeriod('month', '2012-12')).label).toBe('2013-01');
    expect(feedPeriodBefore(parsePeriod('month', '2012-01')).label).toBe('2011-12');
  });

  it('lists the days of a period and describes it for people', () => {
    expect(daysOf(parsePeriod('week', '2012-W11'))).toHaveLength(7);
    expect(daysOf(parsePeriod('month', '2012-02'))).toHaveLength(29);
    expect(describePeriod(parsePeriod('day', '2012-03-15'))).toMatch(/^Thursday,? 15 March 2012$/);
    expect(describePeriod(parsePeriod('month', '2012-03'))).toBe('March 2012');
    expect(describePeriod(parsePeriod('week', '2012-W11'))).toMatch(/^Week 11 of 2012 \(12 Mar – 18 Mar 2012\)$/);
  });
});
