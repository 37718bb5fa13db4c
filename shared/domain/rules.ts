import type { CardStatus } from './card-status';
import type { CardType, SchoolLevel } from './card-types';

/**
 * The city's rules as one plain data object (domain.md): a city changes ages, districts, points, fees, the
 * e-wallet cap or even the card types on offer here, and the pure functions that read it stay as they are.
 */

/** Why a card is replaced; the names match the UI contract's `replacementCause`. */
export const replacementCauses = ['lost', 'damaged', 'data-changed', 'defect', 'transfer'] as const;
export type ReplacementCause = (typeof replacementCauses)[number];

export interface CityRules {
  /** The household city that counts as "Taoyuan household registration" (設籍). */
  readonly city: string;
  readonly districts: readonly string[];
  /** The card types on offer, in the order decisions list them. */
  readonly cardTypes: readonly CardType[];
  readonly ages: {
    /** The general card's minimum age. */
    readonly general: number;
    /** Senior cards start on the first day of the month of this birthday. */
    readonly senior: number;
    readonly indigenousSenior: number;
    /** Applicants younger than this need a legal guardian's consent (法定代理人同意). */
    readonly guardianConsentBelow: number;
  };
  /** Welfare points loaded each month, by card type, with per-district overrides (復興區). */
  readonly monthlyPoints: {
    readonly byCardType: Readonly<Record<CardType, number>>;
    readonly byDistrict: Readonly<Record<string, Partial<Readonly<Record<CardType, number>>>>>;
  };
  /** Whole NT dollars. */
  readonly fees: {
    readonly firstCard: number;
    readonly replacement: Readonly<Record<ReplacementCause, number>>;
    readonly replacementByCardType: Partial<Readonly<Record<CardType, Partial<Readonly<Record<ReplacementCause, number>>>>>>;
  };
  /** The e-wallet's stored-value cap, whole NT dollars. */
  readonly eWalletCap: number;
  /** Within a group a person holds one card: the applicant chooses. */
  readonly exclusivityGroups: readonly (readonly CardType[])[];
  /** Holding a card of the same type in one of these states makes an application a replacement. */
  readonly replacementStatuses: readonly CardStatus[];
  /** Student card designs by school level. */
  readonly studentDesigns: Readonly<Record<SchoolLevel, string>>;
}

const welfarePoints = 800;
const fuxingWelfarePoints = 1_000;
const replacementFee = 94;
const employeeReplacementFee = 50;

export const defaultCityRules: CityRules = {
  city: '桃園市',
  districts: ['桃園區', '中壢區', '平鎮區', '八德區', '楊梅區', '蘆竹區', '大溪區', '龍潭區', '龜山區', '大園區', '觀音區', '新屋區', '復興區'],
  cardTypes: ['general', 'senior', 'indigenous-senior', 'disability', 'companion', 'student', 'employee'],
  ages: { general: 7, senior: 65, indigenousSenior: 55, guardianConsentBelow: 18 },
  monthlyPoints: {
    byCardType: {
      general: 0,
      senior: welfarePoints,
      'indigenous-senior': welfarePoints,
      disability: welfarePoints,
      companion: 0,
      student: 0,
      employee: 0,
    },
    byDistrict: {
      復興區: { senior: fuxingWelfarePoints, 'indigenous-senior': fuxingWelfarePoints, disability: fuxingWelfarePoints },
    },
  },
  fees: {
    firstCard: 0,
    replacement: { lost: replacementFee, damaged: replacementFee, 'data-changed': replacementFee, defect: 0, transfer: 0 },
    replacementByCardType: {
      employee: { lost: employeeReplacementFee, damaged: employeeReplacementFee, 'data-changed': employeeReplacementFee },
    },
  },
  eWalletCap: 10_000,
  exclusivityGroups: [['senior', 'indigenous-senior', 'disability']],
  // A hot-listed card (reported lost) is still this person's card: its balance moves to the replacement.
  replacementStatuses: ['active', 'hot-listed'],
  studentDesigns: { elementary: '桃花紅', 'junior-high': '水塘綠', 'senior-high': '高山青' },
};
