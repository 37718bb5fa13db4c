import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench -- <name>` runs `bench/<name>.ts`; with no name, every benchmark in turn.
 * Each benchmark prints its figures, and its last line is one JSON object with them.
 * Options after the names (from the first `--…` on) go to the benchmarks: `npm run bench -- issuance --applicants 20`.
 */
const benchDir = join(dirname(fileURLToPath(import.meta.url)), 'bench');
const available = readdirSync(benchDir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith('--'));
const requested = firstOption === -1 ? args : args.slice(0, firstOption);
const options = firstOption === -1 ? [] : args.slice(firstOption);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
  process.exit(2);
}
for (const name of requested.length > 0 ? requested : available) {
  process.stdout.write(`== bench ${name}\n`);
  const module = (await import(join(benchDir, `${name}.ts`))) as { runBenchmark(options: readonly string[]): Promise<void> };
  await module.runBenchmark(options);
}
