import { describe, expect, it } from 'vitest';
import { formatCardNumber, isValidCardNumber, luhnCheckDigit } from '../../../../kiosk/controller/store/card-number';

describe('card numbers', () => {
  it('uses the standard Luhn check digit', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(isValidCardNumber('3300012000000014')).toBe(true);
    expect(isValidCardNumber('3300012000000015')).toBe(false);
    expect(isValidCardNumber('TY-K01-S-0000001')).toBe(false);
  });

  it('puts the city, the kiosk number, the card type and the sequence in 16 digits', () => {
    expect(formatCardNumber(1234, 'student', 42)).toMatch(/^331234600000042\d$/);
    expect(formatCardNumber(9999, 'employee', 99_999_999)).toHaveLength(16);
    expect(isValidCardNumber(formatCardNumber(7, 'general', 5))).toBe(true);
  });

  it('refuses a kiosk number or a sequence that does not fit', () => {
    expect(() => formatCardNumber(0, 'general', 1)).toThrow(/kiosk number 0/);
    expect(() => formatCardNumber(10_000, 'general', 1)).toThrow(/outside 1..9999/);
    expect(() => formatCardNumber(1, 'general', 100_000_000)).toThrow(/used up/);
  });
});
