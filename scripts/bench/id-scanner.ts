import { performance } from 'node:perf_hooks';
import { fixtureDocuments } from '../../hardware/id-scanner/fixtures';
import { createScanDecoder, encodeDeskoFrame, encodePlainDocument, encodeRteFrame } from '../../hardware/id-scanner/protocol';
import { parseMrz } from '../../shared/identity/mrz';

/**
 * How fast the ID scanner's decoder frames bytes (a reader sends ~1 KB/s at 9600 baud, so anything in
 * MB/s is ample) and what one document costs end to end (framing + MRZ parse).
 */
export async function runBenchmark(): Promise<void> {
  const lines = fixtureDocuments.passportVietnam.lines;
  const oneOfEach = [...encodeRteFrame(lines), ...encodeDeskoFrame(fixtureDocuments.residentPermitTaiwan.lines), ...encodePlainDocument(lines)];
  const documentsPerRound = 3;
  const rounds = 20_000;
  const stream = new Uint8Array(oneOfEach.length * rounds);
  for (let i = 0; i < rounds; i++) stream.set(oneOfEach, i * oneOfEach.length);

  const framesRate = measure(() => {
    const decoder = createScanDecoder();
    let documents = 0;
    for (let at = 0; at < stream.length; at += 64) documents += decoder.push(stream.subarray(at, at + 64)).length;
    if (documents !== rounds * documentsPerRound) throw new Error(`decoded ${documents} documents`);
  });
  const noise = Uint8Array.from({ length: 4_000_000 }, (_, i) => (i * 2654435761) >>> 24);
  const noiseRate = measure(() => {
    const decoder = createScanDecoder();
    for (let at = 0; at < noise.length; at += 256) decoder.push(noise.subarray(at, at + 256));
    decoder.flush();
  });
  const parseRuns = 20_000;
  const parseMs = measure(() => {
    for (let i = 0; i < parseRuns; i++) parseMrz(lines.join('\n'));
  });

  const figures = {
    decodeMBps: round(stream.length / 1e6 / (framesRate / 1000)),
    documentsPerSecond: Math.round((rounds * documentsPerRound) / (framesRate / 1000)),
    noiseMBps: round(noise.length / 1e6 / (noiseRate / 1000)),
    parseMrzMicroseconds: round((parseMs * 1000) / parseRuns),
  };
  process.stdout.write(`decoder, mixed RTE/Desko/plain frames in 64-byte reads: ${figures.decodeMBps} MB/s (${figures.documentsPerSecond} documents/s)\n`);
  process.stdout.write(`decoder, random line noise in 256-byte reads: ${figures.noiseMBps} MB/s\n`);
  process.stdout.write(`parseMrz of one TD3 passport: ${figures.parseMrzMicroseconds} µs\n`);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Best of three runs, in milliseconds. */
function measure(run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
