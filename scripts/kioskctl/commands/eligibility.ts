import { decideEligibility, defaultCityRules, describeInputProblems, eligibilityInputSchema } from '../../../shared/domain';
import type { KioskctlCommand } from '../main';

const usage = 'usage: kioskctl eligibility < applicant.json\n';

/**
 * `kioskctl eligibility`: the applicant's facts as JSON on stdin, one decision per card type as JSON on
 * stdout; exit 0 when at least one card type is open to the applicant, 1 when none, 2 for bad input.
 */
export const command: KioskctlCommand = {
  summary: 'decide which card types an applicant may have (JSON on stdin), with reasons',
  async run(args) {
    if (args.length > 0 || process.stdin.isTTY) {
      process.stderr.write(usage);
      return 2;
    }
    const text = await readStdin();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      process.stderr.write(`kioskctl eligibility: stdin is not JSON (${(error as Error).message})\n${usage}`);
      return 2;
    }
    const parsed = eligibilityInputSchema.safeParse(json);
    if (!parsed.success) {
      process.stderr.write(`kioskctl eligibility: invalid input\n${describeInputProblems(parsed.error).map((line) => `  ${line}\n`).join('')}`);
      return 2;
    }
    const decision = decideEligibility(parsed.data, defaultCityRules);
    process.stdout.write(`${JSON.stringify(decision)}\n`);
    return decision.cards.some((card) => card.eligible) ? 0 : 1;
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
