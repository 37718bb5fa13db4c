import { decideEligibility, defaultCityRules, type EligibilityInput } from '../../shared/domain';
import { checkTaiwanId, parseMrz } from '../../shared/identity';

/**
 * `npm run bench -- identity`: MRZ parses, ID checks and eligibility decisions per second on one core.
 * Targets (issue 3): ≥ 200,000 MRZ parses/s, ≥ 1,000,000 ID checks/s, ≥ 100,000 decisions/s.
 */
const MEASURE_MS = 1_000;
const WARMUP_MS = 300;
const BATCH = 1_000;

const mrzSamples = [
  'I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<',
  'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6',
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\r\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\r\n',
  'I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<',
];
const idSamples = ['A123456789', 'F131104093', 'A800000014', 'AA00000009', 'a123456789', 'A123456788', 'B223456780', 'Z999999999'];

const baseInput: EligibilityInput = {
  applicationDate: '2026-11-29',
  birthDate: '1961-11-30',
  household: { city: '桃園市', district: '復興區' },
  indigenous: false,
  documents: {
    disabilityCertificate: { companionRequired: true },
    residencePermit: false,
    spouseOfResident: false,
    universityInTaoyuan: false,
    school: null,
    cityEmployee: false,
  },
  heldCards: [{ type: 'disability', status: 'active' }],
};
const eligibilitySamples: EligibilityInput[] = [
  baseInput,
  { ...baseInput, birthDate: '2012-03-01', documents: { ...baseInput.documents, disabilityCertificate: null, school: 'junior-high' }, heldCards: [] },
  { ...baseInput, birthDate: '1970-05-05', indigenous: true, household: { city: '桃園市', district: '中壢區' } },
  { ...baseInput, birthDate: '1990-01-01', household: null, documents: { ...baseInput.documents, disabilityCertificate: null, residencePermit: true, spouseOfResident: true } },
];

export async function runBenchmark(): Promise<void> {
  const reference = { year: 2026, month: 11, day: 29 };
  const mrz = measure('MRZ parses', (i) => parseMrz(mrzSamples[i % mrzSamples.length] ?? '', { referenceDate: reference }).valid);
  const id = measure('ID checks', (i) => checkTaiwanId(idSamples[i % idSamples.length] ?? '').valid);
  const decisions = measure('eligibility decisions', (i) =>
    decideEligibility(eligibilitySamples[i % eligibilitySamples.length] ?? baseInput, defaultCityRules).guardianConsentRequired,
  );
  const figures = {
    mrzParsesPerSecond: mrz.perCpuSecond,
    idChecksPerSecond: id.perCpuSecond,
    eligibilityDecisionsPerSecond: decisions.perCpuSecond,
    wallClock: { mrzParsesPerSecond: mrz.perWallSecond, idChecksPerSecond: id.perWallSecond, eligibilityDecisionsPerSecond: decisions.perWallSecond },
    targetsMet: mrz.perCpuSecond >= 200_000 && id.perCpuSecond >= 1_000_000 && decisions.perCpuSecond >= 100_000,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

interface Rate {
  /** Per second of this process's CPU time: one core's throughput, whatever else the machine is doing. */
  readonly perCpuSecond: number;
  /** Per second of wall time: lower when other processes share the cores. */
  readonly perWallSecond: number;
}

/** Runs `work` in batches for MEASURE_MS after a warm-up; its results are counted so that they cannot be optimised away. */
function measure(label: string, work: (i: number) => boolean): Rate {
  const run = (ms: number): { count: number; wallMs: number; cpuMs: number; truthy: number } => {
    let truthy = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    let count = 0;
    while (performance.now() - start < ms) {
      for (let i = 0; i < BATCH; i++) if (work(count + i)) truthy++;
      count += BATCH;
    }
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { count, wallMs, cpuMs: (used.user + used.system) / 1_000, truthy };
  };
  run(WARMUP_MS);
  const { count, wallMs, cpuMs, truthy } = run(MEASURE_MS);
  const rate = { perCpuSecond: Math.round((count / cpuMs) * 1_000), perWallSecond: Math.round((count / wallMs) * 1_000) };
  const format = (n: number) => n.toLocaleString('en-US').padStart(12);
  process.stdout.write(
    `${label.padEnd(22)} ${format(rate.perCpuSecond)} /s of CPU   ${format(rate.perWallSecond)} /s of wall time   (${count} runs, ${truthy} true)\n`,
  );
  return rate;
}
