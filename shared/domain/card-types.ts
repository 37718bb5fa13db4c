import type { ApplicantText } from '../i18n/localized-text';

/** The card types (卡別) of the Taoyuan Citizen Card. The city's active list is configuration (see rules). */
export const cardTypes = ['general', 'senior', 'indigenous-senior', 'disability', 'companion', 'student', 'employee'] as const;
export type CardType = (typeof cardTypes)[number];

/** Student cards come in three designs by school level. */
export const schoolLevels = ['elementary', 'junior-high', 'senior-high'] as const;
export type SchoolLevel = (typeof schoolLevels)[number];

/** The transit e-ticket scheme the card is co-branded with; the applicant chooses. */
export const transitSchemes = ['easycard', 'ipass'] as const;
export type TransitScheme = (typeof transitSchemes)[number];

/** The names printed and spoken for each card type (lower case: they go inside sentences). */
export const cardTypeNames: Readonly<Record<CardType, ApplicantText>> = {
  general: { zh: '一般卡', en: 'general card', vi: 'thẻ thường', id: 'kartu umum' },
  senior: { zh: '敬老卡', en: 'senior card', vi: 'thẻ người cao tuổi', id: 'kartu lansia' },
  'indigenous-senior': { zh: '原住民敬老卡', en: 'indigenous senior card', vi: 'thẻ người cao tuổi bản địa', id: 'kartu lansia penduduk asli' },
  disability: { zh: '愛心卡', en: 'disability card', vi: 'thẻ người khuyết tật', id: 'kartu penyandang disabilitas' },
  companion: { zh: '愛心陪伴卡', en: 'disability companion card', vi: 'thẻ người đi kèm người khuyết tật', id: 'kartu pendamping penyandang disabilitas' },
  student: { zh: '學生卡', en: 'student card', vi: 'thẻ học sinh', id: 'kartu pelajar' },
  employee: { zh: '員工卡', en: 'employee card', vi: 'thẻ nhân viên', id: 'kartu pegawai' },
};
