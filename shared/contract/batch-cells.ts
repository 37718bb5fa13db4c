import { taoyuanDistricts, type ApplicationForm } from './kiosk-api';
import type { BatchColumn } from './batch';
import { formatIsoDate, isValidCalendarDate } from '../domain/calendar-date';
import { cardTypeNames, cardTypes, transitSchemes, type CardType, type TransitScheme } from '../domain/card-types';
import { replacementCauses, type ReplacementCause } from '../domain/rules';

/**
 * The words a batch file may hold, as the README documents them: the column names and the Chinese
 * headings a home's clerk types, and each column's values in English codes or in Chinese. Part of the
 * file format, so they live with the contract (the controller holds no Chinese text of its own).
 */

/** The headings a home's clerk types, besides the column names themselves. */
export const batchColumnAliases: Readonly<Record<string, BatchColumn>> = {
  房號: 'room', 房間: 'room', 床號: 'room',
  姓名: 'name_zh', 中文姓名: 'name_zh',
  英文姓名: 'name',
  身分證號: 'id_number', 身分證字號: 'id_number', 身分證統一編號: 'id_number', 統一編號: 'id_number', 居留證號: 'id_number',
  出生日期: 'birth_date', 生日: 'birth_date',
  戶籍: 'district', 戶籍行政區: 'district', 行政區: 'district',
  卡別: 'card_type', 申辦卡別: 'card_type',
  票證: 'scheme', 電子票證: 'scheme',
  補發原因: 'replacement_cause',
  身心障礙證明: 'disability_certificate', 身障證明: 'disability_certificate',
  原住民: 'indigenous', 原住民身分: 'indigenous',
  臥床: 'bedridden',
  監護人: 'guardian_name', 監護人姓名: 'guardian_name',
  監護人身分證號: 'guardian_id_number', 監護人證號: 'guardian_id_number',
  關係: 'guardian_relation', 監護人關係: 'guardian_relation',
};

const lowered = (text: string): string => text.normalize('NFKC').trim().toLowerCase();

export function readDistrict(text: string): ApplicationForm['district'] | undefined {
  const clean = text.normalize('NFKC').replace(/\s+/g, '').replace(/^(桃園市|桃園縣)/, '');
  if (clean === '無' || lowered(text) === 'none') return '';
  return taoyuanDistricts.find((district) => district === clean || district === `${clean}區`);
}

export function readCardType(text: string): CardType | undefined {
  const clean = lowered(text);
  return cardTypes.find((type) => type === clean || cardTypeNames[type].zh === text.trim() || cardTypeNames[type].en === clean);
}

const schemeNames: Readonly<Record<string, TransitScheme>> = { easycard: 'easycard', 悠遊卡: 'easycard', ipass: 'ipass', 一卡通: 'ipass' };
export function readScheme(text: string): TransitScheme | undefined {
  const clean = lowered(text);
  return transitSchemes.find((scheme) => scheme === clean) ?? schemeNames[clean];
}

const causeNames: Readonly<Record<string, ReplacementCause>> = {
  遺失: 'lost', 損壞: 'damaged', 毀損: 'damaged', 資料變更: 'data-changed', 卡片瑕疵: 'defect', 瑕疵: 'defect', 機關轉換: 'transfer',
};
export function readCause(text: string): ReplacementCause | undefined {
  const clean = lowered(text);
  return replacementCauses.find((cause) => cause === clean) ?? causeNames[clean];
}

const certificateNames: Readonly<Record<string, ApplicationForm['disabilityCertificate']>> = {
  none: 'none', no: 'none', 無: 'none', yes: 'yes', 有: 'yes', 'yes-companion': 'yes-companion', companion: 'yes-companion', 必要陪伴者: 'yes-companion', '有(必要陪伴者)': 'yes-companion',
};
export function readCertificate(text: string): ApplicationForm['disabilityCertificate'] | undefined {
  return certificateNames[lowered(text)];
}

const yesNo: Readonly<Record<string, boolean>> = { yes: true, y: true, true: true, '1': true, 是: true, no: false, n: false, false: false, '0': false, 否: false };
export function readYesNo(text: string): boolean | undefined {
  return yesNo[lowered(text)];
}

/** YYYY-MM-DD or YYYY/MM/DD, or the ROC year (民國) as YYY/MM/DD or YY/MM/DD: a real calendar day or nothing. */
export function readDate(text: string): string | undefined {
  const match = /^(\d{2,4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text.normalize('NFKC').trim());
  if (!match) return undefined;
  const [, y = '', m = '', d = ''] = match;
  const year = y.length === 4 ? Number(y) : Number(y) + 1911;
  const month = Number(m);
  const day = Number(d);
  if (!isValidCalendarDate(year, month, day)) return undefined;
  return formatIsoDate({ year, month, day });
}
