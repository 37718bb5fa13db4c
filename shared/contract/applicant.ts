import { z } from 'zod';
import { cardTypes } from '../domain/card-types';
import { locales } from '../i18n/messages';

/**
 * The applicant's own window (`#applicant`): what the person across the counter may see of their own
 * application, and the language they chose. The controller builds it (the ID number already masked);
 * the window shows nothing else of the snapshot, so no other applicant's data and nothing for staff.
 */

/** The applicant's language: one of the kiosk's four, chosen on either window; Chinese until chosen. */
export const applicantLanguageSchema = z.enum(locales);

/**
 * Where the applicant stands: `welcome` (nobody's application yet), `application` (staff are taking it),
 * `photo` (look at the camera), `review` (check the details and the card), `card` (their card is being
 * made or is ready: `jobId` names it in the print queue).
 */
export const applicantStages = ['welcome', 'application', 'photo', 'review', 'card'] as const;
export type ApplicantStage = (typeof applicantStages)[number];

const isoDateOrEmpty = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.literal('')]);

export const applicantViewSchema = z
  .object({
    language: applicantLanguageSchema,
    stage: z.enum(applicantStages),
    /** The details to check before printing (on review only). `idNumber` is masked: "A12*****89". */
    details: z
      .object({
        name: z.string(),
        nameZh: z.string(),
        birthDate: isoDateOrEmpty,
        cardType: z.enum(cardTypes).nullable(),
        idNumber: z.string(),
        /** The fee in NT$ (0: free). */
        fee: z.number().int().nonnegative(),
      })
      .strict()
      .nullable(),
    /** The card face as it will be printed, both sides (under /api/), once rendered. */
    preview: z.object({ front: z.string().startsWith('api/'), back: z.string().startsWith('api/') }).strict().nullable(),
    /** Their card in the print queue (`printQueue.jobs`), while it is made and until it is taken. */
    jobId: z.string().nullable(),
  })
  .strict();
export type ApplicantView = z.infer<typeof applicantViewSchema>;

/** Either window sets the applicant's language; it goes when their application ends. */
export const applicantCommandSchemas = [
  z.object({ type: z.literal('set-applicant-language'), language: applicantLanguageSchema }).strict(),
] as const;
