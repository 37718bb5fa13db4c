import type { Message, PhotoCheckView } from '../../../shared/contract/kiosk-api';

/**
 * The gate's verdict. Pure data (no Node types) so it can cross to the UI; each check is a
 * `PhotoCheckView` of the kiosk contract plus its machine-readable limits and measurements.
 */
export type PhotoCheckId =
  | 'one-face'
  | 'head-height'
  | 'centred'
  | 'frontal'
  | 'eyes-open'
  | 'brightness'
  | 'contrast'
  | 'sharpness'
  | 'background';

/** Order in which advice is given: the first failing check is the one the applicant hears. */
export const photoCheckOrder: readonly PhotoCheckId[] = [
  'one-face',
  'head-height',
  'centred',
  'frontal',
  'eyes-open',
  'brightness',
  'contrast',
  'sharpness',
  'background',
];

export interface Measurement {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly min?: number;
  readonly max?: number;
  readonly passed: boolean;
}

export interface PhotoCheck extends PhotoCheckView {
  readonly id: PhotoCheckId;
  /** 'not-measured' when there is no single face to measure. */
  readonly status: 'pass' | 'fail' | 'not-measured';
  /** Every figure behind the check; `value` / `threshold` repeat the first one for display. */
  readonly measurements: readonly Measurement[];
}

/** The check as the kiosk contract carries it: what the screen shows, without the measurements. */
export function toCheckView({ id, passed, value, threshold, message }: PhotoCheck): PhotoCheckView {
  return { id, passed, value, threshold, message };
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Where the face is, in pixels of the original image (after EXIF rotation). */
export interface FaceGeometry {
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly score: number;
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  readonly leftEye: Point;
  readonly rightEye: Point;
  readonly chin: Point;
  /** Estimated top of the head (the landmarks stop at the brows). */
  readonly crown: Point;
  readonly headHeight: number;
  /** Horizontal centre of the head (between the jaw ends). */
  readonly centreX: number;
  /** Between the jaw ends. */
  readonly faceWidth: number;
  readonly yawDegrees: number;
  readonly rollDegrees: number;
  readonly eyeAspect: number;
}

export interface PhotoVerdict {
  readonly passed: boolean;
  /** False when the bytes are not a JPEG/PNG that can be decoded. */
  readonly readable: boolean;
  /** Every check, in `photoCheckOrder`. */
  readonly checks: readonly PhotoCheck[];
  /** What to tell the applicant now: the first failing check's message, or null when all pass. */
  readonly advice: Message | null;
  readonly faceCount: number;
  /** The measured face (the largest one), for cropping without detecting again. */
  readonly face: FaceGeometry | null;
  /** 0–1, to keep the best of several attempts: the share of checks passed. */
  readonly score: number;
}
