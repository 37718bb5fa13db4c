/**
 * Calendar dates as plain numbers (no `Date`, no time zone): the rules speak of days, and a `Date` at
 * midnight in Taipei is the previous day in UTC.
 */
export interface CalendarDate {
  readonly year: number;
  readonly month: number; // 1–12
  readonly day: number; // 1–31
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  switch (month) {
    case 2:
      return isLeapYear(year) ? 29 : 28;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    default:
      return 31;
  }
}

export function isValidCalendarDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Parses a strict `YYYY-MM-DD`; null for anything else, including impossible days (2026-02-30). */
export function parseIsoDate(text: string): CalendarDate | null {
  if (text.length !== 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  return isValidCalendarDate(year, month, day) ? { year, month, day } : null;
}

const DASH = 45;
const ZERO = 48;

/** The decimal value of text[start, end); NaN unless every character is a digit. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  return value;
}

export function formatIsoDate(date: CalendarDate): string {
  const year = date.year >= 1000 ? String(date.year) : String(date.year).padStart(4, '0');
  return `${year}-${pad2(date.month)}-${pad2(date.day)}`;
}

/** Negative when a is earlier than b, 0 when equal, positive when later. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return (a.year - b.year) * 10_000 + (a.month - b.month) * 100 + (a.day - b.day);
}

/**
 * Completed years of age on `on`. The birthday counts from the day of birth (Civil Code art. 124); someone
 * born on 29 February completes a year on 1 March in common years (art. 121: no corresponding day).
 */
export function ageOn(birth: CalendarDate, on: CalendarDate): number {
  const beforeBirthday = on.month < birth.month || (on.month === birth.month && on.day < birth.day);
  return on.year - birth.year - (beforeBirthday ? 1 : 0);
}

/**
 * The first day of the month in which a person born on `birth` turns `age`: always the birth month. For
 * someone born on 29 February that is February in a common year too: the years of age run out on
 * 28 February, the last day of that month (Civil Code art. 121 §2), even though `ageOn` counts the new year
 * of age from 1 March.
 */
export function firstOfBirthdayMonth(birth: CalendarDate, age: number): CalendarDate {
  return { year: birth.year + age, month: birth.month, day: 1 };
}

/**
 * The same month and day `years` later (earlier when negative). 29 February in a year that has none becomes
 * 28 February: a period of years without a corresponding day ends on the last day of that month (Civil Code
 * art. 121 §2). A card issued on 29 February is thus valid until the end of 28 February, never longer than
 * its years (1 March would add a day). Throws outside years 1–9999 (a programming error).
 */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  const year = date.year + years;
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new RangeError(`addYears: year ${year} is outside 1–9999`);
  return { year, month: date.month, day: Math.min(date.day, daysInMonth(year, date.month)) };
}

/** The day `days` later (earlier when negative). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return dateFromDaysSinceEpoch(daysSinceEpoch(date) + days);
}

/**
 * Days since 1970-01-01 (negative before it), by the proleptic Gregorian calendar: pure arithmetic, no
 * `Date` and so no time zone (H. Hinnant, "chrono-compatible low-level date algorithms").
 */
export function daysSinceEpoch(date: CalendarDate): number {
  const year = date.month <= 2 ? date.year - 1 : date.year; // years start in March: the leap day comes last
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * ((date.month + 9) % 12) + 2) / 5) + date.day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * daysPer400Years + dayOfEra - epochShift;
}

/** The inverse of `daysSinceEpoch`. */
export function dateFromDaysSinceEpoch(days: number): CalendarDate {
  const shifted = days + epochShift;
  const era = Math.floor(shifted / daysPer400Years);
  const dayOfEra = shifted - era * daysPer400Years;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const daysPer400Years = 146_097;
/** Days from 0000-03-01 to 1970-01-01. */
const epochShift = 719_468;

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
