import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFuzzTargets } from '../../scripts/fuzz';
import { fuzzFailureReport } from '../../scripts/fuzz/report';

// `npm run fuzz` feeds 100,000 inputs to each target from a fresh seed each run; the test suite a smaller
// count from one fixed seed (FUZZ_SEED to try another), so that a red suite is a regression, not a new find.
// fast-check prints the seed and the smallest failing input.
const inputsPerTarget = 2_000;
const seed = Number(process.env['FUZZ_SEED'] ?? 20261207);
const targets = await loadFuzzTargets();

describe('hostile input', () => {
  it('has a target for every application boundary', () => {
    const boundaries = ['api-command', 'batch-file', 'config-file', 'mrz', 'photo', 'taiwan-id', 'websocket'];
    expect(targets.map((t) => t.name)).toEqual(expect.arrayContaining(boundaries));
  });
  it('has a target for every device parser', () => {
    const devices = ['bill-validator', 'chip-record', 'firmata', 'printer-command', 'printer-reply', 'receipt-printer', 'scanner-frame', 'vpcd-frame'];
    expect(targets.map((t) => t.name)).toEqual(expect.arrayContaining(devices));
  });
  for (const target of targets) {
    it(`${target.name}: ${inputsPerTarget} random and mutated inputs, no crash, a clear error`, async () => {
      const result = await fc.check(fc.asyncProperty(target.input, async (input) => { await target.feed(input); }), { numRuns: inputsPerTarget, seed, includeErrorInReport: true });
      if (result.failed) throw new Error(fuzzFailureReport(result));
    }, 120_000);
  }
});

describe('the fuzz runner (npm run fuzz)', () => {
  // Four targets that misbehave on purpose (test/scripts/fuzz-fixtures): each run in a worker of its own.
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/fuzz.ts', '--targets-dir', 'test/scripts/fuzz-fixtures', ...args], { encoding: 'utf8', timeout: 60_000 });

  it('prints the seed, names a hang with its input, a heap that grows, a crash with its counterexample; last line the JSON', () => {
    const result = run('--count', '2000', '--seed', '42', '--stall-ms', '500', '--max-heap-growth-mb', '8');
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^fuzz: seed 42, 2000 inputs per target, 4 targets/);
    expect(result.stdout).toMatch(/HANG hangs .*seed 42: input #\d+ did not return within 500 ms; replay: npm run fuzz -- --target hangs --seed 42\b.*\n {2}input: 7\n/);
    expect(result.stdout).toMatch(/MEM {2}leaks .*seed 42: heap grew \+3\d\.\d MB after GC over the run \(bound 8 MB\)/);
    expect(result.stdout).toMatch(/FAIL refuses-badly .*seed 42[\s\S]*Counterexample: \["x"\]/);
    expect(result.stdout).toMatch(/ok {3}holds: 2000 inputs in [\d.]+ s, heap [+-][\d.]+ MB after GC \(seed 42\)/);
    expect(JSON.parse(lines.at(-1) ?? '')).toEqual({ targets: 4, inputsPerTarget: 2000, failures: 3 });
    expect(result.status).toBe(1);
  }, 60_000);

  it('runs one target with --target, a fresh seed printed when none is given, and refuses unknown flags', () => {
    const one = run('--count', '300', '--target', 'holds');
    expect(one.stdout).toMatch(/^fuzz: seed -?\d+, 300 inputs per target, 1 targets/);
    expect(JSON.parse(one.stdout.trim().split('\n').at(-1) ?? '')).toEqual({ targets: 1, inputsPerTarget: 300, failures: 0 });
    expect(one.status).toBe(0);
    const bad = run('--count', 'many');
    expect(bad.stderr).toContain('--count takes a positive whole number');
    expect(bad.status).toBe(2);
  }, 60_000);
});
