import type { ApplicationForm, EligibilityView, PhotoCheckView } from '../../../shared/contract/kiosk-api';
import type { Message } from '../../../shared/contract/messages';

/** What the issuance flow and its card jobs pass around: the application's verdicts and the confirmed card. */

export interface Assessment {
  readonly eligibility: EligibilityView | null;
  /** What still blocks submitting (missing fields, not eligible, consent missing). */
  readonly problems: readonly Message[];
  readonly fee: number;
  readonly action: 'new' | 'replacement' | null;
}

export interface PhotoVerdict {
  readonly passed: boolean;
  /** The gate's checks; `one-face` passed means exactly one face was found (what an override needs). */
  readonly checks: readonly PhotoCheckView[];
  /** The photo as it will be printed (cropped around the one face to the card's photo box). */
  readonly cardPhoto: Uint8Array | null;
  /** The 35 × 45 mm archive copy kept with the issuance record. */
  readonly archivePhoto: Uint8Array | null;
  /** For a replacement: the new photo against the one on file (null when there is no photo on file). */
  readonly faceMatch: FaceMatch | null;
}

/**
 * A replacement's face comparison. `unavailable` (no face found in one of the photos, unreadable
 * photo on file) says why instead of hiding it; it carries `match: false` and `distance: NaN` so the
 * operator is asked to check the person, as on a mismatch.
 */
export type FaceMatch =
  | { readonly verdict: 'match' | 'mismatch'; readonly match: boolean; readonly distance: number; readonly threshold: number }
  | { readonly verdict: 'unavailable'; readonly match: false; readonly distance: number; readonly threshold: number; readonly reason: Message };

/** An accepted photo that failed the gate: the operator's reason and the approving supervisor, if any. */
export interface PhotoOverride {
  readonly reason: string;
  readonly approvedBy: string | null;
}

export interface CardPreview {
  readonly cardNumber: string;
  readonly frontPng: Uint8Array;
  /** The back, for the applicant's window (absent where only the front was rendered). */
  readonly backPng?: Uint8Array;
  /** The printer job, opaque to the machine. */
  readonly job: unknown;
}

export interface IssuanceJob {
  readonly jobId: string;
  readonly form: ApplicationForm;
  readonly assessment: Assessment;
  readonly photo: Uint8Array | null;
  readonly archivePhoto: Uint8Array | null;
  readonly photoOverride: PhotoOverride | null;
  readonly preview: CardPreview;
  /** The operator the card is issued by: the job's owner, whoever is signed in meanwhile. */
  readonly owner: string | null;
}

/**
 * What a parked job keeps in the store while its operator is away (sign-out or idle lock): everything
 * the retry needs that holds personal data. The machine forgets it until the job is resumed.
 */
export interface ParkedJobData {
  readonly form: ApplicationForm;
  readonly assessment: Assessment;
  readonly verdict: PhotoVerdict | null;
  readonly override: PhotoOverride | null;
  readonly attempts: number;
}

/** A parked job brought back: its data, and the card face rendered again for the printer. */
export interface ResumedJob extends ParkedJobData {
  readonly preview: CardPreview;
}
