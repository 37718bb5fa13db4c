import type { ParkedJobData, PhotoVerdict, SettledFee } from './issuance-machine';

/**
 * A parked job's data as JSON for the store's encrypted job context: photos travel as base64.
 * Read back with the same shape; anything else is refused rather than printed.
 */
type StoredVerdict = Omit<PhotoVerdict, 'cardPhoto' | 'archivePhoto'> & { cardPhoto: string | null; archivePhoto: string | null };

const toBase64 = (bytes: Uint8Array | null): string | null => (bytes ? Buffer.from(bytes).toString('base64') : null);
const fromBase64 = (text: string | null): Uint8Array | null => (text === null ? null : new Uint8Array(Buffer.from(text, 'base64')));

export function parkedJobToJson(data: ParkedJobData): Record<string, unknown> {
  const verdict: StoredVerdict | null = data.verdict
    ? { ...data.verdict, cardPhoto: toBase64(data.verdict.cardPhoto), archivePhoto: toBase64(data.verdict.archivePhoto) }
    : null;
  return { ...data, verdict };
}

export function parkedJobFromJson(json: Readonly<Record<string, unknown>>): ParkedJobData {
  const { form, assessment, verdict, override, attempts, fee } = json as Record<string, unknown>;
  if (typeof form !== 'object' || form === null || typeof assessment !== 'object' || assessment === null || typeof attempts !== 'number') {
    throw new Error('the parked job data is incomplete');
  }
  const stored = verdict as StoredVerdict | null;
  return {
    form: form as ParkedJobData['form'],
    assessment: assessment as ParkedJobData['assessment'],
    verdict: stored ? { ...stored, cardPhoto: fromBase64(stored.cardPhoto), archivePhoto: fromBase64(stored.archivePhoto) } : null,
    override: (override ?? null) as ParkedJobData['override'],
    attempts,
    fee: (fee ?? null) as SettledFee | null,
  };
}
