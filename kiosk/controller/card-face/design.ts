import { printedWords } from '../../../shared/card-design/printed-words';
import { cardTypeNames, type CardType, type SchoolLevel, type TransitScheme } from '../../../shared/domain/card-types';

/** The look of each card type: its colour and its printed name. */
export interface CardDesign {
  /** Main colour (header band, badge). */
  readonly colour: string;
  /** A pale tint of it for the card background. */
  readonly tint: string;
  /** The card type's name as printed (cardTypeNames), with the school level on a student card. */
  readonly label: string;
  readonly labelEnglish: string;
}

const designs: Record<Exclude<CardType, 'student'>, CardDesign> = {
  general: { colour: '#3b5bdb', tint: '#eef2ff', label: cardTypeNames.general.zh, labelEnglish: 'General' },
  senior: { colour: '#e8590c', tint: '#fff4e6', label: cardTypeNames.senior.zh, labelEnglish: 'Senior' },
  'indigenous-senior': { colour: '#a0522d', tint: '#fbf0e6', label: cardTypeNames['indigenous-senior'].zh, labelEnglish: 'Indigenous Senior' },
  disability: { colour: '#c2255c', tint: '#fff0f6', label: cardTypeNames.disability.zh, labelEnglish: 'Disability' },
  companion: { colour: '#9c36b5', tint: '#f8f0fc', label: cardTypeNames.companion.zh, labelEnglish: 'Companion' },
  employee: { colour: '#495057', tint: '#f1f3f5', label: cardTypeNames.employee.zh, labelEnglish: 'Employee' },
};

/** Student cards by school level, each in the colour of its design name (peach red, pond green, mountain blue: CityRules.studentDesigns). */
const studentDesigns: Record<SchoolLevel, CardDesign> = {
  elementary: { colour: '#e64980', tint: '#fff0f5', label: `${cardTypeNames.student.zh}・${printedWords.schoolLevels['elementary']}`, labelEnglish: 'Student · Elementary' },
  'junior-high': { colour: '#2b8a3e', tint: '#ebfbee', label: `${cardTypeNames.student.zh}・${printedWords.schoolLevels['junior-high']}`, labelEnglish: 'Student · Junior High' },
  'senior-high': { colour: '#1971c2', tint: '#e7f5ff', label: `${cardTypeNames.student.zh}・${printedWords.schoolLevels['senior-high']}`, labelEnglish: 'Student · Senior High' },
};

/** The design of a card type; a student card needs its school level. */
export function cardDesign(cardType: CardType, schoolLevel: SchoolLevel | undefined): CardDesign | undefined {
  if (cardType === 'student') return schoolLevel === undefined ? undefined : studentDesigns[schoolLevel];
  return designs[cardType];
}

export const schemeBadges: Record<TransitScheme, { readonly text: string; readonly colour: string }> = {
  easycard: { text: printedWords.schemes.easycard, colour: '#0b7285' },
  ipass: { text: printedWords.schemes.ipass, colour: '#5f3dc4' },
};

/** Conditions of use printed on the back (from the city's card rules; one line each). */
export const conditionsOfUse: readonly string[] = printedWords.conditionsOfUse;
