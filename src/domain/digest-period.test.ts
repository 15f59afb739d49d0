import { describe, expect, it } from 'vitest';
import { currentPeriod, firstPeriodAfter, isValidTimeZone, localDateTime, nextDigestPeriod, parseWeekday, periodForLocalDate, periodFromKey, zonedInstant, type Schedule } from './digest-period.js';
import { addDays, isIsoDate, isoWeekLabel } from './civil-date.js';

const iso = (d: Date) => d.toISOString();

describe('zonedInstant across daylight-saving transitions', () => {
  it('Europe/Berlin spring forward (2024-03-31): 02:00 does not exist and becomes 03:00 CEST', () => {
    expect(iso(zonedInstant('2024-03-31', 1, 'Europe/Berlin'))).toBe('2024-03-31T00:00:00.000Z');
    expect(iso(zonedInstant('2024-03-31', 2, 'Europe/Berlin'))).toBe('2024-03-31T01:00:00.000Z');
    expect(iso(zonedInstant('2024-03-31', 3, 'Europe/Berlin'))).toBe('2024-03-31T01:00:00.000Z');
    expect(iso(zonedInstant('2024-03-31', 8, 'Europe/Berlin'))).toBe('2024-03-31T06:00:00.000Z');
  });

  it('Europe/Berlin fall back (2024-10-27): 02:00 happens twice and the first one is used', () => {
    expect(iso(zonedInstant('2024-10-27', 2, 'Europe/Berlin'))).toBe('2024-10-27T00:00:00.000Z');
    expect(iso(zonedInstant('2024-10-27', 3, 'Europe/Berlin'))).toBe('2024-10-27T02:00:00.000Z');
    expect(iso(zonedInstant('2024-10-27', 8, 'Europe/Berlin'))).toBe('2024-10-27T07:00:00.000Z');
  });

  it('America/New_York spring forward (2024-03-10) and fall back (2024-11-03)', () => {
    expect(iso(zonedInstant('2024-03-10', 1, 'America/New_York'))).toBe('2024-03-10T06:00:00.000Z');
    expect(iso(zonedInstant('2024-03-10', 2, 'America/New_York'))).toBe('2024-03-10T07:00:00.000Z');
    expect(iso(zonedInstant('2024-03-10', 7, 'America/New_York'))).toBe('2024-03-10T11:00:00.000Z');
    expect(iso(zonedInstant('2024-11-03', 1, 'America/New_York'))).toBe('2024-11-03T05:00:00.000Z');
    expect(iso(zonedInstant('2024-11-03', 2, 'America/New_York'))).toBe('2024-11-03T07:00:00.000Z');
    expect(iso(zonedInstant('2024-11-03', 7, 'America/New_York'))).toBe('2024-11-03T12:00:00.000Z');
  });
});

/**
 * Drives the schedule the way the scheduler job does: a tick every five minutes; when the stored
 * next-due instant has passed, the current period is delivered and the next one is stored.
 */
function simulate(schedule: Schedule, fromIso: string, toIso: string, tickMinutes = 5): { key: string; at: Date }[] {
  const sent: { key: string; at: Date }[] = [];
  const start = new Date(fromIso);
  let nextDue = firstPeriodAfter(schedule, start).dueAt;
  for (let t = start.getTime(); t <= new Date(toIso).getTime(); t += tickMinutes * 60_000) {
    const now = new Date(t);
    if (now >= nextDue) {
      const period = currentPeriod(schedule, now);
      sent.push({ key: period.key, at: now });
      nextDue = nextDigestPeriod(schedule, period).dueAt;
    }
  }
  return sent;
}

function datesBetween(from: string, toInclusive: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= toInclusive; d = addDays(d, 1)) out.push(d);
  return out;
}

describe('daily schedule over both transitions: exactly one digest per local day', () => {
  const cases = [
    { timeZone: 'Europe/Berlin', spring: '2024-03-31', fall: '2024-10-27' },
    { timeZone: 'America/New_York', spring: '2024-03-10', fall: '2024-11-03' },
  ];
  for (const { timeZone, spring, fall } of cases) {
    for (const transition of [spring, fall]) {
      it(`${timeZone} around ${transition}, every local hour`, () => {
        for (let hour = 0; hour < 24; hour++) {
          const schedule: Schedule = { frequency: 'daily', localHour: hour, timeZone };
          const from = addDays(transition, -3);
          const to = addDays(transition, 3);
          // Start just before local midnight of `from`, stop just before local midnight after `to`.
          const sent = simulate(schedule, iso(new Date(zonedInstant(from, 0, timeZone).getTime() - 1)), iso(new Date(zonedInstant(addDays(to, 1), 0, timeZone).getTime() - 1)));
          expect(sent.map((s) => s.key), `hour ${hour}`).toEqual(datesBetween(from, to).map((d) => `d:${d}`));
          for (const s of sent) {
            const local = localDateTime(s.at, timeZone);
            // Sent on its own local day, within one tick of the due time; a nonexistent hour moves one hour later.
            expect(`d:${local.date}`).toBe(s.key);
            expect([hour, hour + 1]).toContain(local.hour);
            const due = periodForLocalDate(schedule, local.date).dueAt;
            expect(s.at.getTime() - due.getTime()).toBeLessThan(5 * 60_000);
          }
        }
      });
    }
  }

  it('weekly schedules get one digest per ISO week across both Berlin transitions', () => {
    const schedule: Schedule = { frequency: 'weekly', localHour: 2, timeZone: 'Europe/Berlin' };
    const sent = simulate(schedule, '2024-03-01T00:00:00Z', '2024-11-30T00:00:00Z', 15);
    const keys = sent.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[0]).toBe('w:2024-W10');
    expect(keys.at(-1)).toBe('w:2024-W48');
    expect(keys).toHaveLength(39);
    expect(keys).toContain('w:2024-W13'); // Monday after spring forward
    expect(keys).toContain('w:2024-W44'); // Monday after fall back
  });
});

describe('weekly schedules on a chosen weekday', () => {
  const weekdayOf = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

  // Both 2024 transitions in Berlin and New York fall on a Sunday: the day this digest goes out.
  for (const { timeZone, spring, fall, springAt, fallAt } of [
    // Berlin: 02:00 is skipped in spring (-> 03:00 CEST) and repeated in autumn (the CEST one is used).
    { timeZone: 'Europe/Berlin', spring: '2024-03-31', fall: '2024-10-27', springAt: '2024-03-31T01:00', fallAt: '2024-10-27T00:00' },
    // New York: 02:00 is skipped in spring (-> 03:00 EDT); in autumn 01:00 repeats, 02:00 is EST.
    { timeZone: 'America/New_York', spring: '2024-03-10', fall: '2024-11-03', springAt: '2024-03-10T07:00', fallAt: '2024-11-03T07:00' },
  ]) {
    it(`${timeZone}: Sundays at 02:00 through both transitions, one digest per week, each on its Sunday`, () => {
      const schedule: Schedule = { frequency: 'weekly', localHour: 2, timeZone, weekday: 7 };
      const sent = simulate(schedule, '2024-02-01T00:00:00Z', '2024-12-01T00:00:00Z', 15);
      const keys = sent.map((s) => s.key);
      expect(new Set(keys).size).toBe(keys.length);
      // Sundays from 2024-02-04 to 2024-11-24.
      expect(keys).toHaveLength(43);
      for (const s of sent) {
        const local = localDateTime(s.at, timeZone);
        expect(weekdayOf(local.date), `${s.key} sent ${local.date}`).toBe(7);
        expect([2, 3]).toContain(local.hour);
        const period = currentPeriod(schedule, s.at);
        expect(period.localDate).toBe(local.date);
        expect(period.content).toEqual({ from: addDays(local.date, -7), toExclusive: local.date });
      }
      const at = (date: string) => iso(sent.find((s) => localDateTime(s.at, timeZone).date === date)!.at).slice(0, 16);
      expect(at(spring)).toBe(springAt);
      expect(at(fall)).toBe(fallAt);
    });
  }

  it('keys periods by ISO week, so moving the day mid-week never sends twice in a week', () => {
    const monday: Schedule = { frequency: 'weekly', localHour: 8, timeZone: 'Europe/Berlin' };
    const friday: Schedule = { ...monday, weekday: 5 };
    expect(periodForLocalDate(friday, '2024-06-12')).toMatchObject({ key: 'w:2024-W24', localDate: '2024-06-14', content: { from: '2024-06-07', toExclusive: '2024-06-14' } });
    expect(periodForLocalDate(monday, '2024-06-12')).toMatchObject({ key: 'w:2024-W24', localDate: '2024-06-10' });
    // Sent Monday of W24 on the Monday schedule, then switched to Fridays on Wednesday: next is W25's Friday.
    expect(firstPeriodAfter(friday, new Date('2024-06-12T10:00:00Z')).key).toBe('w:2024-W24');
    expect(currentPeriod(friday, new Date('2024-06-13T10:00:00Z')).key).toBe('w:2024-W23');
    expect(nextDigestPeriod(friday, periodForLocalDate(friday, '2024-06-14')).localDate).toBe('2024-06-21');
    // Sundays: the ISO week ends on its Sunday, so the key is still that week's.
    expect(periodForLocalDate({ ...monday, weekday: 7 }, '2024-12-30')).toMatchObject({ key: 'w:2025-W01', localDate: '2025-01-05' });
  });

  it('parses weekdays from form text', () => {
    expect(parseWeekday('1')).toBe(1);
    expect(parseWeekday('7')).toBe(7);
    expect(parseWeekday(3)).toBe(3);
    for (const bad of ['0', '8', 'monday', '', '1.5', undefined, null]) expect(parseWeekday(bad)).toBeNull();
  });
});

describe('due instants', () => {
  it('strictly increase day after day for two years in zones with odd offsets and rules', () => {
    for (const timeZone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'America/Santiago', 'UTC']) {
      for (const localHour of [0, 1, 2, 3, 23]) {
        const schedule: Schedule = { frequency: 'daily', localHour, timeZone };
        let p = periodForLocalDate(schedule, '2024-01-01');
        for (let i = 0; i < 730; i++) {
          const n = nextDigestPeriod(schedule, p);
          const gap = n.dueAt.getTime() - p.dueAt.getTime();
          expect(gap, `${timeZone} ${localHour}h ${p.localDate}`).toBeGreaterThanOrEqual(22 * 3_600_000);
          expect(gap).toBeLessThanOrEqual(26 * 3_600_000);
          p = n;
        }
      }
    }
  });

  it('finds the current and the first upcoming period', () => {
    const s: Schedule = { frequency: 'daily', localHour: 8, timeZone: 'Europe/Berlin' };
    expect(currentPeriod(s, new Date('2024-06-10T05:59:00Z')).key).toBe('d:2024-06-09');
    expect(currentPeriod(s, new Date('2024-06-10T06:00:00Z')).key).toBe('d:2024-06-10');
    expect(firstPeriodAfter(s, new Date('2024-06-10T06:00:00Z')).key).toBe('d:2024-06-11');
    expect(firstPeriodAfter(s, new Date('2024-06-10T05:00:00Z')).key).toBe('d:2024-06-10');
    expect(periodForLocalDate(s, '2024-06-10').content).toEqual({ from: '2024-06-09', toExclusive: '2024-06-10' });
    const w: Schedule = { frequency: 'weekly', localHour: 8, timeZone: 'America/New_York' };
    const p = periodForLocalDate(w, '2024-06-13');
    expect(p).toMatchObject({ key: 'w:2024-W24', localDate: '2024-06-10', content: { from: '2024-06-03', toExclusive: '2024-06-10' } });
  });
});

describe('calendar helpers', () => {
  it('labels ISO weeks, including week-years that differ from the calendar year', () => {
    expect(isoWeekLabel('2021-01-03')).toBe('2020-W53');
    expect(isoWeekLabel('2024-12-30')).toBe('2025-W01');
    expect(isoWeekLabel('2024-03-31')).toBe('2024-W13');
  });

  it('validates dates and time zones', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-2-1')).toBe(false);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('period keys', () => {
  it('round-trip through periodFromKey', () => {
    const s: Schedule = { frequency: 'daily', localHour: 8, timeZone: 'America/New_York' };
    for (const date of ['2024-03-10', '2024-11-03', '2021-01-03', '2024-12-30']) {
      const daily = periodForLocalDate(s, date);
      expect(periodFromKey(s, daily.key)).toEqual(daily);
      const weekly = periodForLocalDate({ ...s, frequency: 'weekly' }, date);
      expect(periodFromKey(s, weekly.key)).toEqual(weekly);
      const thursdays = periodForLocalDate({ ...s, frequency: 'weekly', weekday: 4 }, date);
      expect(periodFromKey({ ...s, weekday: 4 }, thursdays.key)).toEqual(thursdays);
    }
    expect(() => periodFromKey(s, 'confirm:x')).toThrow(RangeError);
  });
});
