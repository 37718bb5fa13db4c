import { spawnSync } from 'node:child_process';
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

  it('takes the names before the first option, and passes the options on (npm run bench -- issuance --applicants 20)', () => {
    const bench = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', 'no-such-bench', '--applicants', '20'], { encoding: 'utf8', timeout: 30_000 });
    expect(bench.status).toBe(2);
    expect(bench.stderr).toMatch(/^bench: unknown benchmark no-such-bench; available: .*\bbatch\b.*\bissuance\b/);
  });
});
