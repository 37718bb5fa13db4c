import type { PhotoSource } from '../../../shared/contract/kiosk-api';
import { cropToArchive } from './crop';
import type { PhotoGate } from './gate';
import type { PhotoVerdict } from './verdict';

export interface CaptureEvaluation {
  readonly verdict: PhotoVerdict;
  /** The image the verdict (and its `face` geometry) refers to: crop from this one. */
  readonly image: Buffer;
}

/**
 * Grades a capture. A camera frame is graded as it is (the guide on screen frames it); an imported
 * file (a phone photo, a scan) is framed loosely, so when it shows exactly one face the ID-photo
 * crop around that face is graded instead. Any other import is graded as it is, so no face or two
 * faces still fail `one-face` (a crop must never hide the second face).
 */
export async function evaluateCapture(gate: PhotoGate, image: Buffer, source: PhotoSource = 'camera'): Promise<CaptureEvaluation> {
  const verdict = await gate.evaluate(image);
  if (source === 'camera' || verdict.faceCount !== 1 || verdict.face === null) return { verdict, image };
  const framed = await cropToArchive(image, { face: verdict.face, config: gate.config });
  if (!framed.ok) return { verdict, image };
  return { verdict: await gate.evaluate(framed.value), image: framed.value };
}
