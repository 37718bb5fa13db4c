import type * as tfjs from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Point } from './verdict';
import { useNarrowConcatOnWasm } from './wasm-concat';

/**
 * The face models, loaded once per process from the face-api package's own `model/` folder and
 * run on tfjs's wasm backend (no network, no native tfjs-node). Shared by every gate, crop and
 * comparison; reference-counted so the last user frees the weights.
 */
export interface RawImage {
  /** RGB, 3 bytes per pixel, row-major. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface DetectedFace {
  readonly score: number;
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** The 68-point iBUG layout (jaw 0–16, brows 17–26, nose 27–35, eyes 36–47, mouth 48–67). */
  readonly landmarks: readonly Point[];
}

export interface FaceModels {
  detect(image: RawImage, options: { inputSize: number; minScore: number }): Promise<DetectedFace[]>;
  /** 128-d descriptor of the largest face, or null when there is none. */
  describe(image: RawImage, options: { inputSize: number; minScore: number }): Promise<Float32Array | null>;
  release(): void;
}

const require = createRequire(import.meta.url);
const modelDir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
const nets = [faceapi.nets.tinyFaceDetector, faceapi.nets.faceLandmark68Net, faceapi.nets.faceRecognitionNet];

let users = 0;
let loading: Promise<void> | null = null;
let loaded = false;

async function load(): Promise<void> {
  // face-api's node-wasm build re-exports tfjs and tfjs-backend-wasm: the same instances it runs on.
  const tf = faceapi.tf as unknown as typeof tfjs & { setWasmPaths(prefix: string, usePlatformFetch?: boolean): void };
  if (tf.getBackend() !== 'wasm') {
    // Local files, read with fs (platform fetch would treat the path as a URL).
    tf.setWasmPaths(`${wasmDir}/`, false);
    await tf.setBackend('wasm');
    await tf.ready();
  }
  useNarrowConcatOnWasm(tf);
  for (const net of nets) if (!net.isLoaded) await net.loadFromDisk(modelDir);
  loaded = true;
}

function toTensor(image: RawImage): faceapi.tf.Tensor3D {
  return faceapi.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
}

function largest<T extends { detection: faceapi.FaceDetection }>(faces: T[]): T | undefined {
  return faces.reduce<T | undefined>((best, f) => (best === undefined || f.detection.box.area > best.detection.box.area ? f : best), undefined);
}

/** Acquire the shared models (loading them on first use); call `release()` when done. */
export async function acquireFaceModels(): Promise<FaceModels> {
  users += 1;
  try {
    loading ??= load();
    await loading;
  } catch (error) {
    users -= 1;
    loading = null;
    throw error;
  }
  let released = false;
  return {
    async detect(image, { inputSize, minScore }) {
      const tensor = toTensor(image);
      try {
        const options = new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: minScore });
        const found = await faceapi.detectAllFaces(tensor, options).withFaceLandmarks();
        return found.map((f) => ({
          score: f.detection.score,
          box: { x: f.detection.box.x, y: f.detection.box.y, width: f.detection.box.width, height: f.detection.box.height },
          landmarks: f.landmarks.positions.map((p) => ({ x: p.x, y: p.y })),
        }));
      } finally {
        tensor.dispose();
      }
    },
    async describe(image, { inputSize, minScore }) {
      const tensor = toTensor(image);
      try {
        const options = new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: minScore });
        const found = await faceapi.detectAllFaces(tensor, options).withFaceLandmarks().withFaceDescriptors();
        return largest(found)?.descriptor ?? null;
      } finally {
        tensor.dispose();
      }
    },
    release() {
      if (released) return;
      released = true;
      users -= 1;
      // Free the weights once nobody holds them (the wasm backend itself stays initialised).
      if (users === 0 && loaded) {
        for (const net of nets) net.dispose();
        loaded = false;
        loading = null;
      }
    },
  };
}
