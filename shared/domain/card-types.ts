/** The card types (卡別) of the Taoyuan Citizen Card. The city's active list is configuration (see rules). */
export const cardTypes = ['general', 'senior', 'indigenous-senior', 'disability', 'companion', 'student', 'employee'] as const;
export type CardType = (typeof cardTypes)[number];

/** Student cards come in three designs by school level. */
export const schoolLevels = ['elementary', 'junior-high', 'senior-high'] as const;
export type SchoolLevel = (typeof schoolLevels)[number];

/** The transit e-ticket scheme the card is co-branded with; the applicant chooses. */
export const transitSchemes = ['easycard', 'ipass'] as const;
export type TransitScheme = (typeof transitSchemes)[number];

/** The names printed and spoken for each card type. */
export const cardTypeNames: Readonly<Record<CardType, { readonly zh: string; readonly en: string }>> = {
  general: { zh: '一般卡', en: 'general card' },
  senior: { zh: '敬老卡', en: 'senior card' },
  'indigenous-senior': { zh: '原住民敬老卡', en: 'indigenous senior card' },
  disability: { zh: '愛心卡', en: 'disability card' },
  companion: { zh: '愛心陪伴卡', en: 'disability companion card' },
  student: { zh: '學生卡', en: 'student card' },
  employee: { zh: '員工卡', en: 'employee card' },
};
