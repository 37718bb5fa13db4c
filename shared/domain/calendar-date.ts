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

/** The first day of the month in which a person born on `birth` turns `age`. */
export function firstOfBirthdayMonth(birth: CalendarDate, age: number): CalendarDate {
  return { year: birth.year + age, month: birth.month, day: 1 };
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
