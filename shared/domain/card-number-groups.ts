/**
 * A card number as the card face prints it, and so as screens show it (the done view, the queue): digits
 * in groups of four ("3300 0110 0000 0014"); anything else as given. One function for both, so what staff
 * read out is what the applicant sees on the card.
 */
export function cardNumberInGroups(cardNumber: string): string {
  return /^\d+$/.test(cardNumber) ? (cardNumber.match(/.{1,4}/g) ?? []).join(' ') : cardNumber;
}
