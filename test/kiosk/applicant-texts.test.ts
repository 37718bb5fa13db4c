import { describe, expect, it } from 'vitest';
import { photoTexts } from '../../kiosk/ui/src/photo/photo-texts';
import type { Bilingual } from '../../shared/contract/kiosk-api';
import { messageCodes, messageParams } from '../../shared/contract/messages';
import { textOf } from '../../shared/i18n/message-catalogue';
import {
  cardTypeNames,
  decideEligibility,
  defaultCityRules,
  eligibilityReasons,
} from '../../shared/domain';
import { applicant, type ApplicantOverrides as Overrides } from '../shared/domain/applicant';

/**
 * Every text an applicant reads, from the controller, the rules and the camera component, speaks
 * Vietnamese and Indonesian: present, translated (not the English copied), with nothing left unfilled.
 */

/** Applicants chosen to reach every reason the rules can give (each branch of the decision). */
const applicants: readonly Overrides[] = [
  {},
  { birthDate: '1950-03-01', heldCards: [{ type: 'senior', status: 'active' }] },
  { birthDate: '1961-12-15' }, // turns 65 next month: the age rule "only from"
  { birthDate: '1968-01-10', indigenous: true },
  { birthDate: '1950-03-01', documents: { disabilityCertificate: { companionRequired: true } }, heldCards: [{ type: 'disability', status: 'active' }] },
  { documents: { disabilityCertificate: { companionRequired: false } } },
  { birthDate: '2016-04-02', documents: { school: 'elementary' } },
  { birthDate: '2012-04-02', documents: { school: 'junior-high' } },
  { birthDate: '2009-04-02', documents: { school: 'senior-high' } },
  { birthDate: '2021-04-02' }, // under 7
  { household: null, documents: { spouseOfResident: true, residencePermit: true } },
  { household: null, documents: { spouseOfResident: true } },
  { household: null, documents: { universityInTaoyuan: true } },
  { household: { city: '臺北市', district: '中正區' } },
  { household: { city: '桃園市', district: '信義區' } },
  { documents: { cityEmployee: true } },
];

const reasonTexts = (): Bilingual[] =>
  applicants.flatMap((overrides) => decideEligibility(applicant(overrides), defaultCityRules).cards.flatMap((card) => card.reasons));

const flat = (table: Record<string, Bilingual | Record<string, Bilingual>>): Array<[string, Bilingual]> =>
  Object.entries(table).flatMap(([key, value]): Array<[string, Bilingual]> =>
    'zh' in value && typeof value.zh === 'string' ? [[key, value as Bilingual]] : Object.entries(value as Record<string, Bilingual>).map(([k, v]) => [`${key}.${k}`, v]));

/** Sample parameters, as the controller fills them in. */
const sampleParams: Record<string, string | number> = { until: '14:05', attemptsLeft: 3, reason: 'The card is hot-listed' };

/** Every coded message of the controller (staff and applicants read them), its parameters filled in. */
const codedMessages = (): Array<[string, Bilingual]> =>
  messageCodes.map((code) => [code, textOf({ code, params: Object.fromEntries(messageParams[code].map((name: string) => [name, sampleParams[name] ?? name])) })]);

const tables: ReadonlyArray<[string, ReadonlyArray<[string, Bilingual]>]> = [
  ['coded messages (photo advice, staff messages)', codedMessages()],
  ['camera component', flat(photoTexts)],
  ['card type names', flat(cardTypeNames)],
  ['fixed eligibility reasons', flat(eligibilityReasons)],
  ['eligibility decisions', reasonTexts().map((text, index) => [`reason ${index}: ${text.en}`, text])],
];

// Every letter only Vietnamese writes: the bare ones and each with its tone mark (ế in "Thiếu", ộ in "cột").
const vietnameseLetters = /[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵấầẩẫậắằẳẵặếềểễệốồổỗộớờởỡợứừửữự]/i;
const cjkRuns = /[\u3400-\u9fff]+/g;
const digitRuns = /\d+/g;
const placeholders = /\$\{|[{}]|undefined|null|NaN|\[object|TODO|XXX/;

function problemsOf(text: Bilingual, language: 'vi' | 'id'): string[] {
  const translated = text[language];
  if (translated === undefined || !/\S/.test(translated)) return ['missing'];
  const problems: string[] = [];
  if (translated === text.en) problems.push('same as English');
  if (placeholders.test(translated)) problems.push('placeholder left in');
  // Chinese only where the English has it too (a city, a district, a card design: names from the rules).
  for (const run of translated.match(cjkRuns) ?? []) if (!text.en.includes(run)) problems.push(`Chinese "${run}"`);
  // Every number the English gives (ages, dates) is given in the translation too.
  for (const run of text.en.match(digitRuns) ?? []) if (!translated.includes(run)) problems.push(`number ${run} lost`);
  if (language === 'vi' && !vietnameseLetters.test(translated)) problems.push('no Vietnamese letters');
  if (language === 'id' && vietnameseLetters.test(translated)) problems.push('Vietnamese letters');
  return problems;
}

describe('applicant-facing texts', () => {
  it('reach every fixed eligibility reason with the sample applicants', () => {
    const given = new Set(reasonTexts().map((text) => text.en));
    for (const [key, text] of flat(eligibilityReasons)) expect(given.has(text.en), key).toBe(true);
  });

  for (const [name, entries] of tables) {
    it(`${name}: Vietnamese and Indonesian present, translated and filled in`, () => {
      expect(entries.length).toBeGreaterThan(0);
      const problems = entries.flatMap(([key, text]) =>
        (['vi', 'id'] as const).flatMap((language) => problemsOf(text, language).map((problem) => `${key} [${language}]: ${problem}`)));
      expect(problems).toEqual([]);
    });
  }

  it('catches a text left in English, with a placeholder or without its numbers', () => {
    expect(problemsOf({ zh: '請靠近', en: 'Come closer' }, 'vi')).toEqual(['missing']);
    expect(problemsOf({ zh: '請靠近', en: 'Come closer', vi: 'Come closer' }, 'vi')).toContain('same as English');
    expect(problemsOf({ zh: '滿 65 歲', en: 'aged 65', id: 'berusia ${age} tahun' }, 'id')).toEqual(['placeholder left in', 'number 65 lost']);
  });
});
