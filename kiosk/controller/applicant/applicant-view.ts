import type { ApplicantStage, ApplicantView } from '../../../shared/contract/applicant';
import type { ApplicationForm, Screen } from '../../../shared/contract/kiosk-api';
import type { Locale } from '../../../shared/i18n/messages';

/**
 * What the applicant's own window shows, from the flow's state: their details only on review (to
 * check before printing), the ID number masked, both card sides once rendered, and their card in the
 * queue after the confirm. The caller decides whether anybody may see an applicant at all.
 */
export interface ApplicantViewInput {
  readonly screen: Screen;
  readonly language: Locale;
  readonly form: ApplicationForm;
  /** NT$ (the assessment's fee). */
  readonly fee: number;
  /** The rendered card face's number (the previews' cache key), or null. */
  readonly previewCard: string | null;
  /** The applicant's confirmed card still in the queue (and theirs to see), or null. */
  readonly jobId: string | null;
}

export function applicantView(input: ApplicantViewInput): ApplicantView {
  const stage = stageOf(input.screen, input.jobId);
  return {
    language: input.language,
    stage,
    details: stage === 'review' ? detailsOf(input.form, input.fee) : null,
    preview: stage === 'review' && input.previewCard !== null ? previewUrls(input.previewCard) : null,
    jobId: stage === 'card' ? input.jobId : null,
  };
}

function stageOf(screen: Screen, jobId: string | null): ApplicantStage {
  if (screen !== 'home') return screen;
  return jobId === null ? 'welcome' : 'card';
}

function detailsOf(form: ApplicationForm, fee: number): NonNullable<ApplicantView['details']> {
  return {
    name: form.name,
    nameZh: form.nameZh,
    birthDate: form.birthDate,
    cardType: form.cardType === '' ? null : form.cardType,
    idNumber: maskIdNumber(form.idNumber),
    fee,
  };
}

/** Both sides of the card face, served like the review's preview (`side=back` for the back). */
export function previewUrls(cardNumber: string): { front: string; back: string } {
  const card = encodeURIComponent(cardNumber);
  return { front: `api/preview.png?card=${card}`, back: `api/preview.png?card=${card}&side=back` };
}

/**
 * An ID number as the applicant's window shows it: enough to recognise their own ("A12*****89"),
 * not enough for a passer-by to copy. Short numbers keep only their last two characters.
 */
export function maskIdNumber(idNumber: string): string {
  const id = idNumber.trim();
  if (id.length <= 2) return '*'.repeat(id.length);
  if (id.length < 7) return `${'*'.repeat(Math.max(0, id.length - 2))}${id.slice(-2)}`;
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 5)}${id.slice(-2)}`;
}
