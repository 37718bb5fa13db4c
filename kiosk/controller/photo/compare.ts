import { err, ok, type Result } from '../../../shared/result';
import { type PhotoGateConfigOverrides, resolvePhotoGateConfig } from './config';
import { acquireFaceModels, type FaceModels } from './detector';
import { decodeWorkingImage } from './image';

/**
 * Same person or not, for replacements: Euclidean distance between face-api's 128-d descriptors
 * (its recognition model). Below the threshold is a match; 0.6 is the model's published operating point.
 */
export const defaultMatchThreshold = 0.6;

export interface FaceComparison {
  readonly distance: number;
  readonly threshold: number;
  readonly match: boolean;
}

export type FaceCompareError =
  | { readonly kind: 'unreadable_image'; readonly image: 'a' | 'b' }
  | { readonly kind: 'no_face'; readonly image: 'a' | 'b' };

export interface CompareOptions {
  readonly threshold?: number;
  readonly config?: PhotoGateConfigOverrides;
}

export async function compareFaces(a: Buffer, b: Buffer, options: CompareOptions = {}): Promise<Result<FaceComparison, FaceCompareError>> {
  const config = resolvePhotoGateConfig(options.config);
  const threshold = options.threshold ?? defaultMatchThreshold;
  const models = await acquireFaceModels();
  try {
    const describe = async (image: Buffer, which: 'a' | 'b', m: FaceModels): Promise<Result<Float32Array, FaceCompareError>> => {
      const working = await decodeWorkingImage(image, config.detector.workingSize);
      if (working === null) return err({ kind: 'unreadable_image', image: which });
      const descriptor = await m.describe(working, { inputSize: config.detector.inputSize, minScore: config.detector.minScore });
      return descriptor === null ? err({ kind: 'no_face', image: which }) : ok(descriptor);
    };
    const first = await describe(a, 'a', models);
    if (!first.ok) return first;
    const second = await describe(b, 'b', models);
    if (!second.ok) return second;
    let sum = 0;
    for (let i = 0; i < first.value.length; i += 1) sum += (first.value[i]! - (second.value[i] ?? 0)) ** 2;
    const distance = Math.round(Math.sqrt(sum) * 1000) / 1000;
    return ok({ distance, threshold, match: distance < threshold });
  } finally {
    models.release();
  }
}
