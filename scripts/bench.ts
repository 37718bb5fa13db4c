import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench -- <name>` runs `bench/<name>.ts`; with no name, every benchmark in turn.
 * Each benchmark prints its figures, and its last line is one JSON object with them.
 */
const benchDir = join(dirname(fileURLToPath(import.meta.url)), 'bench');
const available = readdirSync(benchDir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
  process.exit(2);
}
for (const name of requested.length > 0 ? requested : available) {
  process.stdout.write(`== bench ${name}\n`);
  const module = (await import(join(benchDir, `${name}.ts`))) as { runBenchmark(): Promise<void> };
  await module.runBenchmark();
}
