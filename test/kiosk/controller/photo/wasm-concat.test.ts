import type * as tfjs from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireFaceModels, type FaceModels } from '../../../../kiosk/controller/photo/detector';
import { narrowRowValues } from '../../../../kiosk/controller/photo/wasm-concat';

/** The face models' wasm backend concatenates narrow rows with its own kernel: the values must be tfjs's. */
const tf = faceapi.tf as unknown as typeof tfjs;
let models: FaceModels;
beforeAll(async () => {
  models = await acquireFaceModels();
});
afterAll(() => models.release());

/** `parts` joined on `axis`, computed with plain arrays. */
function expected(parts: ReadonlyArray<{ shape: number[]; values: number[] }>, axis: number): number[] {
  const outer = parts[0]!.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let row = 0; row < outer; row++) {
    for (const part of parts) {
      const width = part.shape.slice(axis).reduce((a, b) => a * b, 1);
      out.push(...part.values.slice(row * width, (row + 1) * width));
    }
  }
  return out;
}

const part = (shape: number[], start: number) => {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, values: Array.from({ length: size }, (_, i) => start + i) };
};

describe('concat on the wasm backend', () => {
  it('runs on wasm, as the face models do', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  for (const dtype of ['float32', 'int32'] as const) {
    it(`joins narrow rows (face-api's mean-RGB planes) value for value (${dtype})`, async () => {
      const parts = [part([1, 5, 7, 1], 0), part([1, 5, 7, 2], 1000), part([1, 5, 7, 1], 2000)];
      const joined = tf.concat(parts.map((p) => tf.tensor(p.values, p.shape, dtype)), 3);
      expect(joined.shape).toEqual([1, 5, 7, 4]);
      expect(Array.from(await joined.data())).toEqual(expected(parts, 3));
    });
  }

  it('leaves wide rows and empty inputs to the backend, with the same result', async () => {
    const wide = [part([2, 3, narrowRowValues + 1], 0), part([2, 3, 4], 500)];
    const joined = tf.concat(wide.map((p) => tf.tensor(p.values, p.shape)), 2);
    expect(Array.from(await joined.data())).toEqual(expected(wide, 2));
    const withEmpty = tf.concat([tf.tensor([1, 2, 3, 4], [2, 2]), tf.zeros([2, 0]), tf.tensor([5, 6], [2, 1])], 1);
    expect(Array.from(await withEmpty.data())).toEqual([1, 2, 5, 3, 4, 6]);
  });
});
