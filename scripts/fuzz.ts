import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { FuzzTarget } from './fuzz/target';

/**
 * `npm run fuzz [-- --count N] [--target NAME] [--seed S]`: every target in `fuzz/targets/` fed N
 * inputs (default 100,000), seeded; a failure prints its seed and the smallest input found.
 * Last line: one JSON object `{"targets":T,"inputsPerTarget":N,"failures":F}`.
 */
const targetsDir = join(dirname(fileURLToPath(import.meta.url)), 'fuzz', 'targets');

export async function loadFuzzTargets(): Promise<FuzzTarget[]> {
  const files = readdirSync(targetsDir).filter((f) => f.endsWith('.ts')).sort();
  const targets: FuzzTarget[] = [];
  for (const file of files) {
    const module = (await import(join(targetsDir, file))) as { target: FuzzTarget };
    targets.push(module.target);
  }
  return targets;
}

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
}

async function main(args: readonly string[]): Promise<void> {
  const count = Number(option(args, 'count') ?? 100_000);
  const only = option(args, 'target');
  const seedText = option(args, 'seed');
  const targets = (await loadFuzzTargets()).filter((t) => only === undefined || t.name === only);
  let failures = 0;
  for (const target of targets) {
    const seed = seedText === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(seedText);
    const started = performance.now();
    const result = await fc.check(fc.asyncProperty(target.input, async (input) => { await target.feed(input); }), { numRuns: count, seed });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.failed) {
      failures += 1;
      process.stdout.write(`FAIL ${target.name} (${target.subject}) seed ${seed} after ${result.numRuns} inputs, ${seconds} s\n${fc.defaultReportMessage(result) ?? ''}\n`);
    } else {
      process.stdout.write(`ok   ${target.name}: ${result.numRuns} inputs in ${seconds} s (seed ${seed})\n`);
    }
  }
  process.stdout.write(`${JSON.stringify({ targets: targets.length, inputsPerTarget: count, failures })}\n`);
  process.exitCode = failures === 0 ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
