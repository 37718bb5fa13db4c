import { describe, expect, it } from 'vitest';
import { closing, darkestIrisPatch, eyeOpenness } from '../../../../kiosk/controller/photo/eye-openness';

/** A synthetic eye, 40 px corner to corner on a skin plane: an open eye has an iris disc, a closed one a lash line. */
const width = 120;
const height = 80;
const eye = [{ x: 40, y: 40 }, { x: 53, y: 35 }, { x: 67, y: 35 }, { x: 80, y: 40 }, { x: 67, y: 45 }, { x: 53, y: 45 }];
const skin = 180;

function plane(paint: (x: number, y: number) => number | undefined, scale = 1, offset = 0) {
  const luminance = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      // Some texture, and a darker "mouth" band so the face has a spread to normalise by.
      const base = (paint(x, y) ?? skin + ((x * 7 + y * 13) % 9) - 4) - (y > 70 ? 100 : 0);
      luminance[y * width + x] = Math.max(0, Math.min(255, Math.round(base * scale + offset)));
    }
  }
  return { luminance, width, height };
}
const openEye = (x: number, y: number) => (Math.hypot(x - 60, y - 40) < 7 ? 50 : undefined);
/** A lash line 2 px thick sagging across the eye, darker than the iris. */
const closedEye = (x: number, y: number) => (x > 42 && x < 78 && Math.abs(y - (41 + 4 * (1 - ((x - 60) / 18) ** 2))) < 1 ? 30 : undefined);
const face = { x: 0, y: 0, width, height };
const landmarks = [...Array.from({ length: 36 }, () => ({ x: 0, y: 0 })), ...eye, ...eye];

describe('eye openness from the pixels', () => {
  it('finds an iris-sized dark patch in an open eye and none in a closed one, lash line or not', () => {
    expect(darkestIrisPatch(plane(openEye), eye)).toBeLessThan(90);
    expect(darkestIrisPatch(plane(closedEye), eye)).toBeGreaterThan(160);
  });

  it('scores both eyes relative to the face, so exposure and contrast do not move it', () => {
    const open = eyeOpenness(plane(openEye), landmarks, face);
    const closed = eyeOpenness(plane(closedEye), landmarks, face);
    expect(open.imageLeft).toBeGreaterThan(2);
    expect(closed.imageLeft).toBeLessThan(0.5);
    const dim = eyeOpenness(plane(openEye, 0.4), landmarks, face);
    const washed = eyeOpenness(plane(openEye, 0.5, 90), landmarks, face);
    expect(dim.imageLeft).toBeCloseTo(open.imageLeft, 1);
    expect(washed.imageLeft).toBeCloseTo(open.imageLeft, 1);
  });

  it('closes dark details thinner than the square and keeps wider ones', () => {
    const values = new Float32Array(10 * 10).fill(200);
    for (let x = 0; x < 10; x += 1) values[5 * 10 + x] = 0; // a 1-px line
    for (let y = 1; y < 4; y += 1) for (let x = 1; x < 4; x += 1) values[y * 10 + x] = 0; // a 3 × 3 blob
    const closed = closing(values, 10, 10, 3);
    expect(closed[5 * 10 + 5]).toBe(200);
    expect(closed[2 * 10 + 2]).toBe(0);
  });
});
