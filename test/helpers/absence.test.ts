import { describe, expect, it } from 'vitest';
import { absenceWindowMs, expectAbsentFor, timed } from './absence';

describe('absence checks', () => {
  it('watch a multiple of the positive case, never less than the floor', () => {
    expect(absenceWindowMs(100)).toBe(300);
    expect(absenceWindowMs(10)).toBe(200);
    expect(absenceWindowMs(1000, { factor: 2, floorMs: 2000 })).toBe(2000);
    expect(absenceWindowMs(1500, { factor: 2, floorMs: 2000 })).toBe(3000);
  });

  it('fail when the thing happens late in the window, and pass when it never does', async () => {
    const start = performance.now();
    const late = (): boolean => performance.now() - start > 150;
    await expect(expectAbsentFor(late, 100, { what: 'the late thing' })).rejects.toThrow(/the late thing happened \(watched for 300 ms, 3× the 100 ms/);
    const watched = await timed(() => expectAbsentFor(() => false, 50, { floorMs: 120 }));
    expect(watched).toBeGreaterThanOrEqual(120);
  });
});
