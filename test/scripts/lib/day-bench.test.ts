import { describe, expect, it } from 'vitest';
import { lastJsonLine } from '../../../scripts/lib/bench-results';
import { checksAfter, dayFaults, faultPlan, fullDay, parseDayBenchOptions, phaseFigures, storeMbPer1000, type Sample } from '../../../scripts/lib/day-bench';
import { rssBytesFromStatus } from '../../../scripts/lib/process-memory';

const mib = 1024 * 1024;
const sample = (done: number, rssMb: number, fds: number, heapMb = 90): Sample => ({ done, rssBytes: rssMb * mib, heapBytes: heapMb * mib, fds, storeBytes: 0 });

describe('the market day bench (pure parts)', () => {
  it('runs the whole day by default and takes shorter counts as options', () => {
    expect(parseDayBenchOptions([])).toEqual(fullDay);
    expect(fullDay).toMatchObject({ issuances: 2_000, checks: 500, topups: 5_000 });
    expect(parseDayBenchOptions(['--issuances', '20', '--checks', '5', '--topups', '0'])).toMatchObject({ issuances: 20, checks: 5, topups: 0 });
    expect(() => parseDayBenchOptions(['--issuances', '0'])).toThrow(/--issuances '0'/);
    expect(() => parseDayBenchOptions(['--cards', '3'])).toThrow();
  });

  it('spreads one fault every 50 applicants over the day, one kind after the other', () => {
    const plan = faultPlan(2_000, 50);
    expect(plan.size).toBe(40);
    for (const kind of dayFaults) expect([...plan.values()].filter((fault) => fault === kind)).toHaveLength(10);
    const at = [...plan.keys()].sort((a, b) => a - b);
    expect(at[0]).toBe(25);
    expect(at.at(-1)).toBe(1_975);
    // A short day still meets every kind, none on two applicants in a row.
    const short = faultPlan(8, 50);
    expect(new Set(short.values())).toEqual(new Set(dayFaults));
    expect([...short.keys()]).toEqual([1, 3, 5, 7]);
    expect(faultPlan(2, 50).size).toBe(1);
  });

  it('makes exactly the day\'s card checks, spread between the applicants', () => {
    for (const [issuances, checks] of [[2_000, 500], [7, 3], [2, 5], [10, 0]] as const) {
      let sum = 0;
      for (let index = 0; index < issuances; index++) sum += checksAfter(index, issuances, checks);
      expect(sum).toBe(checks);
    }
  });

  it('measures growth against the sample once 10 % of the work is done, not against the start-up', () => {
    const samples = [sample(0, 300, 40), sample(50, 420, 44), sample(100, 430, 44), sample(500, 450, 44), sample(1000, 441, 44)];
    const figures = phaseFigures(samples, 1_000);
    expect(figures).toMatchObject({ rssStartMb: 300, rssEndMb: 441, rssGrowth: 1.026, fdsStart: 40, fdsEnd: 44, fdGrowth: 0, rssMaxMb: 450, samples: 5 });
    const leaking = phaseFigures([sample(0, 300, 40), sample(100, 400, 44), sample(1000, 480, 47)], 1_000);
    expect(leaking.rssGrowth).toBe(1.2);
    expect(leaking.fdGrowth).toBe(3);
    expect(storeMbPer1000(1 * mib, 41 * mib, 2_000)).toBe(20);
  });

  it('reads VmRSS from /proc/<pid>/status', () => {
    expect(rssBytesFromStatus('Name:\tnode\nVmHWM:\t  500000 kB\nVmRSS:\t  412340 kB\nRssAnon:\t 1 kB\n')).toBe(412_340 * 1024);
    expect(() => rssBytesFromStatus('Name:\tnode\n')).toThrow(/VmRSS/);
  });

  it('keeps the last JSON object a benchmark printed (npm run bench → var/bench.json)', () => {
    expect(lastJsonLine('== bench x\nfigures: 3\n{"a":1}\n{"b":2}\n')).toEqual({ b: 2 });
    expect(lastJsonLine('{"a":1}\n{not json}\n[1,2]\n')).toEqual({ a: 1 });
    expect(lastJsonLine('no figures\n')).toBeUndefined();
  });
});
