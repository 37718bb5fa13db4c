import {
  backgroundCheck,
  centredCheck,
  exposureChecks,
  eyesOpenCheck,
  frontalCheck,
  headHeightCheck,
  notMeasured,
  oneFaceCheck,
} from './checks';
import { type PhotoGateConfig, type PhotoGateConfigOverrides, resolvePhotoGateConfig } from './config';
import { acquireFaceModels, type DetectedFace, type FaceModels } from './detector';
import { eyeOpenness } from './eye-openness';
import { faceGeometry, faceRegion } from './geometry';
import { decodeWorkingImage } from './image';
import { photoMessages } from './messages';
import { type PhotoCheck, photoCheckOrder, type PhotoVerdict } from './verdict';

/**
 * The authoritative ID-photo gate (the UI may run its own live checks, but only this verdict
 * accepts a photo). Models load lazily on the first evaluation and are shared process-wide.
 */
export interface PhotoGate {
  /** `image` is a JPEG or PNG as received from the UI or a file import. Never throws for bad input. */
  evaluate(image: Buffer): Promise<PhotoVerdict>;
  readonly config: PhotoGateConfig;
  close(): void;
}

export interface PhotoGateOptions {
  readonly config?: PhotoGateConfigOverrides;
}

export function largestFace(faces: readonly DetectedFace[]): DetectedFace | undefined {
  return faces.reduce<DetectedFace | undefined>(
    (best, f) => (best === undefined || f.box.width * f.box.height > best.box.width * best.box.height ? f : best),
    undefined,
  );
}

function verdictOf(checks: PhotoCheck[], faceCount: number, face: PhotoVerdict['face'], readable = true): PhotoVerdict {
  const ordered = photoCheckOrder.map((id) => {
    const found = checks.find((c) => c.id === id);
    if (found === undefined) throw new Error(`photo check ${id} missing`);
    return found;
  });
  const failing = ordered.find((c) => !c.passed);
  return {
    passed: failing === undefined,
    readable,
    checks: ordered,
    advice: failing === undefined ? null : failing.message,
    faceCount,
    face,
    score: ordered.filter((c) => c.passed).length / ordered.length,
  };
}

export function createPhotoGate(options: PhotoGateOptions = {}): PhotoGate {
  const config = resolvePhotoGateConfig(options.config);
  let models: Promise<FaceModels> | null = null;
  let closed = false;
  const detectorOptions = { inputSize: config.detector.inputSize, minScore: config.detector.minScore };

  return {
    config,
    async evaluate(image) {
      if (closed) throw new Error('photo gate is closed');
      if (models === null) {
        models = acquireFaceModels();
        models.catch(() => { models = null; }); // retry the load on the next evaluation
      }
      const faceModels = await models;
      const working = await decodeWorkingImage(image, config.detector.workingSize);
      if (working === null) {
        const checks = photoCheckOrder.map((id) =>
          id === 'one-face' ? { ...oneFaceCheck(0, config), message: photoMessages.unreadable } : notMeasured(id, config));
        return verdictOf(checks, 0, null, false);
      }
      const faces = await faceModels.detect(working, detectorOptions);
      const chosen = faces.length === 1 ? faces[0] : faces.length > 1 ? largestFace(faces) : undefined;
      const checks: PhotoCheck[] = [oneFaceCheck(faces.length, config)];
      if (chosen === undefined) {
        for (const id of photoCheckOrder) if (id !== 'one-face') checks.push(notMeasured(id, config));
        return verdictOf(checks, 0, null);
      }
      // Checks in working pixels; the verdict's geometry in original pixels, for cropping.
      const local = faceGeometry(chosen, 1, working, config);
      checks.push(
        headHeightCheck(local, working, config),
        centredCheck(local, working, config),
        frontalCheck(local, config),
        eyesOpenCheck(local, eyeOpenness(working, chosen.landmarks, faceRegion(local)), config),
        ...exposureChecks(local, working, config),
        backgroundCheck(local, working, config),
      );
      const face = faceGeometry(chosen, working.scale, { width: working.originalWidth, height: working.originalHeight }, config);
      return verdictOf(checks, faces.length, face);
    },
    close() {
      if (closed) return;
      closed = true;
      models?.then((m) => m.release(), () => {});
    },
  };
}
