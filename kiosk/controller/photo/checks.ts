import type { Message } from '../../../shared/contract/kiosk-api';
import { assertNever } from '../../../shared/result';
import type { PhotoGateConfig } from './config';
import type { EyeOpenness } from './eye-openness';
import { faceRegion, photoBox } from './geometry';
import { photoMessages } from './messages';
import { meanOf, normalisedLaplacianVariance, type Plane, sample, spreadContrast, stdOf } from './pixel-stats';
import type { FaceGeometry, Measurement, PhotoCheck, PhotoCheckId } from './verdict';

/**
 * The ID-photo checks as pure functions of the face geometry and the luminance plane (both in
 * working-image pixels). Each returns one `PhotoCheck` with every figure it used.
 */

const round = (value: number): number => Math.round(value * 1000) / 1000;

interface Spec {
  readonly name: string;
  readonly unit: string;
  readonly min?: number;
  readonly max?: number;
}

/** What each check measures and its limits from the config: one table for measured and unmeasured checks alike. */
export function specsOf(id: PhotoCheckId, config: PhotoGateConfig): readonly Spec[] {
  switch (id) {
    case 'one-face':
      return [{ name: 'faces', unit: '', min: 1, max: 1 }];
    case 'head-height':
      return [{ name: 'head height / frame height', unit: '', ...config.headHeight }];
    case 'centred':
      return [
        { name: 'horizontal offset', unit: 'of frame height', max: config.centred.maxHorizontal },
        { name: 'vertical offset', unit: 'of frame height', max: config.centred.maxVertical },
      ];
    case 'frontal':
      return [{ name: 'yaw', unit: '°', max: config.frontal.maxYaw }, { name: 'roll', unit: '°', max: config.frontal.maxRoll }];
    case 'eyes-open':
      // Iris darkness first (it is what tells a closed eye); the outline's aspect only catches a collapsed outline.
      return [
        { name: 'iris darkness, less open eye', unit: 'face luminance std', min: config.eyesOpen.minIrisDarkness },
        { name: 'iris darkness, more open eye', unit: 'face luminance std', min: config.eyesOpen.minIrisDarkness },
        { name: 'eye aspect ratio', unit: '', min: config.eyesOpen.minAspect },
      ];
    case 'brightness':
      return [{ name: 'face luminance', unit: '/255', ...config.brightness }];
    case 'contrast':
      return [{ name: 'face contrast', unit: '', min: config.contrast.min }];
    case 'sharpness':
      return [{ name: 'Laplacian variance / luminance variance', unit: '', min: config.sharpness.min }];
    case 'background':
      // Unevenness first: a pattern also darkens the mean, but "clear the area" is the useful advice.
      return [
        { name: 'unevenness (luminance std)', unit: '/255', max: config.background.maxUnevenness },
        { name: 'background luminance', unit: '/255', min: config.background.minBrightness },
      ];
    default:
      return assertNever(id);
  }
}

/** Measures the check's specs in order; `values` line up with `specsOf(id, config)`. */
function measureAll(id: PhotoCheckId, config: PhotoGateConfig, values: readonly number[]): Measurement[] {
  return specsOf(id, config).map((spec, i) => {
    const value = values[i];
    if (value === undefined) throw new Error(`${id}: no value for ${spec.name}`);
    const passed = (spec.min === undefined || value >= spec.min) && (spec.max === undefined || value <= spec.max);
    return { ...spec, value: round(value), passed };
  });
}

export function thresholdOf(id: PhotoCheckId, config: PhotoGateConfig): string {
  return specsOf(id, config).map(describeLimits).join('; ');
}

function describeLimits(m: Spec): string {
  const unit = m.unit === '' ? '' : ` ${m.unit}`;
  if (m.min !== undefined && m.max !== undefined) return `${m.name} ${m.min}–${m.max}${unit}`;
  if (m.min !== undefined) return `${m.name} ≥ ${m.min}${unit}`;
  if (m.max !== undefined) return `${m.name} ≤ ${m.max}${unit}`;
  return m.name;
}

/** A check from its measurements; `failure` picks the advice from the first failing measurement. */
function check(
  id: PhotoCheckId,
  config: PhotoGateConfig,
  values: readonly number[],
  failure: (failed: Measurement) => Message,
): PhotoCheck {
  const measurements = measureAll(id, config, values);
  const failed = measurements.find((m) => !m.passed);
  return {
    id,
    status: failed === undefined ? 'pass' : 'fail',
    passed: failed === undefined,
    value: measurements[0]?.value ?? null,
    threshold: thresholdOf(id, config),
    message: failed === undefined ? photoMessages.pass[id] : failure(failed),
    measurements,
  };
}

export function notMeasured(id: PhotoCheckId, config: PhotoGateConfig): PhotoCheck {
  return { id, status: 'not-measured', passed: false, value: null, threshold: thresholdOf(id, config), message: photoMessages.notMeasured, measurements: [] };
}

export function oneFaceCheck(faceCount: number, config: PhotoGateConfig): PhotoCheck {
  return check('one-face', config, [faceCount], () =>
    faceCount === 0 ? photoMessages.noFace : photoMessages.manyFaces);
}

/** Head height as a share of the frame height: the frame's guide box spans the full height. */
export function headHeightCheck(face: FaceGeometry, plane: Plane, config: PhotoGateConfig): PhotoCheck {
  const ratio = face.headHeight / plane.height;
  return check('head-height', config, [ratio], () =>
    ratio < config.headHeight.min ? photoMessages.comeCloser : photoMessages.moveBack);
}

/**
 * Offset of the head from where the framing guide puts it (horizontal centre; crown `crownMargin`
 * below the top and the head mid-range tall), as a fraction of the frame height.
 */
export function centredCheck(face: FaceGeometry, plane: Plane, config: PhotoGateConfig): PhotoCheck {
  const targetRatio = (config.headHeight.min + config.headHeight.max) / 2;
  const dx = (face.centreX - plane.width / 2) / plane.height;
  const dy = ((face.crown.y + face.chin.y) / 2 - (config.crownMargin + targetRatio / 2) * plane.height) / plane.height;
  return check('centred', config, [Math.abs(dx), Math.abs(dy)], (failed) => {
    if (failed.name === 'horizontal offset') {
      // Unmirrored camera image: a head on the image's right is on the applicant's own left.
      return dx > 0 ? photoMessages.moveToYourRight : photoMessages.moveToYourLeft;
    }
    return dy > 0 ? photoMessages.moveUp : photoMessages.moveDown;
  });
}

export function frontalCheck(face: FaceGeometry, config: PhotoGateConfig): PhotoCheck {
  return check('frontal', config, [Math.abs(face.yawDegrees), Math.abs(face.rollDegrees)], (failed) =>
    failed.name === 'yaw' ? photoMessages.faceCamera : photoMessages.headStraight);
}

/** Both eyes must be open: one closed eye fails the check too, with its own advice. */
export function eyesOpenCheck(face: FaceGeometry, openness: EyeOpenness, config: PhotoGateConfig): PhotoCheck {
  const lessOpen = Math.min(openness.imageLeft, openness.imageRight);
  const moreOpen = Math.max(openness.imageLeft, openness.imageRight);
  const oneEyeClosed = lessOpen < config.eyesOpen.minIrisDarkness && moreOpen >= config.eyesOpen.minIrisDarkness;
  return check('eyes-open', config, [lessOpen, moreOpen, face.eyeAspect], () =>
    oneEyeClosed ? photoMessages.openBothEyes : photoMessages.openEyes);
}

export function exposureChecks(face: FaceGeometry, plane: Plane, config: PhotoGateConfig): PhotoCheck[] {
  const region = faceRegion(face);
  const values = sample(plane, region);
  const brightness = meanOf(values);
  return [
    check('brightness', config, [brightness], () => (brightness < config.brightness.min ? photoMessages.tooDark : photoMessages.tooBright)),
    check('contrast', config, [spreadContrast(values)], () => photoMessages.lowContrast),
    check('sharpness', config, [normalisedLaplacianVariance(plane, region, config.sharpness.sampleWidth)], () => photoMessages.blurred),
  ];
}

/**
 * Background inside the photo box, above the eye line and outside an ellipse around the head
 * (hair included): light, and even (a plain wall, not a room or a pattern).
 */
/** Fewer background pixels than this (head filling the frame) is no basis for a verdict. */
const minBackgroundSamples = 50;

export function backgroundCheck(face: FaceGeometry, plane: Plane, config: PhotoGateConfig): PhotoCheck {
  const box = photoBox(face, config);
  const eyeLine = (face.leftEye.y + face.rightEye.y) / 2;
  const cx = face.centreX;
  const cy = (face.crown.y + face.chin.y) / 2;
  const rx = 0.85 * face.faceWidth;
  const ry = 0.56 * face.headHeight;
  const values = sample(plane, { x: box.x, y: box.y, width: box.width, height: eyeLine - box.y }, (x, y) =>
    ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 > 1);
  if (values.length < minBackgroundSamples) return notMeasured('background', config);
  return check('background', config, [stdOf(values), meanOf(values)], (failed) =>
    failed.name === 'background luminance' ? photoMessages.darkBackground : photoMessages.busyBackground);
}
