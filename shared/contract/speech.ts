import { z } from 'zod';

/** The spoken guidance's settings as the UI gets them in the snapshot (kiosk config `speech`). */
export const speechSettingsSchema = z
  .object({
    /** 0 (silent) to 1 (full): the kiosk's own level for its speaker or headphone jack. */
    volume: z.number().min(0).max(1),
  })
  .strict();
export type SpeechSettings = z.infer<typeof speechSettingsSchema>;

/** A comfortable level in a headphone; the kiosk's config sets its own (`speech.volume`). */
export const defaultSpeechSettings: SpeechSettings = { volume: 0.8 };
