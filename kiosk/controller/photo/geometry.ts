import type { PhotoGateConfig } from './config';
import type { DetectedFace } from './detector';
import type { FaceGeometry, Point } from './verdict';

/** Face geometry from the 68 landmarks, and where the ID photo sits around it. */

const mean = (points: readonly Point[]): Point => ({
  x: points.reduce((s, p) => s + p.x, 0) / points.length,
  y: points.reduce((s, p) => s + p.y, 0) / points.length,
});
const distance = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);
const degrees = (radians: number): number => (radians * 180) / Math.PI;

function at(landmarks: readonly Point[], index: number): Point {
  const point = landmarks[index];
  if (point === undefined) throw new Error(`landmark ${index} missing: expected the 68-point layout`);
  return point;
}

/** Eyelid opening over eye width (Soukupová & Čech's eye aspect ratio) for one eye starting at `first`. */
function eyeAspect(landmarks: readonly Point[], first: number): number {
  const p = (i: number) => at(landmarks, first + i);
  return (distance(p(1), p(5)) + distance(p(2), p(4))) / (2 * distance(p(0), p(3)));
}

/** `scale` maps detector coordinates back to the original image. */
export function faceGeometry(
  face: DetectedFace,
  scale: number,
  image: { width: number; height: number },
  config: PhotoGateConfig,
): FaceGeometry {
  const lm = face.landmarks.map((p) => ({ x: p.x * scale, y: p.y * scale }));
  const pick = (from: number, to: number) => lm.slice(from, to + 1);
  const leftEye = mean(pick(36, 41));
  const rightEye = mean(pick(42, 47));
  const eyeLine = (leftEye.y + rightEye.y) / 2;
  const chin = at(lm, 8);
  const crown = { x: (leftEye.x + rightEye.x) / 2, y: eyeLine - config.crownFactor * (chin.y - eyeLine) };
  const jawLeft = at(lm, 0);
  const jawRight = at(lm, 16);
  const nose = at(lm, 30);
  // Yaw from how far the nose tip sits off the middle of the jaw: asin of the normalised offset.
  const toLeft = nose.x - jawLeft.x;
  const toRight = jawRight.x - nose.x;
  const offset = toLeft + toRight > 0 ? (toLeft - toRight) / (toLeft + toRight) : 1;
  return {
    imageWidth: image.width,
    imageHeight: image.height,
    score: face.score,
    box: { x: face.box.x * scale, y: face.box.y * scale, width: face.box.width * scale, height: face.box.height * scale },
    leftEye,
    rightEye,
    chin,
    crown,
    headHeight: chin.y - crown.y,
    centreX: (jawLeft.x + jawRight.x) / 2,
    faceWidth: jawRight.x - jawLeft.x,
    yawDegrees: degrees(Math.asin(Math.max(-1, Math.min(1, offset)))),
    rollDegrees: degrees(Math.atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x)),
    eyeAspect: (eyeAspect(lm, 36) + eyeAspect(lm, 42)) / 2,
  };
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The ID photo around a face: head at the middle of the allowed height range, crown `crownMargin`
 * below the top, centred on the head. May extend past the image when the head is near an edge.
 */
export function photoBox(face: FaceGeometry, config: PhotoGateConfig, aspect = config.photoAspect): Rect {
  const targetRatio = (config.headHeight.min + config.headHeight.max) / 2;
  const height = face.headHeight / targetRatio;
  const width = height * aspect;
  return { x: face.centreX - width / 2, y: face.crown.y - config.crownMargin * height, width, height };
}

/** The inner face (brows to chin, cheek to cheek): where exposure, contrast and sharpness are measured. */
export function faceRegion(face: FaceGeometry): Rect {
  const eyeLine = (face.leftEye.y + face.rightEye.y) / 2;
  const top = eyeLine - 0.3 * (face.chin.y - eyeLine);
  return { x: face.centreX - 0.38 * face.faceWidth, y: top, width: 0.76 * face.faceWidth, height: face.chin.y - top };
}
