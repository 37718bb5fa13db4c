/**
 * Every threshold of the ID-photo gate in one place. Values are calibrated on the fixtures in
 * test/fixtures/photos (a 640 × 480 camera frame) and the Taiwan ID-photo rule of
 * shared/docs/domain.md: head crown-to-chin 71–80 % of the photo height, plain light background.
 */
export interface PhotoGateConfig {
  readonly detector: {
    /** Tiny face detector input (multiple of 32). 320 ≈ 50–80 ms here; 640 misses close-ups. */
    readonly inputSize: number;
    readonly minScore: number;
    /** Frames are scaled down to this longest side before any work (speed; geometry is scaled back). */
    readonly workingSize: number;
  };
  /**
   * The crown is estimated from landmarks: crown = eye line − crownFactor × (chin − eye line).
   * The 68 landmarks stop at the brows; in adults the eye line sits near half the head height, hair adds a little.
   */
  readonly crownFactor: number;
  readonly headHeight: { readonly min: number; readonly max: number };
  /** Where the head sits in the ID photo: top margin above the crown as a fraction of the photo height. */
  readonly crownMargin: number;
  /** Photo aspect ratio width / height (35 × 45 mm). */
  readonly photoAspect: number;
  /** Largest offset of the head centre from the photo-box centre, as a fraction of the frame width/height. */
  readonly centred: { readonly maxHorizontal: number; readonly maxVertical: number };
  /** Degrees. */
  readonly frontal: { readonly maxYaw: number; readonly maxRoll: number };
  /** Mean luminance (0–255) of the face. */
  readonly brightness: { readonly min: number; readonly max: number };
  /** (p95 − p5) / (p95 + p5) of the face luminance: independent of exposure, low when washed out. */
  readonly contrast: { readonly min: number };
  /** Variance of the Laplacian over the luminance variance, on the face scaled to a fixed width. */
  readonly sharpness: { readonly min: number; readonly sampleWidth: number };
  /** Background beside and above the head, inside the photo box. */
  readonly background: { readonly minBrightness: number; readonly maxUnevenness: number };
  /** Eye aspect ratio (eyelid opening / eye width), mean of both eyes. */
  readonly eyesOpen: { readonly minAspect: number };
}

export const defaultPhotoGateConfig: PhotoGateConfig = {
  detector: { inputSize: 320, minScore: 0.5, workingSize: 640 },
  crownFactor: 1.15,
  headHeight: { min: 0.71, max: 0.8 },
  crownMargin: 0.1,
  photoAspect: 35 / 45,
  centred: { maxHorizontal: 0.08, maxVertical: 0.08 },
  frontal: { maxYaw: 15, maxRoll: 10 },
  brightness: { min: 90, max: 225 },
  contrast: { min: 0.25 },
  sharpness: { min: 0.02, sampleWidth: 128 },
  background: { minBrightness: 140, maxUnevenness: 18 },
  eyesOpen: { minAspect: 0.18 },
};

/** Replace only the parts given; nested groups are merged one level deep. */
export type PhotoGateConfigOverrides = { readonly [K in keyof PhotoGateConfig]?: Partial<PhotoGateConfig[K]> };

export function resolvePhotoGateConfig(overrides: PhotoGateConfigOverrides = {}): PhotoGateConfig {
  const merged: Record<string, unknown> = { ...defaultPhotoGateConfig };
  for (const [key, value] of Object.entries(overrides)) {
    const base = (defaultPhotoGateConfig as unknown as Record<string, unknown>)[key];
    merged[key] = typeof base === 'object' && base !== null ? { ...base, ...(value as object) } : value;
  }
  return merged as unknown as PhotoGateConfig;
}
