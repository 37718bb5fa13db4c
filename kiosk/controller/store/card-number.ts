import type { CardType } from '../../../shared/domain/card-types';

/**
 * Card numbers are 16 digits, printed on the card and written to its chip:
 *   `33` (Taoyuan) · kiosk number (4) · card type (1) · sequence (8) · Luhn check digit (1).
 * The kiosk number is assigned by the city registry, so numbers are unique across the fleet
 * without asking anyone at issuance time (mobile kiosks are often offline).
 */
export const cityPrefix = '33';
export const maxKioskNumber = 9999;
export const maxSequence = 99_999_999;

const cardTypeDigits: Readonly<Record<CardType, string>> = {
  general: '1', senior: '2', 'indigenous-senior': '3', disability: '4', companion: '5', student: '6', employee: '7',
};

export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function formatCardNumber(kioskNumber: number, cardType: CardType, sequence: number): string {
  if (!Number.isInteger(kioskNumber) || kioskNumber < 1 || kioskNumber > maxKioskNumber) {
    throw new Error(`kiosk number ${kioskNumber} is outside 1..${maxKioskNumber}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > maxSequence) {
    throw new Error(`card sequence ${sequence} is outside 1..${maxSequence}: this kiosk number is used up`);
  }
  const body = `${cityPrefix}${String(kioskNumber).padStart(4, '0')}${cardTypeDigits[cardType]}${String(sequence).padStart(8, '0')}`;
  return `${body}${luhnCheckDigit(body)}`;
}

export function isValidCardNumber(cardNumber: string): boolean {
  return /^\d{16}$/.test(cardNumber) && luhnCheckDigit(cardNumber.slice(0, 15)) === Number(cardNumber[15]);
}
