/** The card types (卡別) of the Taoyuan Citizen Card. The city's active list is configuration (see rules). */
export const cardTypes = ['general', 'senior', 'indigenous-senior', 'disability', 'companion', 'student', 'employee'] as const;
export type CardType = (typeof cardTypes)[number];

/** Student cards come in three designs by school level. */
export const schoolLevels = ['elementary', 'junior-high', 'senior-high'] as const;
export type SchoolLevel = (typeof schoolLevels)[number];

/** The transit e-ticket scheme the card is co-branded with; the applicant chooses. */
export const transitSchemes = ['easycard', 'ipass'] as const;
export type TransitScheme = (typeof transitSchemes)[number];
