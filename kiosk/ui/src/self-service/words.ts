import { daysInMonth, formatIsoDate } from '../../../../shared/domain/calendar-date';

/** Whole NT dollars as the self-service screens have always written them: NT$ 1,500. */
export function ntd(amount: number): string {
  return `NT$ ${amount.toLocaleString('en-US')}`;
}

/** Fills `{name}` placeholders of a translated text (the catalogue holds sentences, the view holds numbers). */
export function fill(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The last day of a YYYY-MM month: the day a month's welfare points are last usable. */
export function lastDayOf(month: string): string {
  const year = Number(month.slice(0, 4));
  const monthNumber = Number(month.slice(5, 7));
  return formatIsoDate({ year, month: monthNumber, day: daysInMonth(year, monthNumber) });
}

/** A receipt's ISO instant on the kiosk's own clock, to the minute: 2026-12-07 14:05. */
export function receiptTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}`;
}
