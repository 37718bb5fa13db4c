import { addYears, formatIsoDate, parseIsoDate, type CalendarDate } from './calendar-date';

/** The city's cards carry no hard expiry; the chip says ten years. */
export const cardValidityYears = 10;

/**
 * The expiry written on a card issued on `issuedOn`: the card is valid until the end of that day. Issued on
 * 29 February, it expires on 28 February (see `addYears`): the chip stores real days only.
 */
export function cardExpiresOn(issuedOn: CalendarDate): CalendarDate {
  return addYears(issuedOn, cardValidityYears);
}

/** `cardExpiresOn` over YYYY-MM-DD text (a clock's day); text that is not a real day is a programming error. */
export function cardExpiryText(issuedOn: string): string {
  const issued = parseIsoDate(issuedOn);
  if (issued === null) throw new TypeError(`cardExpiryText: '${issuedOn}' is not a YYYY-MM-DD day`);
  return formatIsoDate(cardExpiresOn(issued));
}
