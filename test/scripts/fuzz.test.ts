import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFuzzTargets } from '../../scripts/fuzz';

// `npm run fuzz` feeds 100,000 inputs to each target; the test suite a smaller count, with a fixed seed
// per run printed on failure by fast-check (replay: npm run fuzz -- --target NAME --seed S).
const inputsPerTarget = 2_000;
const targets = await loadFuzzTargets();

describe('hostile input', () => {
  it('has a target for every boundary', () => {
    expect(targets.map((t) => t.name)).toContain('taiwan-id');
  });
  for (const target of targets) {
    it(`${target.name}: ${inputsPerTarget} random and mutated inputs, no crash, a clear error`, async () => {
      await fc.assert(fc.asyncProperty(target.input, async (input) => { await target.feed(input); }), { numRuns: inputsPerTarget });
    }, 120_000);
  }
});
