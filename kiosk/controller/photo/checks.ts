import type { Bilingual } from '../../../shared/contract/kiosk-api';
import type { PhotoGateConfig } from './config';
import { faceRegion, photoBox } from './geometry';
import { photoMessages } from './messages';
import { meanOf, normalisedLaplacianVariance, type Plane, sample, spreadContrast, stdOf } from './pixel-stats';
import type { FaceGeometry, Measurement, PhotoCheck, PhotoCheckId } from './verdict';

/**
 * The ID-photo checks as pure functions of the face geometry and the luminance plane (both in
 * working-image pixels). Each returns one `PhotoCheck` with every figure it used.
 */

const round = (value: number): number => Math.round(value * 1000) / 1000;

export function measure(name: string, value: number, unit: string, limits: { min?: number; max?: number }): Measurement {
  const passed = (limits.min === undefined || value >= limits.min) && (limits.max === undefined || value <= limits.max);
  return { name, value: round(value), unit, ...limits, passed };
}

function describeLimits(m: Measurement): string {
  const unit = m.unit === '' ? '' : ` ${m.unit}`;
  if (m.min !== undefined && m.max !== undefined) return `${m.name} ${m.min}–${m.max}${unit}`;
  if (m.min !== undefined) return `${m.name} ≥ ${m.min}${unit}`;
  if (m.max !== undefined) return `${m.name} ≤ ${m.max}${unit}`;
  return m.name;
}

/** A check from its measurements; `failure` picks the advice from the first failing measurement. */
export function check(id: PhotoCheckId, measurements: readonly Measurement[], failure: (failed: Measurement) => Bilingual): PhotoCheck {
  const failed = measurements.find((m) => !m.passed);
  return {
    id,
    status: failed === undefined ? 'pass' : 'fail',
    passed: failed === undefined,
    value: measurements[0]?.value ?? null,
    threshold: measurements.map(describeLimits).join('; '),
    message: failed === undefined ? photoMessages.pass[id] : failure(failed),
    measurements,
  };
}

export function notMeasured(id: PhotoCheckId, threshold: string): PhotoCheck {
  return { id, status: 'not-measured', passed: false, value: null, threshold, message: photoMessages.notMeasured, measurements: [] };
}

export function oneFaceCheck(faceCount: number): PhotoCheck {
  return check('one-face', [measure('faces', faceCount, '', { min: 1, max: 1 })], () =>
    faceCount === 0 ? photoMessages.noFace : photoMessages.manyFaces);
}

/** Head height as a share of the frame height: the frame's guide box spans the full height. */
export function headHeightCheck(face: FaceGeometry, plane: Plane, config: PhotoGateConfig): PhotoCheck {
  const ratio = face.headHeight / plane.height;
  return check('head-height', [measure('head height / frame height', ratio, '', config.headHeight)], () =>
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
  return check(
    'centred',
    [
      measure('horizontal offset', Math.abs(dx), 'of frame height', { max: config.centred.maxHorizontal }),
      measure('vertical offset', Math.abs(dy), 'of frame height', { max: config.centred.maxVertical }),
    ],
    (failed) => {
      if (failed.name === 'horizontal offset') {
        // Unmirrored camera image: a head on the image's right is on the applicant's own left.
        return dx > 0 ? photoMessages.moveToYourRight : photoMessages.moveToYourLeft;
      }
      return dy > 0 ? photoMessages.moveUp : photoMessages.moveDown;
    },
  );
}

export function frontalCheck(face: FaceGeometry, config: PhotoGateConfig): PhotoCheck {
  return check(
    'frontal',
    [
      measure('yaw', Math.abs(face.yawDegrees), '°', { max: config.frontal.maxYaw }),
      measure('roll', Math.abs(face.rollDegrees), '°', { max: config.frontal.maxRoll }),
    ],
    (failed) => (failed.name === 'yaw' ? photoMessages.faceCamera : photoMessages.headStraight),
  );
}

export function eyesOpenCheck(face: FaceGeometry, config: PhotoGateConfig): PhotoCheck {
  return check('eyes-open', [measure('eye aspect ratio', face.eyeAspect, '', { min: config.eyesOpen.minAspect })], () => photoMessages.openEyes);
}

export function exposureChecks(face: FaceGeometry, plane: Plane, config: PhotoGateConfig): PhotoCheck[] {
  const region = faceRegion(face);
  const values = sample(plane, region);
  const brightness = meanOf(values);
  return [
    check('brightness', [measure('face luminance', brightness, '/255', config.brightness)], () =>
      brightness < config.brightness.min ? photoMessages.tooDark : photoMessages.tooBright),
    check('contrast', [measure('face contrast', spreadContrast(values), '', config.contrast)], () => photoMessages.lowContrast),
    check(
      'sharpness',
      [measure('Laplacian variance / luminance variance', normalisedLaplacianVariance(plane, region, config.sharpness.sampleWidth), '', { min: config.sharpness.min })],
      () => photoMessages.blurred,
    ),
  ];
}

/**
 * Background inside the photo box, above the eye line and outside an ellipse around the head
 * (hair included): light, and even (a plain wall, not a room or a pattern).
 */
export function backgroundCheck(face: FaceGeometry, plane: Plane, config: PhotoGateConfig): PhotoCheck {
  const box = photoBox(face, config);
  const eyeLine = (face.leftEye.y + face.rightEye.y) / 2;
  const cx = face.centreX;
  const cy = (face.crown.y + face.chin.y) / 2;
  const rx = 0.85 * face.faceWidth;
  const ry = 0.56 * face.headHeight;
  const values = sample(plane, { x: box.x, y: box.y, width: box.width, height: eyeLine - box.y }, (x, y) =>
    ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 > 1);
  const threshold = `unevenness ≤ ${config.background.maxUnevenness} /255; background luminance ≥ ${config.background.minBrightness} /255`;
  if (values.length < 50) return notMeasured('background', threshold);
  return check(
    'background',
    [
      // Unevenness first: a pattern also darkens the mean, but "clear the area" is the useful advice.
      measure('unevenness (luminance std)', stdOf(values), '/255', { max: config.background.maxUnevenness }),
      measure('background luminance', meanOf(values), '/255', { min: config.background.minBrightness }),
    ],
    (failed) => (failed.name === 'background luminance' ? photoMessages.darkBackground : photoMessages.busyBackground),
  );
}
