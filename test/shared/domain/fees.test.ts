import { describe, expect, it } from 'vitest';
import { defaultCityRules, eWalletHeadroom, issuanceFee, replacementFee, type CityRules } from '../../../shared/domain';

describe('fees', () => {
  it('charges the configured fee for a card lost, damaged by the holder or with changed data', () => {
    for (const cause of ['lost', 'damaged', 'data-changed'] as const) {
      expect(replacementFee('general', cause, defaultCityRules)).toBe(94);
      expect(replacementFee('senior', cause, defaultCityRules)).toBe(94);
    }
  });

  it('charges nothing for a card defect or an agency transfer', () => {
    expect(replacementFee('general', 'defect', defaultCityRules)).toBe(0);
    expect(replacementFee('general', 'transfer', defaultCityRules)).toBe(0);
  });

  it('charges employee cards their own fee', () => {
    expect(replacementFee('employee', 'lost', defaultCityRules)).toBe(50);
    expect(replacementFee('employee', 'defect', defaultCityRules)).toBe(0);
  });

  it('gives the first card free and follows the rules object', () => {
    expect(issuanceFee('new', 'general', 'lost', defaultCityRules)).toBe(0);
    expect(issuanceFee('replacement', 'general', 'lost', defaultCityRules)).toBe(94);
    const rules: CityRules = { ...defaultCityRules, fees: { ...defaultCityRules.fees, replacement: { ...defaultCityRules.fees.replacement, lost: 100 } } };
    expect(replacementFee('general', 'lost', rules)).toBe(100);
  });

  it('caps the e-wallet at NT$10,000', () => {
    expect(defaultCityRules.eWalletCap).toBe(10_000);
    expect(eWalletHeadroom(9_500, defaultCityRules)).toBe(500);
    expect(eWalletHeadroom(10_000, defaultCityRules)).toBe(0);
    expect(eWalletHeadroom(12_000, defaultCityRules)).toBe(0);
  });
});
