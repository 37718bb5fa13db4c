import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reducedDayArgs } from './lib/day-bench';
import { lastJsonLine, teeStdout } from './lib/bench-results';

/**
 * `npm run bench -- <name>` runs `bench/<name>.ts`; with no name, every benchmark in turn, and then
 * writes var/bench.json: each benchmark's last line (its JSON figures) keyed by its name, with the
 * machine (CPU model and cores, memory, Node's version) and the date.
 * Each benchmark prints its figures, and its last line is one JSON object with them.
 * Options after the names (from the first `--…` on) go to the benchmarks: `npm run bench -- issuance --applicants 20`.
 * The market day (`day`) takes about an hour at full size: run with no name, it is a tenth of the day
 * (`reducedDayArgs`) unless `--full` is given.
 */
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const benchDir = join(root, 'scripts', 'bench');
const available = readdirSync(benchDir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith('--'));
const requested = firstOption === -1 ? args : args.slice(0, firstOption);
const given = firstOption === -1 ? [] : args.slice(firstOption);
const full = given.includes('--full');
const options = given.filter((arg) => arg !== '--full');
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
  process.exit(2);
}
const all = requested.length === 0;
const results: Record<string, unknown> = {};
for (const name of all ? available : requested) {
  process.stdout.write(`== bench ${name}\n`);
  const module = (await import(join(benchDir, `${name}.ts`))) as { runBenchmark(options: readonly string[]): Promise<void> };
  const benchOptions = name === 'day' && all && !full ? [...reducedDayArgs, ...options] : options;
  if (!all) {
    await module.runBenchmark(benchOptions);
    continue;
  }
  // Everything: one benchmark that fails is recorded as failed, and the others still run.
  const captured = teeStdout();
  try {
    await module.runBenchmark(benchOptions);
    results[name] = lastJsonLine(captured.text()) ?? { error: 'no JSON line' };
  } catch (error) {
    process.stderr.write(`bench ${name} failed: ${(error as Error).stack ?? String(error)}\n`);
    results[name] = { error: (error as Error).message };
  } finally {
    captured.stop();
  }
}
if (all) {
  const cpuList = cpus();
  const record = {
    date: new Date().toISOString(),
    machine: { cpu: cpuList[0]?.model ?? 'unknown', cores: cpuList.length, memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10, node: process.version },
    ...(full ? {} : { day: `reduced: ${reducedDayArgs.join(' ')} (npm run bench -- --full for the whole day)` }),
    benchmarks: results,
  };
  mkdirSync(join(root, 'var'), { recursive: true });
  writeFileSync(join(root, 'var', 'bench.json'), `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(`bench: var/bench.json written (${Object.keys(results).length} benchmarks)\n`);
  // A benchmark that failed fails the run (its entry says why).
  if (Object.values(results).some((value) => typeof value === 'object' && value !== null && 'error' in value)) process.exitCode = 1;
}
