import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cardStatuses,
  cardTypes,
  dateFromDaysSinceEpoch,
  daysSinceEpoch,
  decideEligibility,
  defaultCityRules,
  eligibilityInputSchema,
  formatIsoDate,
  isLeapYear,
  type CardDecision,
  type CardType,
  type CityRules,
  type EligibilityDecision,
} from '../../../shared/domain';
import { applicant, type ApplicantOverrides as Overrides } from './applicant';

const decide = (overrides: Overrides = {}, rules: CityRules = defaultCityRules) => decideEligibility(applicant(overrides), rules);

function card(decision: EligibilityDecision, type: CardType): CardDecision {
  const found = decision.cards.find((c) => c.type === type);
  if (!found) throw new Error(`no decision for ${type}`);
  return found;
}

const eligibleTypes = (decision: EligibilityDecision) => decision.cards.filter((c) => c.eligible).map((c) => c.type);
const english = (c: CardDecision) => c.reasons.map((r) => r.en).join(' | ');

describe('decideEligibility', () => {
  it('lists every card type on offer once, in the order of the rules', () => {
    expect(decide().cards.map((c) => c.type)).toEqual([...cardTypes]);
  });

  it('gives a Taoyuan adult with nothing else the general card, new and free of points', () => {
    const decision = decide();
    expect(eligibleTypes(decision)).toEqual(['general']);
    expect(card(decision, 'general')).toMatchObject({ action: 'new', monthlyPoints: 0, design: null, exclusiveWith: [] });
    expect(decision.guardianConsentRequired).toBe(false);
  });

  it('gives the general card from age 7', () => {
    expect(card(decide({ birthDate: '2019-11-30' }), 'general').eligible).toBe(false);
    expect(card(decide({ birthDate: '2019-11-29' }), 'general').eligible).toBe(true);
    expect(english(card(decide({ birthDate: '2019-11-30' }), 'general'))).toContain('under 7');
  });

  it('refuses the general card without a Taoyuan household, naming why', () => {
    expect(card(decide({ household: null }), 'general').eligible).toBe(false);
    const elsewhere = card(decide({ household: { city: '臺北市', district: '中正區' } }), 'general');
    expect(elsewhere.eligible).toBe(false);
    expect(elsewhere.reasons[0]).toMatchObject({ zh: '戶籍在臺北市，非桃園市', en: 'household registered in 臺北市, not 桃園市' });
    expect(english(card(decide({ household: { city: '桃園市', district: '信義區' } }), 'general'))).toContain('not a district');
  });

  describe('senior card: from the first day of the month of the 65th birthday', () => {
    const born = '1961-11-30';
    it('is open on the 1st of that month, before the birthday itself', () => {
      const decision = decide({ birthDate: born, applicationDate: '2026-11-01' });
      expect(card(decision, 'senior')).toMatchObject({ eligible: true, action: 'new', monthlyPoints: 800 });
      expect(english(card(decision, 'senior'))).toContain('from 2026-11-01');
    });

    it('is closed on the last day of the month before', () => {
      const decision = decide({ birthDate: born, applicationDate: '2026-10-31' });
      expect(card(decision, 'senior')).toMatchObject({ eligible: false, action: null, monthlyPoints: 0 });
      expect(english(card(decision, 'senior'))).toContain('only from 2026-11-01');
      expect(card(decision, 'general').eligible).toBe(true);
    });

    it('replaces the general card: general is only the fallback', () => {
      const decision = decide({ birthDate: born, applicationDate: '2026-11-01' });
      expect(card(decision, 'general').eligible).toBe(false);
      expect(english(card(decision, 'general'))).toContain('eligible for: senior card');
    });

    it('gets 1,000 points a month in 復興區', () => {
      const decision = decide({ birthDate: '1950-01-01', household: { city: '桃園市', district: '復興區' } });
      expect(card(decision, 'senior').monthlyPoints).toBe(1_000);
    });

    it('needs a Taoyuan household', () => {
      expect(card(decide({ birthDate: '1950-01-01', household: null }), 'senior').eligible).toBe(false);
    });
  });

  describe('someone born on 29 February, on every day from 2024-01-01 to 2100-12-31', () => {
    // The qualifying year of a leap-day birth at 65 or 55 is always a common year (leap + odd); a city
    // with even ages (64, 56) puts it in a leap year: both are walked.
    const cases = [
      { type: 'senior', indigenous: false, age: 65 },
      { type: 'senior', indigenous: false, age: 64 },
      { type: 'indigenous-senior', indigenous: true, age: 55 },
      { type: 'indigenous-senior', indigenous: true, age: 56 },
    ] as const;
    it.each(cases)('opens the $type card on 1 February of the year of the birthday at $age', ({ type, indigenous, age }) => {
      const ages = type === 'senior' ? { senior: age } : { indigenousSenior: age };
      const rules: CityRules = { ...defaultCityRules, ages: { ...defaultCityRules.ages, ...ages } };
      const wrong: string[] = [];
      let leapYearBirthdays = 0;
      const last = daysSinceEpoch({ year: 2100, month: 12, day: 31 });
      for (let days = daysSinceEpoch({ year: 2024, month: 1, day: 1 }); days <= last; days++) {
        const today = dateFromDaysSinceEpoch(days);
        // Each leap-day birth whose qualifying year is last year, this year or next year.
        for (let year = today.year - age - 1; year <= today.year - age + 1; year++) {
          if (!isLeapYear(year)) continue;
          const from = `${year + age}-02-01`;
          const decision = card(decide({ birthDate: `${year}-02-29`, applicationDate: formatIsoDate(today), indigenous }, rules), type);
          const expected = formatIsoDate(today) >= from;
          if (decision.eligible !== expected || !english(decision).includes(from)) wrong.push(`born ${year}-02-29, on ${formatIsoDate(today)}: ${english(decision)}`);
          if (isLeapYear(year + age) && formatIsoDate(today) === from) leapYearBirthdays++;
        }
      }
      expect(wrong).toEqual([]);
      expect(leapYearBirthdays > 0).toBe(age % 2 === 0);
    });
  });

  describe('indigenous senior card: the same rule at 55', () => {
    it('opens on the 1st of the month of the 55th birthday for an indigenous applicant', () => {
      const before = decide({ birthDate: '1971-12-15', indigenous: true, applicationDate: '2026-11-30' });
      const on = decide({ birthDate: '1971-12-15', indigenous: true, applicationDate: '2026-12-01' });
      expect(card(before, 'indigenous-senior').eligible).toBe(false);
      expect(card(on, 'indigenous-senior')).toMatchObject({ eligible: true, monthlyPoints: 800 });
      expect(card(on, 'senior').eligible).toBe(false);
      expect(card(on, 'general').eligible).toBe(false);
    });

    it('is closed without indigenous status, and pays 1,000 points in 復興區', () => {
      expect(card(decide({ birthDate: '1960-01-01' }), 'indigenous-senior').eligible).toBe(false);
      expect(english(card(decide({ birthDate: '1960-01-01' }), 'indigenous-senior'))).toContain('no indigenous status');
      const fuxing = decide({ birthDate: '1960-01-01', indigenous: true, household: { city: '桃園市', district: '復興區' } });
      expect(card(fuxing, 'indigenous-senior').monthlyPoints).toBe(1_000);
    });
  });

  describe('disability and companion cards', () => {
    it('gives the disability card with a certificate and a household', () => {
      const decision = decide({ documents: { disabilityCertificate: { companionRequired: false } } });
      expect(card(decision, 'disability')).toMatchObject({ eligible: true, monthlyPoints: 800 });
      expect(card(decision, 'companion').eligible).toBe(false);
      expect(english(card(decision, 'companion'))).toContain('does not note a necessary companion');
      expect(card(decision, 'general').eligible).toBe(false);
      expect(card(decide({ household: null, documents: { disabilityCertificate: { companionRequired: false } } }), 'disability').eligible).toBe(false);
    });

    it('gives the companion card when the certificate notes a necessary companion, with no points of its own', () => {
      const decision = decide({ documents: { disabilityCertificate: { companionRequired: true } } });
      expect(card(decision, 'companion')).toMatchObject({ eligible: true, action: 'new', monthlyPoints: 0, exclusiveWith: [] });
      expect(card(decision, 'disability').eligible).toBe(true);
    });
  });

  describe('exclusivity of senior, indigenous senior and disability cards', () => {
    it('says so when the applicant may have several: the applicant chooses one', () => {
      const decision = decide({ birthDate: '1950-01-01', indigenous: true, documents: { disabilityCertificate: { companionRequired: false } } });
      expect(card(decision, 'senior').exclusiveWith).toEqual(['indigenous-senior', 'disability']);
      expect(card(decision, 'disability').exclusiveWith).toEqual(['senior', 'indigenous-senior']);
      expect(english(card(decision, 'senior'))).toContain('mutually exclusive: the applicant chooses one');
      expect(card(decision, 'senior').reasons.some((r) => r.zh.includes('只能擇一'))).toBe(true);
    });

    it('names a held card of the group that would have to be given up', () => {
      const decision = decide({ birthDate: '1950-01-01', heldCards: [{ type: 'disability', status: 'active' }] });
      expect(card(decision, 'senior').exclusiveWith).toEqual(['disability']);
      expect(english(card(decision, 'senior'))).toContain('already holds the disability card');
    });

    it('is a setting: a city without exclusivity groups lists none', () => {
      const rules: CityRules = { ...defaultCityRules, exclusivityGroups: [] };
      const decision = decide({ birthDate: '1950-01-01', documents: { disabilityCertificate: { companionRequired: false } } }, rules);
      expect(card(decision, 'senior').exclusiveWith).toEqual([]);
      expect(card(decision, 'disability').exclusiveWith).toEqual([]);
    });
  });

  describe('replacement or new', () => {
    it('makes it a replacement when a card of the type is held active or hot-listed (reported lost)', () => {
      expect(card(decide({ heldCards: [{ type: 'general', status: 'active' }] }), 'general').action).toBe('replacement');
      expect(card(decide({ heldCards: [{ type: 'general', status: 'hot-listed' }] }), 'general').action).toBe('replacement');
      expect(english(card(decide({ heldCards: [{ type: 'general', status: 'active' }] }), 'general'))).toContain('replacement');
    });

    it('makes it new when the held card is void or expired, or of another type', () => {
      expect(card(decide({ heldCards: [{ type: 'general', status: 'void' }, { type: 'general', status: 'expired' }] }), 'general').action).toBe('new');
      expect(card(decide({ heldCards: [{ type: 'student', status: 'active' }] }), 'general').action).toBe('new');
    });
  });

  describe('guardian consent under 18', () => {
    it('is required the day before the 18th birthday and not on it', () => {
      expect(decide({ birthDate: '2008-11-30' }).guardianConsentRequired).toBe(true);
      expect(decide({ birthDate: '2008-11-29' }).guardianConsentRequired).toBe(false);
      expect(english(card(decide({ birthDate: '2008-11-30', documents: { school: 'senior-high' } }), 'student'))).toContain('legal guardian must consent');
    });

    it('counts a 29 February birthday from 1 March in a common year', () => {
      expect(decide({ birthDate: '2008-02-29', applicationDate: '2026-02-28' }).guardianConsentRequired).toBe(true);
      expect(decide({ birthDate: '2008-02-29', applicationDate: '2026-03-01' }).guardianConsentRequired).toBe(false);
    });
  });

  describe('student card', () => {
    it.each([
      ['elementary', '桃花紅', '2016-04-01'],
      ['junior-high', '水塘綠', '2012-04-01'],
      ['senior-high', '高山青', '2009-04-01'],
    ] as const)('gives %s pupils the %s design, not the general card', (school, design, birthDate) => {
      const decision = decide({ birthDate, documents: { school } });
      expect(card(decision, 'student')).toMatchObject({ eligible: true, design, monthlyPoints: 0 });
      expect(card(decision, 'general').eligible).toBe(false);
      expect(decision.guardianConsentRequired).toBe(true);
    });

    it('has no design when not eligible', () => {
      expect(card(decide(), 'student')).toMatchObject({ eligible: false, design: null });
    });
  });

  describe('general card by other routes', () => {
    it('is open to a resident’s foreign spouse holding a residence permit, with no household', () => {
      const decision = decide({ household: null, documents: { spouseOfResident: true, residencePermit: true } });
      expect(eligibleTypes(decision)).toEqual(['general']);
      expect(english(card(decision, 'general'))).toContain('residence permit');
    });

    it('is closed to a spouse without a residence permit', () => {
      expect(card(decide({ household: null, documents: { spouseOfResident: true } }), 'general').eligible).toBe(false);
      expect(card(decide({ household: null, documents: { residencePermit: true } }), 'general').eligible).toBe(false);
    });

    it('is open to a university student in Taoyuan', () => {
      expect(card(decide({ household: null, birthDate: '2006-01-01', documents: { universityInTaoyuan: true } }), 'general').eligible).toBe(true);
    });
  });

  it('gives city staff the employee card instead of the general card', () => {
    const decision = decide({ documents: { cityEmployee: true } });
    expect(eligibleTypes(decision)).toEqual(['employee']);
    expect(english(card(decision, 'general'))).toContain('eligible for: employee card');
  });

  it('reads the rules as data: types on offer, ages and points', () => {
    const rules: CityRules = {
      ...defaultCityRules,
      cardTypes: ['general', 'senior', 'student'],
      ages: { ...defaultCityRules.ages, senior: 70 },
      monthlyPoints: { ...defaultCityRules.monthlyPoints, byCardType: { ...defaultCityRules.monthlyPoints.byCardType, senior: 500 } },
    };
    const at66 = decide({ birthDate: '1960-01-01', documents: { disabilityCertificate: { companionRequired: true } } }, rules);
    expect(at66.cards.map((c) => c.type)).toEqual(['general', 'senior', 'student']);
    expect(card(at66, 'senior').eligible).toBe(false);
    // Disability is not on offer in this city, so the general card is the fallback again.
    expect(card(at66, 'general').eligible).toBe(true);
    expect(card(decide({ birthDate: '1950-01-01' }, rules), 'senior').monthlyPoints).toBe(500);
  });

  it('explains every decision in Traditional Chinese and English', () => {
    const decision = decide({ birthDate: '1950-01-01', documents: { disabilityCertificate: { companionRequired: true } } });
    for (const c of decision.cards) {
      expect(c.reasons.length).toBeGreaterThan(0);
      for (const reason of c.reasons) {
        expect(reason.zh).toMatch(/\p{Script=Han}/u);
        expect(reason.en).toMatch(/^[\x20-\x7e\u4e00-\u9fff]+$/u);
      }
    }
  });

  it('holds its invariants for any valid input', () => {
    const date = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const input = fc.record({
      applicationDate: date,
      birthDate: date,
      household: fc.option(fc.record({ city: fc.constantFrom('桃園市', '臺北市'), district: fc.constantFrom(...defaultCityRules.districts, '信義區') }), { nil: null }),
      indigenous: fc.boolean(),
      documents: fc.record({
        disabilityCertificate: fc.option(fc.record({ companionRequired: fc.boolean() }), { nil: null }),
        residencePermit: fc.boolean(),
        spouseOfResident: fc.boolean(),
        universityInTaoyuan: fc.boolean(),
        school: fc.constantFrom('elementary', 'junior-high', 'senior-high', null),
        cityEmployee: fc.boolean(),
      }),
      heldCards: fc.array(fc.record({ type: fc.constantFrom(...cardTypes), status: fc.constantFrom(...cardStatuses) }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(input, (raw) => {
        const parsed = eligibilityInputSchema.safeParse(raw);
        if (!parsed.success) {
          expect(raw.birthDate > raw.applicationDate).toBe(true);
          return;
        }
        const decision = decideEligibility(parsed.data, defaultCityRules);
        const general = card(decision, 'general');
        if (general.eligible) expect(eligibleTypes(decision)).toEqual(['general']);
        for (const c of decision.cards) {
          expect(c.action === null).toBe(!c.eligible);
          if (!c.eligible) expect(c).toMatchObject({ monthlyPoints: 0, design: null, exclusiveWith: [] });
          expect(c.reasons.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('eligibilityInputSchema', () => {
  const paths = (value: unknown) => {
    const result = eligibilityInputSchema.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  };

  it('accepts the documented shape', () => {
    expect(paths(applicant())).toEqual([]);
  });

  it('names missing and malformed fields', () => {
    const { heldCards: _heldCards, ...missing } = applicant();
    expect(paths(missing)).toEqual(['heldCards']);
    expect(paths({ ...applicant(), birthDate: '1986-02-30' })).toEqual(['birthDate']);
    expect(paths({ ...applicant(), applicationDate: '2026/11/29' })).toEqual(['applicationDate']);
    expect(paths(applicant({ documents: { school: 'college' as never } }))).toEqual(['documents.school']);
    expect(paths(applicant({ heldCards: [{ type: 'gold' as never, status: 'active' }] }))).toEqual(['heldCards.0.type']);
    expect(paths({ ...applicant(), household: { city: '桃園市' } })).toEqual(['household.district']);
  });

  it("takes held cards in the store's status words, and only in those", () => {
    for (const status of cardStatuses) expect(paths(applicant({ heldCards: [{ type: 'general', status }] }))).toEqual([]);
    expect(paths(applicant({ heldCards: [{ type: 'general', status: 'reported-lost' as never }] }))).toEqual(['heldCards.0.status']);
  });

  it('refuses a birth date after the application date', () => {
    expect(paths(applicant({ birthDate: '2026-11-30' }))).toEqual(['birthDate']);
  });
});
