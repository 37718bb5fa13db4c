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
  const mrzPerSecond = measure('MRZ parses', (i) => parseMrz(mrzSamples[i % mrzSamples.length] ?? '', { referenceDate: reference }).valid);
  const idPerSecond = measure('ID checks', (i) => checkTaiwanId(idSamples[i % idSamples.length] ?? '').valid);
  const decisionsPerSecond = measure('eligibility decisions', (i) =>
    decideEligibility(eligibilitySamples[i % eligibilitySamples.length] ?? baseInput, defaultCityRules).guardianConsentRequired,
  );
  const figures = {
    mrzParsesPerSecond: Math.round(mrzPerSecond),
    idChecksPerSecond: Math.round(idPerSecond),
    eligibilityDecisionsPerSecond: Math.round(decisionsPerSecond),
    targetsMet: mrzPerSecond >= 200_000 && idPerSecond >= 1_000_000 && decisionsPerSecond >= 100_000,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Runs `work` in batches for MEASURE_MS after a warm-up; the result is consumed so it cannot be optimised away. */
function measure(label: string, work: (i: number) => boolean): number {
  let sink = 0;
  const run = (ms: number): { count: number; elapsed: number } => {
    const start = performance.now();
    let count = 0;
    while (performance.now() - start < ms) {
      for (let i = 0; i < BATCH; i++) if (work(count + i)) sink++;
      count += BATCH;
    }
    return { count, elapsed: performance.now() - start };
  };
  run(WARMUP_MS);
  const { count, elapsed } = run(MEASURE_MS);
  const perSecond = (count / elapsed) * 1_000;
  process.stdout.write(`${label.padEnd(24)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} /s  (${count} in ${elapsed.toFixed(0)} ms; ${sink > 0 ? 'checked' : 'none valid'})\n`);
  return perSecond;
}
