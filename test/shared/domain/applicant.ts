import type { EligibilityInput } from '../../../shared/domain';

export type ApplicantOverrides = Partial<Omit<EligibilityInput, 'documents'>> & { documents?: Partial<EligibilityInput['documents']> };

/** A 40-year-old with a Taoyuan household and no documents: the plain general-card applicant. */
export function applicant(overrides: ApplicantOverrides = {}): EligibilityInput {
  const { documents, ...rest } = overrides;
  return {
    applicationDate: '2026-11-29',
    birthDate: '1986-05-20',
    household: { city: '桃園市', district: '中壢區' },
    indigenous: false,
    heldCards: [],
    ...rest,
    documents: {
      disabilityCertificate: null,
      residencePermit: false,
      spouseOfResident: false,
      universityInTaoyuan: false,
      school: null,
      cityEmployee: false,
      ...documents,
    },
  };
}
