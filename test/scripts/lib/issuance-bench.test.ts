import { describe, expect, it } from 'vitest';
import {
  busyFraction, defaultIssuanceBenchOptions, drawCounterSeconds, parseIssuanceBenchOptions, printerOccupancy, runFigures,
} from '../../../scripts/lib/issuance-bench';

describe('the issuance benchmark options', () => {
  it('default to 60 applicants at 10, 30 and 60 s', () => {
    expect(parseIssuanceBenchOptions([])).toEqual(defaultIssuanceBenchOptions);
    expect(defaultIssuanceBenchOptions).toMatchObject({ applicants: 60, counterSeconds: [10, 30, 60] });
  });

  it('read --applicants, --counter-seconds a,b,c, --scale and --seed', () => {
    expect(parseIssuanceBenchOptions(['--applicants', '8', '--counter-seconds', '30', '--scale', '0.1', '--seed', '7'])).toEqual({
      applicants: 8, counterSeconds: [30], scale: 0.1, seed: 7,
    });
    expect(parseIssuanceBenchOptions(['--counter-seconds=5,45']).counterSeconds).toEqual([5, 45]);
  });

  it('refuse what they cannot use, saying which option', () => {
    expect(() => parseIssuanceBenchOptions(['--applicants', '0'])).toThrow(/--applicants '0'/);
    expect(() => parseIssuanceBenchOptions(['--applicants', '2.5'])).toThrow(/--applicants/);
    expect(() => parseIssuanceBenchOptions(['--counter-seconds', '10,,30'])).toThrow(/--counter-seconds ''/);
    expect(() => parseIssuanceBenchOptions(['--scale', '0'])).toThrow(/--scale '0'/);
    expect(() => parseIssuanceBenchOptions(['--scale', '2'])).toThrow(/--scale/);
    expect(() => parseIssuanceBenchOptions(['--counter', '30'])).toThrow(/counter/);
  });
});

describe('the applicants\' counter times', () => {
  it('stay within ±30 % of the mean, average near it, and are the same for the same seed', () => {
    const drawn = drawCounterSeconds(30, 600, 13);
    expect(Math.min(...drawn)).toBeGreaterThanOrEqual(21);
    expect(Math.max(...drawn)).toBeLessThanOrEqual(39);
    expect(Math.max(...drawn) - Math.min(...drawn)).toBeGreaterThan(15);
    expect(drawn.reduce((a, b) => a + b, 0) / drawn.length).toBeCloseTo(30, 0);
    expect(drawCounterSeconds(30, 600, 13)).toEqual(drawn);
    expect(drawCounterSeconds(30, 600, 14)).not.toEqual(drawn);
  });
});

describe('the printer busy fraction', () => {
  it('is the union of the busy intervals, clipped to the run', () => {
    const window = { start: 0, end: 100 };
    expect(busyFraction([{ start: 10, end: 30 }, { start: 50, end: 60 }], window)).toBeCloseTo(0.3);
    expect(busyFraction([{ start: 10, end: 30 }, { start: 20, end: 40 }], window)).toBeCloseTo(0.3);
    expect(busyFraction([{ start: -20, end: 10 }, { start: 90, end: 130 }], window)).toBeCloseTo(0.2);
    expect(busyFraction([], window)).toBe(0);
  });

  it('counts each card from its first printing step to its ejection, a card never ejected not at all', () => {
    const steps = [
      { jobId: 'a', step: 'printing', at: 10 },
      { jobId: 'a', step: 'encoding', at: 20 },
      { jobId: 'b', step: 'printing', at: 25 },
      { jobId: 'a', step: 'ejected', at: 30 },
      { jobId: 'c', step: 'printing', at: 31 },
      { jobId: 'c', step: 'printing', at: 35 },
      { jobId: 'c', step: 'ejected', at: 50 },
      { jobId: 'a', step: 'taken', at: 60 },
    ];
    expect(printerOccupancy(steps)).toEqual([{ start: 10, end: 30 }, { start: 31, end: 50 }]);
  });
});

describe('a run\'s figures', () => {
  it('convert the scaled run to real hours and compare it with the slower stage alone', () => {
    // 60 cards in 120 s at scale 0.05 = 2400 real seconds: 90 cards an hour; the counter (30 s) is slower than the printer (20 s).
    expect(runFigures({ counterSeconds: 30, cards: 60, wallMs: 120_000, scale: 0.05, printerSecondsPerCard: 20, printerBusyFraction: 0.6666 })).toEqual({
      counterSeconds: 30, cardsPerHour: 90, idealCardsPerHour: 120, pipelineEfficiency: 0.75, printerBusyFraction: 0.667,
    });
    // A sequential flow at 30 s with a 16 s printer: one card each 46 s against one each 30 s.
    expect(runFigures({ counterSeconds: 30, cards: 1, wallMs: 46_000, scale: 1, printerSecondsPerCard: 16, printerBusyFraction: 0 }).pipelineEfficiency).toBeCloseTo(0.652, 3);
    expect(runFigures({ counterSeconds: 10, cards: 1, wallMs: 16_000, scale: 1, printerSecondsPerCard: 16, printerBusyFraction: 1 }).pipelineEfficiency).toBe(1);
  });
});
