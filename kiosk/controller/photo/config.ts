import { z } from 'zod';
import { err, ok, type Result } from '../../../shared/result';

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
  /**
   * Eyes open, both of them. `minIrisDarkness`: for each eye, how far its darkest iris-sized patch (lash
   * lines and other thin dark details filled in first) lies below the face's median luminance, in face
   * luminance standard deviations, so exposure and contrast drop out. Open eyes on the fixture ≈ 2.7–3.8,
   * open eyes in uncontrolled group photos 1.8–3.8; closed lids with lashes (synthetic) 0.1–1.1, real
   * closed eyes 1.0–1.4. `minAspect`: the eye aspect ratio (eyelid opening / eye width, mean of both eyes)
   * of the landmark outline, which stays open-looking on closed eyes: it only catches a collapsed outline.
   */
  readonly eyesOpen: { readonly minIrisDarkness: number; readonly minAspect: number };
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
  eyesOpen: { minIrisDarkness: 1.6, minAspect: 0.18 },
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

const share = z.number().min(0).max(1);
const nonNegative = z.number().finite().min(0);
const luminance = z.number().min(0).max(255);
const degrees = z.number().min(0).max(90);
const group = <S extends z.ZodRawShape>(shape: S) => z.object(shape).partial().strict();

/** What `kiosk.config.json`'s `photo` may hold: any subset of the groups and keys of `PhotoGateConfig`. */
const photoGateOverridesSchema = z
  .object({
    detector: group({
      inputSize: z.number().int().positive().multipleOf(32),
      minScore: share,
      workingSize: z.number().int().min(64),
    }),
    crownFactor: z.number().positive().max(3),
    headHeight: group({ min: share, max: share }),
    crownMargin: share,
    photoAspect: z.number().positive().max(2),
    centred: group({ maxHorizontal: share, maxVertical: share }),
    frontal: group({ maxYaw: degrees, maxRoll: degrees }),
    brightness: group({ min: luminance, max: luminance }),
    contrast: group({ min: share }),
    sharpness: group({ min: nonNegative, sampleWidth: z.number().int().min(16) }),
    background: group({ minBrightness: luminance, maxUnevenness: nonNegative }),
    eyesOpen: group({ minIrisDarkness: z.number().finite(), minAspect: nonNegative }),
  })
  .partial()
  .strict();

const valueAt = (value: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((at, key) => (typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined), value);

/**
 * Checks threshold overrides read from a config file (e.g. `config.photo`), for `createPhotoGate({ config })`.
 * The error names the setting (`headHeight.min`), and the unknown key or the bad value.
 */
export function parsePhotoGateOverrides(value: unknown): Result<PhotoGateConfigOverrides, string> {
  const parsed = photoGateOverridesSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue === undefined) return err('photo settings are invalid');
    if (issue.code === 'unrecognized_keys') {
      const names = issue.keys.map((key) => [...issue.path, key].join('.'));
      return err(`unknown photo setting${names.length > 1 ? 's' : ''} ${names.join(', ')} (known: ${Object.keys(defaultPhotoGateConfig).join(', ')} and their keys)`);
    }
    const name = issue.path.map(String).join('.') || 'photo';
    return err(`photo setting ${name} = ${JSON.stringify(valueAt(value, issue.path)) ?? 'undefined'}: ${issue.message}`);
  }
  const overrides = parsed.data as PhotoGateConfigOverrides;
  const resolved = resolvePhotoGateConfig(overrides);
  for (const name of ['headHeight', 'brightness'] as const) {
    const range = resolved[name];
    if (range.min >= range.max) return err(`photo setting ${name}: min ${range.min} must be below max ${range.max}`);
  }
  return ok(overrides);
}
