import { addDays, daysSinceEpoch, formatIsoDate, type CalendarDate } from '../../../shared/domain/calendar-date';

/**
 * The team's local time for the figures: Taiwan is UTC+8 all year (no daylight saving), so an hour or a
 * day of the report is a fixed shift of the stored UTC instants, and a report reads the same on any host.
 */
const taiwanOffsetMs = 8 * 60 * 60 * 1000;

/** `YYYY-MM-DDTHH:00` of the local hour an instant falls in. */
export function localHourOf(iso: string): string {
  return new Date(Date.parse(iso) + taiwanOffsetMs).toISOString().slice(0, 13) + ':00';
}

/** `YYYY-MM-DD` of the local day an instant falls in. */
export function localDayOf(iso: string): string {
  return new Date(Date.parse(iso) + taiwanOffsetMs).toISOString().slice(0, 10);
}

/** Every local hour from the one `fromIso` falls in to the one `toIso` falls in, both included. */
export function localHoursBetween(fromIso: string, toIso: string): string[] {
  const hourMs = 60 * 60 * 1000;
  const first = Math.floor(Date.parse(fromIso) / hourMs);
  const last = Math.floor(Date.parse(toIso) / hourMs);
  const hours: string[] = [];
  for (let hour = first; hour <= last; hour++) hours.push(localHourOf(new Date(hour * hourMs).toISOString()));
  return hours;
}

/** The UTC instants that bound the local days `from` to `to`, both included: `[fromIso, toIso)`. */
export function localDaysToInstants(from: CalendarDate, to: CalendarDate): { fromIso: string; toIso: string } {
  const midnight = (date: CalendarDate): string => new Date(daysSinceEpoch(date) * 86_400_000 - taiwanOffsetMs).toISOString();
  return { fromIso: midnight(from), toIso: midnight(addDays(to, 1)) };
}

/** Every local day from `from` to `to`, both included. */
export function localDaysBetween(from: CalendarDate, to: CalendarDate): string[] {
  const days: string[] = [];
  for (let n = daysSinceEpoch(from); n <= daysSinceEpoch(to); n++) days.push(formatIsoDate(addDays(from, n - daysSinceEpoch(from))));
  return days;
}


