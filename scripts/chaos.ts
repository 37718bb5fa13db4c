import { parseChaosOptions } from './chaos/options';
import { flowsRequiredFrom, resultLine, runChaos } from './chaos/session';

/**
 * `npm run chaos -- --runs N [--seed S]`: kills the kiosk's controller at random moments while it
 * works and checks, after every restart, that nothing was issued twice, no card number reused, no
 * blank unaccounted for, no dollar lost or credited twice, and the audit chain whole (scripts/chaos/).
 * The last line is one JSON object of counts; the exit status is 1 on any violation.
 */
let options;
try {
  options = parseChaosOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`chaos: ${(error as Error).message}\nusage: npm run chaos -- --runs N [--seed S] [--scale s] [--max-kill-ms ms] [--kiosk both|counter|top-up] [--keep]\n`);
  process.exit(2);
}
const started = Date.now();
process.stdout.write(`chaos: ${options.runs} runs, seed ${options.seed}, printer scale ${options.scale}, kill within ${options.maxKillMs} ms\n`);
const result = await runChaos(options, (line) => process.stdout.write(`${line}\n`));
const seconds = Math.round((Date.now() - started) / 1000);
process.stdout.write(`chaos: ${result.runs} runs in ${seconds} s; ${result.stuck} stuck\n`);
if (result.firstBadRun !== null) process.stdout.write(`chaos: an invariant broke first in run ${result.firstBadRun}: replay with npm run chaos -- --seed ${options.seed} --runs ${result.firstBadRun}\n`);
process.stdout.write(`${resultLine(result)}\n`);
const untested = result.unexercised.length > 0 && options.runs >= flowsRequiredFrom;
process.exit(result.firstBadRun !== null || result.stuck > 0 || untested ? 1 : 0);
