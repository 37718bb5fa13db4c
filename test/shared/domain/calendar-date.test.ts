import { describe, expect, it } from 'vitest';
import {
  addDays,
  addYears,
  ageOn,
  cardExpiresOn,
  cardExpiryText,
  cardValidityYears,
  dateFromDaysSinceEpoch,
  daysSinceEpoch,
  firstOfBirthdayMonth,
  formatIsoDate,
  isLeapYear,
  isValidCalendarDate,
  parseIsoDate,
  type CalendarDate,
} from '../../../shared/domain';

describe('calendar dates', () => {
  it('parses only real days', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate('2023-02-29')).toBeNull();
    expect(parseIsoDate('1900-02-29')).toBeNull();
    expect(parseIsoDate('2000-02-29')).not.toBeNull();
    expect(parseIsoDate('2026-4-01')).toBeNull();
    expect(parseIsoDate('2026-04-31')).toBeNull();
  });

  it('counts age in completed years', () => {
    const birth = { year: 2000, month: 6, day: 15 };
    expect(ageOn(birth, { year: 2018, month: 6, day: 14 })).toBe(17);
    expect(ageOn(birth, { year: 2018, month: 6, day: 15 })).toBe(18);
  });

  it('finds the first of the birthday month and formats it', () => {
    expect(formatIsoDate(firstOfBirthdayMonth({ year: 1961, month: 2, day: 28 }, 65))).toBe('2026-02-01');
  });
});

/** Every day of the span the issue names, walked with the oracle `Date.UTC` rather than the code under test. */
function everyDay(from: { year: number; month: number; day: number }, to: { year: number; month: number; day: number }): CalendarDate[] {
  const days: CalendarDate[] = [];
  const end = Date.UTC(to.year, to.month - 1, to.day);
  for (let time = Date.UTC(from.year, from.month - 1, from.day); time <= end; time += 86_400_000) {
    const date = new Date(time);
    days.push({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
  }
  return days;
}
const span = everyDay({ year: 2024, month: 1, day: 1 }, { year: 2100, month: 12, day: 31 });

describe('calendar arithmetic over every day from 2024-01-01 to 2100-12-31', () => {
  it('walks the span', () => {
    expect(span.length).toBe(77 * 365 + 19);
    expect(span.filter((d) => d.month === 2 && d.day === 29).length).toBe(19); // 2024..2096; 2100 is no leap year
  });

  // expect() per day would take seconds: each test gathers what is wrong and expects none of it.
  const same = (a: CalendarDate, b: CalendarDate) => a.year === b.year && a.month === b.month && a.day === b.day;
  const real = (d: CalendarDate) => isValidCalendarDate(d.year, d.month, d.day);

  it('counts days since 1970-01-01 as the UTC calendar does, both ways, over the chip’s whole range', () => {
    const wrong: string[] = [];
    for (const date of everyDay({ year: 1970, month: 1, day: 1 }, { year: 2149, month: 6, day: 6 })) {
      const days = Date.UTC(date.year, date.month - 1, date.day) / 86_400_000;
      if (daysSinceEpoch(date) !== days || !same(dateFromDaysSinceEpoch(days), date)) wrong.push(formatIsoDate(date));
    }
    expect(wrong).toEqual([]);
    expect(daysSinceEpoch({ year: 2149, month: 6, day: 6 })).toBe(0xffff);
    expect(addDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addDays({ year: 2100, month: 2, day: 28 }, 1)).toEqual({ year: 2100, month: 3, day: 1 });
  });

  it('adds years to the same month and day, 29 February to 28 February in a common year, always a real day', () => {
    const wrong: string[] = [];
    for (const date of span) {
      for (const years of [1, 4, 10, 100, -1, -10]) {
        const later = addYears(date, years);
        const leapDayLost = date.month === 2 && date.day === 29 && !isLeapYear(date.year + years);
        const expected = { year: date.year + years, month: date.month, day: leapDayLost ? 28 : date.day };
        if (!real(later) || !same(later, expected)) wrong.push(`${formatIsoDate(date)} + ${years} y = ${formatIsoDate(later)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(addYears({ year: 2028, month: 2, day: 29 }, 10)).toEqual({ year: 2038, month: 2, day: 28 });
    expect(addYears({ year: 2028, month: 2, day: 29 }, 4)).toEqual({ year: 2032, month: 2, day: 29 });
  });

  it('gives a card issued on any day a real expiry ten years on, by that rule', () => {
    const wrong: string[] = [];
    for (const date of span) {
      const expiry = cardExpiresOn(date);
      if (!real(expiry) || !same(expiry, addYears(date, cardValidityYears)) || cardExpiryText(formatIsoDate(date)) !== formatIsoDate(expiry)) {
        wrong.push(`${formatIsoDate(date)} → ${formatIsoDate(expiry)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(cardExpiryText('2028-02-29')).toBe('2038-02-28');
    expect(cardExpiryText('2032-02-29')).toBe('2042-02-28');
    expect(cardExpiryText('2030-02-28')).toBe('2040-02-28');
    expect(() => cardExpiryText('2027-02-29')).toThrow(TypeError);
  });

  it('puts the first of the birthday month of someone born on 29 February in February, leap year or not', () => {
    for (const date of span.filter((d) => d.month === 2 && d.day === 29)) {
      for (const age of [55, 56, 64, 65]) {
        const from = firstOfBirthdayMonth(date, age);
        expect(from).toEqual({ year: date.year + age, month: 2, day: 1 });
        // The age is completed at the end of February: 1 March in a common year, 29 February in a leap year.
        const turns = isLeapYear(date.year + age) ? { year: date.year + age, month: 2, day: 29 } : { year: date.year + age, month: 3, day: 1 };
        expect(ageOn(date, turns)).toBe(age);
        expect(ageOn(date, addDays(turns, -1))).toBe(age - 1);
      }
    }
  });
});
