import { describe, expect, it } from 'vitest';
import { ageOn, firstOfBirthdayMonth, formatIsoDate, parseIsoDate } from '../../../shared/domain';

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
