import { z } from 'zod';
import { cardStatuses } from './card-status';
import { cardTypes, schoolLevels } from './card-types';
import { compareDates, parseIsoDate } from './calendar-date';

/** A real calendar day as `YYYY-MM-DD` (2026-02-30 is refused, not rolled over). */
const isoDate = z.string().refine((value) => parseIsoDate(value) !== null, { message: 'expected a calendar date as YYYY-MM-DD' });

/** What an eligibility decision needs: the applicant's facts as the documents show them. */
export const eligibilityInputSchema = z
  .object({
    applicationDate: isoDate,
    birthDate: isoDate,
    /** null: no household registration in Taiwan's household register, or unknown. */
    household: z.object({ city: z.string().min(1), district: z.string().min(1) }).nullable(),
    indigenous: z.boolean(),
    documents: z.object({
      disabilityCertificate: z.object({ companionRequired: z.boolean() }).nullable(),
      residencePermit: z.boolean(),
      spouseOfResident: z.boolean(),
      universityInTaoyuan: z.boolean(),
      school: z.enum(schoolLevels).nullable(),
      cityEmployee: z.boolean(),
    }),
    heldCards: z.array(z.object({ type: z.enum(cardTypes), status: z.enum(cardStatuses) })),
  })
  .superRefine((input, context) => {
    const birth = parseIsoDate(input.birthDate);
    const application = parseIsoDate(input.applicationDate);
    if (birth !== null && application !== null && compareDates(birth, application) > 0) {
      context.addIssue({ code: 'custom', path: ['birthDate'], message: 'the birth date is after the application date' });
    }
  });

export type EligibilityInput = z.infer<typeof eligibilityInputSchema>;

/** One line per problem, each naming its field (`documents.school: ...`), for a CLI or a log. */
export function describeInputProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(input)'}: ${issue.message}`);
}
