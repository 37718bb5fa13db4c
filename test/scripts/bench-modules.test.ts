import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** `npm run bench` with no name runs every file in scripts/bench: each must be a benchmark. */
describe('scripts/bench', () => {
  it('holds only benchmarks (each exports runBenchmark); helpers live in scripts/lib', () => {
    const files = readdirSync('scripts/bench').filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    const notBenchmarks = files.filter((file) => !/^export async function runBenchmark\(/m.test(readFileSync(join('scripts/bench', file), 'utf8')));
    expect(notBenchmarks).toEqual([]);
  });
});
