import { assertNever } from '../result';
import { ageOn, compareDates, firstOfBirthdayMonth, formatIsoDate, parseIsoDate, type CalendarDate } from './calendar-date';
import { cardTypeNames, type CardType } from './card-types';
import type { EligibilityInput } from './eligibility-input';
import type { CityRules } from './rules';

/** Every decision explains itself, in Traditional Chinese and English. */
export interface Reason {
  readonly zh: string;
  readonly en: string;
}

export interface CardDecision {
  readonly type: CardType;
  readonly eligible: boolean;
  /** `replacement` when the person already holds a card of this type; null when not eligible. */
  readonly action: 'new' | 'replacement' | null;
  readonly reasons: readonly Reason[];
  /** Welfare points loaded each month (0 when not eligible or none for this type). */
  readonly monthlyPoints: number;
  /** The student card's design by school level; null otherwise. */
  readonly design: string | null;
  /** Other types this person could also have or holds, of which only one may be held. */
  readonly exclusiveWith: readonly CardType[];
}

export interface EligibilityDecision {
  /** One entry per card type on offer, in the rules' order. */
  readonly cards: readonly CardDecision[];
  readonly guardianConsentRequired: boolean;
}

interface Facts {
  readonly input: EligibilityInput;
  readonly rules: CityRules;
  readonly today: CalendarDate;
  readonly birth: CalendarDate;
  readonly age: number;
  /** The household district when registered in the city, else null. */
  readonly district: string | null;
  readonly householdReason: Reason;
}

interface Assessment {
  readonly eligible: boolean;
  readonly reasons: Reason[];
}

/**
 * Decides, for each card type on offer, whether the applicant may have it and why. Pure: the input must
 * satisfy `eligibilityInputSchema` (dates that do not parse are a programming error and throw).
 */
export function decideEligibility(input: EligibilityInput, rules: CityRules): EligibilityDecision {
  const today = requireDate(input.applicationDate, 'applicationDate');
  const birth = requireDate(input.birthDate, 'birthDate');
  const facts: Facts = { input, rules, today, birth, age: ageOn(birth, today), ...household(input, rules) };
  const guardianConsentRequired = facts.age < rules.ages.guardianConsentBelow;

  const offered = rules.cardTypes;
  const assessments: Assessment[] = offered.map((type) => (type === 'general' ? { eligible: false, reasons: [] } : assess(type, facts)));
  const generalIndex = offered.indexOf('general');
  if (generalIndex !== -1) {
    const others: CardType[] = [];
    offered.forEach((type, i) => {
      if (type !== 'general' && assessments[i]?.eligible === true) others.push(type);
    });
    assessments[generalIndex] = assessGeneral(facts, others);
  }

  const cards = offered.map((type, i): CardDecision => {
    const assessment = assessments[i] ?? { eligible: false, reasons: [] };
    if (!assessment.eligible) {
      return { type, eligible: false, action: null, reasons: assessment.reasons, monthlyPoints: 0, design: null, exclusiveWith: [] };
    }
    const reasons = assessment.reasons;
    const held = holds(input, rules, type);
    reasons.push(
      held
        ? { zh: `已持有${cardTypeNames[type].zh}：本次為補發`, en: `already holds a ${cardTypeNames[type].en}: this is a replacement` }
        : { zh: `未持有${cardTypeNames[type].zh}：本次為新申辦（首張免費）`, en: `holds no ${cardTypeNames[type].en}: this is a new card (the first card is free)` },
    );
    const exclusiveWith = exclusivePartners(type, offered, assessments, facts);
    if (exclusiveWith.length > 0) reasons.push(exclusivityReason(type, exclusiveWith, input, rules));
    if (guardianConsentRequired) {
      reasons.push({
        zh: `申請人 ${facts.age} 歲，未滿 ${rules.ages.guardianConsentBelow} 歲：須經法定代理人同意`,
        en: `the applicant is ${facts.age}, under ${rules.ages.guardianConsentBelow}: a legal guardian must consent`,
      });
    }
    return {
      type,
      eligible: true,
      action: held ? 'replacement' : 'new',
      reasons,
      monthlyPoints: monthlyPoints(type, facts),
      design: type === 'student' && input.documents.school !== null ? rules.studentDesigns[input.documents.school] : null,
      exclusiveWith,
    };
  });
  return { cards, guardianConsentRequired };
}

function assess(type: Exclude<CardType, 'general'>, facts: Facts): Assessment {
  const { input, rules } = facts;
  switch (type) {
    case 'senior':
      return seniorAssessment(facts, rules.ages.senior, null);
    case 'indigenous-senior':
      return seniorAssessment(facts, rules.ages.indigenousSenior, input.indigenous);
    case 'disability': {
      const certified = input.documents.disabilityCertificate !== null;
      return all(facts.district !== null, [facts.householdReason], certified, certified ? reasons.hasCertificate : reasons.noCertificate);
    }
    case 'companion': {
      const certificate = input.documents.disabilityCertificate;
      const needed = certificate?.companionRequired === true;
      const reason =
        certificate === null
          ? reasons.noCertificate
          : needed
            ? { zh: '身心障礙證明註記「必要陪伴者」', en: 'the disability certificate notes that a companion is necessary' }
            : { zh: '身心障礙證明未註記必要陪伴者', en: 'the disability certificate does not note a necessary companion' };
      return all(facts.district !== null, [facts.householdReason], needed, reason);
    }
    case 'student': {
      const school = input.documents.school;
      if (school === null) {
        return { eligible: false, reasons: [{ zh: '非桃園市國小、國中或市立高中在學學生', en: 'not enrolled at a Taoyuan elementary, junior-high or city senior-high school' }] };
      }
      const design = rules.studentDesigns[school];
      return { eligible: true, reasons: [{ zh: `${schoolNames[school].zh}在學學生：卡面「${design}」`, en: `enrolled at a Taoyuan ${schoolNames[school].en}: design ${design}` }] };
    }
    case 'employee':
      return input.documents.cityEmployee
        ? { eligible: true, reasons: [{ zh: '桃園市政府所屬機關學校員工：經人事單位申辦', en: 'city government staff: applied for through the personnel office' }] }
        : { eligible: false, reasons: [{ zh: '非桃園市政府所屬機關學校員工', en: 'not on the city government staff' }] };
    default:
      return assertNever(type);
  }
}

/** Senior cards start on the first day of the month of the qualifying birthday (not on the birthday). */
function seniorAssessment(facts: Facts, age: number, indigenous: boolean | null): Assessment {
  const from = firstOfBirthdayMonth(facts.birth, age);
  const old = compareDates(facts.today, from) >= 0;
  const fromText = formatIsoDate(from);
  const list: Reason[] = [facts.householdReason];
  if (indigenous !== null) {
    list.push(indigenous ? { zh: '具原住民身分', en: 'has indigenous status' } : { zh: '不具原住民身分', en: 'has no indigenous status' });
  }
  list.push(
    old
      ? { zh: `自 ${fromText}（年滿 ${age} 歲當月 1 日）起符合年齡資格`, en: `meets the age rule from ${fromText}, the first day of the month of the ${age}th birthday` }
      : { zh: `須至 ${fromText}（年滿 ${age} 歲當月 1 日）起方符合年齡資格`, en: `meets the age rule only from ${fromText}, the first day of the month of the ${age}th birthday` },
  );
  return { eligible: facts.district !== null && old && indigenous !== false, reasons: list };
}

/**
 * The general card is the fallback: a Taoyuan household at age 7+, a resident's spouse with a residence
 * permit, or a university student in Taoyuan — and only when no other card type applies.
 */
function assessGeneral(facts: Facts, others: readonly CardType[]): Assessment {
  const { input, rules } = facts;
  const list: Reason[] = [];
  const byHousehold = facts.district !== null && facts.age >= rules.ages.general;
  if (facts.district !== null) {
    list.push(
      facts.age >= rules.ages.general
        ? { zh: `設籍${rules.city}且年滿 ${rules.ages.general} 歲`, en: `household registered in ${rules.city} and aged ${rules.ages.general} or over` }
        : { zh: `設籍${rules.city}但未滿 ${rules.ages.general} 歲`, en: `household registered in ${rules.city} but under ${rules.ages.general}` },
    );
  } else {
    list.push(facts.householdReason);
  }
  const spouse = input.documents.spouseOfResident && input.documents.residencePermit;
  if (spouse) list.push({ zh: '國人之外籍、大陸或港澳配偶，持有居留證', en: 'foreign, PRC, Hong Kong or Macau spouse of a resident holding a residence permit' });
  else if (input.documents.spouseOfResident) list.push({ zh: '國人配偶但未持有居留證', en: "a resident's spouse without a residence permit" });
  if (input.documents.universityInTaoyuan) list.push({ zh: '桃園市大專院校在學學生', en: 'a university student in Taoyuan' });
  const route = byHousehold || spouse || input.documents.universityInTaoyuan;
  if (route && others.length > 0) {
    list.push({
      zh: `一般卡僅適用於不符合其他卡別者；本人符合${others.map((t) => cardTypeNames[t].zh).join('、')}`,
      en: `the general card is only for those eligible for no other type; eligible for: ${others.map((t) => cardTypeNames[t].en).join(', ')}`,
    });
  }
  return { eligible: route && others.length === 0, reasons: list };
}

function household(input: EligibilityInput, rules: CityRules): { district: string | null; householdReason: Reason } {
  const h = input.household;
  if (h === null) {
    return { district: null, householdReason: { zh: `未設籍${rules.city}`, en: `no household registration in ${rules.city}` } };
  }
  if (h.city !== rules.city) {
    return { district: null, householdReason: { zh: `戶籍在${h.city}，非${rules.city}`, en: `household registered in ${h.city}, not ${rules.city}` } };
  }
  if (!rules.districts.includes(h.district)) {
    return { district: null, householdReason: { zh: `「${h.district}」不是${rules.city}的行政區`, en: `'${h.district}' is not a district of ${rules.city}` } };
  }
  return { district: h.district, householdReason: { zh: `設籍${rules.city}${h.district}`, en: `household registered in ${h.district}, ${rules.city}` } };
}

function all(householdOk: boolean, list: Reason[], condition: boolean, reason: Reason): Assessment {
  list.push(reason);
  return { eligible: householdOk && condition, reasons: list };
}

function holds(input: EligibilityInput, rules: CityRules, type: CardType): boolean {
  return input.heldCards.some((card) => card.type === type && rules.replacementStatuses.includes(card.status));
}

function exclusivePartners(type: CardType, offered: readonly CardType[], assessments: readonly Assessment[], facts: Facts): CardType[] {
  const partners: CardType[] = [];
  for (const group of facts.rules.exclusivityGroups) {
    if (!group.includes(type)) continue;
    for (const other of group) {
      if (other === type || partners.includes(other)) continue;
      const index = offered.indexOf(other);
      if ((index !== -1 && assessments[index]?.eligible === true) || holds(facts.input, facts.rules, other)) partners.push(other);
    }
  }
  return partners;
}

function exclusivityReason(type: CardType, partners: readonly CardType[], input: EligibilityInput, rules: CityRules): Reason {
  const held = partners.filter((other) => holds(input, rules, other));
  const zhNames = partners.map((t) => cardTypeNames[t].zh).join('、');
  const enNames = partners.map((t) => cardTypeNames[t].en).join(', ');
  const me = cardTypeNames[type];
  if (held.length > 0) {
    const heldZh = held.map((t) => cardTypeNames[t].zh).join('、');
    const heldEn = held.map((t) => cardTypeNames[t].en).join(', ');
    return {
      zh: `${me.zh}與${zhNames}只能擇一；已持有${heldZh}，改辦須放棄原卡`,
      en: `the ${me.en} and the ${enNames} are mutually exclusive; already holds the ${heldEn}, which must be given up to take this one`,
    };
  }
  return {
    zh: `${me.zh}與${zhNames}只能擇一，由申請人選擇`,
    en: `the ${me.en} and the ${enNames} are mutually exclusive: the applicant chooses one`,
  };
}

function monthlyPoints(type: CardType, facts: Facts): number {
  const points = facts.rules.monthlyPoints;
  const override = facts.district === null ? undefined : points.byDistrict[facts.district]?.[type];
  return override ?? points.byCardType[type];
}

const reasons = {
  hasCertificate: { zh: '持有身心障礙證明', en: 'holds a disability certificate' },
  noCertificate: { zh: '未持有身心障礙證明', en: 'holds no disability certificate' },
} as const satisfies Record<string, Reason>;

const schoolNames = {
  elementary: { zh: '桃園市國小', en: 'elementary school' },
  'junior-high': { zh: '桃園市國中', en: 'junior-high school' },
  'senior-high': { zh: '桃園市立高中', en: 'city senior-high school' },
} as const;

function requireDate(text: string, field: string): CalendarDate {
  const date = parseIsoDate(text);
  if (date === null) throw new TypeError(`decideEligibility: ${field} is not a YYYY-MM-DD date (validate with eligibilityInputSchema)`);
  return date;
}
