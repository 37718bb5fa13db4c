import { describe, expect, it } from 'vitest';
import { emptyApplicationForm } from '../../../../shared/contract/kiosk-api';
import { defaultCityRules } from '../../../../shared/domain/rules';
import { assessApplication } from '../../../../kiosk/controller/issuance/assess-application';
import { recommendedCardType } from '../../../../kiosk/controller/issuance/recommended-card';

const card = (type: 'general' | 'senior' | 'disability' | 'companion', eligible: boolean, monthlyPoints = 0) => ({ type, eligible, monthlyPoints });

describe('the recommended card type', () => {
  it('is the eligible one with most monthly points, then a welfare card over the general one, then the rules\' order', () => {
    expect(recommendedCardType({ cards: [card('general', true), card('senior', true, 800)] as never })).toBe('senior');
    expect(recommendedCardType({ cards: [card('general', true), card('disability', true)] as never })).toBe('disability');
    expect(recommendedCardType({ cards: [card('general', true), card('disability', true), card('companion', true)] as never })).toBe('disability');
    expect(recommendedCardType({ cards: [card('general', true), card('senior', false)] as never })).toBe('general');
    expect(recommendedCardType({ cards: [card('general', false)] as never })).toBeNull();
  });

  it('is in the eligibility view the controller sends: a Taoyuan senior is recommended the senior card', async () => {
    const assessment = await assessApplication(
      { ...emptyApplicationForm, idNumber: 'A123456789', name: 'LIN', birthDate: '1950-01-01', district: '桃園區' },
      { rules: defaultCityRules, today: () => '2026-11-29', heldCards: async () => [] },
    );
    expect(assessment.eligibility?.cards.find((c) => c.type === 'senior')?.eligible).toBe(true);
    expect(assessment.eligibility?.recommended).toBe('senior');
  });
});
