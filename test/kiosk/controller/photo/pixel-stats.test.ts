import { describe, expect, it } from 'vitest';
import { normalisedLaplacianVariance, percentile, sample, spreadContrast } from '../../../../kiosk/controller/photo/pixel-stats';

const plane = (width: number, height: number, f: (x: number, y: number) => number) => {
  const luminance = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) luminance[y * width + x] = f(x, y);
  return { luminance, width, height };
};

describe('pixel statistics', () => {
  it('finds percentiles by histogram', () => {
    const values = Uint8Array.from({ length: 101 }, (_, i) => i);
    expect(percentile(values, 0.05)).toBe(5);
    expect(percentile(values, 0.95)).toBe(95);
  });

  it('measures contrast independently of exposure, and low when washed out', () => {
    const values = Uint8Array.from({ length: 200 }, (_, i) => 40 + (i % 100));
    const darker = values.map((v) => Math.round(v / 2));
    const washed = values.map((v) => 180 + Math.round(v / 4));
    expect(spreadContrast(darker)).toBeCloseTo(spreadContrast(values), 1);
    expect(spreadContrast(washed)).toBeLessThan(spreadContrast(values) / 3);
  });

  it('scores fine detail as sharper than a smooth ramp, whatever the region size', () => {
    const checker = plane(200, 200, (x, y) => (((x >> 2) + (y >> 2)) % 2 === 0 ? 60 : 200));
    const ramp = plane(200, 200, (x) => x);
    const rect = { x: 20, y: 20, width: 160, height: 160 };
    expect(normalisedLaplacianVariance(checker, rect, 128)).toBeGreaterThan(10 * normalisedLaplacianVariance(ramp, rect, 128));
  });

  it('samples only inside the plane and where the mask allows', () => {
    const p = plane(10, 10, (x) => x);
    expect(sample(p, { x: -5, y: -5, width: 8, height: 8 }).length).toBe(9);
    expect([...sample(p, { x: 0, y: 0, width: 10, height: 1 }, (x) => x >= 8)]).toEqual([8, 9]);
  });
});
