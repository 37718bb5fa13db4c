import type { JobView } from '../../../../shared/contract/kiosk-api';
import { cardNumberInGroups } from '../../../../shared/domain/card-number-groups';
import { translate, type Locale } from '../../../../shared/i18n/messages';

/** A card number as staff read it aloud and as the card face prints it: in groups of four ("3300 0110 0000 0014"). */
export const groupedCardNumber = cardNumberInGroups;

/** A queued job's place among the jobs still waiting for the printer: 1 prints next. */
export function placeInLine(jobs: readonly JobView[], jobId: string): number {
  const waiting = jobs.filter((job) => job.stage === 'queued');
  return waiting.findIndex((job) => job.jobId === jobId) + 1;
}

/** "1st", "2nd", "3rd", "4th"… for English; the other languages say the number itself. */
function ordinal(locale: Locale, n: number): string {
  if (locale !== 'en') return String(n);
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
}

/** Where a job stands, in the screen's words (a queued job with its place in line). */
export function stageWords(locale: Locale, job: JobView, jobs: readonly JobView[]): string {
  const words = translate(locale, `jobStage${job.stage}`);
  return job.stage === 'queued' ? words.replace('{n}', ordinal(locale, placeInLine(jobs, job.jobId))) : words;
}
