import { openCardPrinter } from '../../hardware/printer/driver';
import { imageToYmckoPanels } from '../../hardware/printer/panels';
import { encodePanel } from '../../hardware/printer/protocol';
import { defaultSimulatorTiming, startPrinterSimulator } from '../../hardware/printer/simulator';
import { openPtyPair } from '../../hardware/serial/pty-pair';
import { chipArea } from '../../kiosk/controller/card-face/layout';
import { renderCardFace, renderCardFaceImages, type CardFaceInput } from '../../kiosk/controller/card-face/render-card-face';

/**
 * `npm run bench -- printer`: time to render a card face, to encode a YMCKO job (panels + wire
 * bytes), and the simulated printer's cards per hour. Targets: render ≤ 150 ms a face, encode ≤ 50 ms a job.
 */
const input: CardFaceInput = {
  cardType: 'student',
  schoolLevel: 'junior-high',
  scheme: 'ipass',
  holderName: '陳志明',
  cardNumber: '8800123456789012',
  issueDate: '2025-03-14',
};
const rounds = 12;
const warmup = 2;
const simulatedCards = 4;
const benchTimeScale = 0.01;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function timeIt(run: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < warmup + rounds; i++) {
    const start = performance.now();
    await run();
    if (i >= warmup) times.push(performance.now() - start);
  }
  return median(times);
}

export async function runBenchmark(): Promise<void> {
  const images = await renderCardFaceImages(input);
  if (!images.ok) throw new Error(`render failed: ${images.error.kind}`);
  const renderBothMs = await timeIt(() => renderCardFaceImages(input));
  const renderPerFaceMs = renderBothMs / 2;

  const image = (rgb: Buffer) => ({ width: 1016, height: 648, channels: 3, data: rgb });
  const { front, back } = images.value;
  let wireBytes = 0;
  const encodeJob = (sides: Buffer[]): void => {
    wireBytes = 0;
    sides.forEach((rgb, i) => {
      for (const panel of imageToYmckoPanels(image(rgb), { overlayHole: i === 0 ? chipArea : null })) wireBytes += encodePanel(panel).length;
    });
  };
  const encodeSingleMs = await timeIt(() => encodeJob([front.rgb]));
  const singleBytes = wireBytes;
  const encodeDuplexMs = await timeIt(() => encodeJob([front.rgb, back.rgb]));

  // the simulated printer over a real pty, driven by the real driver: print, park, eject
  const pair = await openPtyPair('bench-printer');
  const sim = await startPrinterSimulator({ devicePath: pair.devicePath, timeScale: benchTimeScale });
  const printer = await openCardPrinter({ path: pair.hostPath, pollIntervalMs: 0 });
  const face = await renderCardFace({ ...input, printBack: false });
  if (!face.ok) throw new Error('render failed');
  const wallStart = performance.now();
  try {
    for (let i = 0; i < simulatedCards; i++) {
      const printed = await printer.printCard(face.value.job);
      if (!printed.ok) throw new Error(`print failed: ${printed.error.kind}`);
      const ejected = await printer.ejectCard();
      if (!ejected.ok) throw new Error(`eject failed: ${ejected.error.kind}`);
    }
  } finally {
    await printer.close();
    await sim.close();
    await pair.close();
  }
  const wallMs = performance.now() - wallStart;
  const simulatedMsPerCard = sim.state().simulatedMs / simulatedCards;
  const kioskCardsPerHour = 3_600_000 / simulatedMsPerCard;
  const t = defaultSimulatorTiming;
  const plainJobMs = t.insertMs + 5 * t.panelPrintMs + t.ejectMs;

  const figures = {
    renderPerFaceMs: round(renderPerFaceMs),
    renderCardBothFacesMs: round(renderBothMs),
    encodeSingleSidedJobMs: round(encodeSingleMs),
    encodeDuplexJobMs: round(encodeDuplexMs),
    singleSidedJobWireBytes: singleBytes,
    duplexJobWireBytes: wireBytes,
    simulatedSecondsPerCardKioskFlow: round(simulatedMsPerCard / 1000),
    simulatedCardsPerHourKioskFlow: Math.round(kioskCardsPerHour),
    simulatedCardsPerHourPlainJob: Math.round(3_600_000 / plainJobMs),
    wallMsPerCardAtTimeScale: round(wallMs / simulatedCards),
    timeScale: benchTimeScale,
    targets: { renderPerFaceMs: 150, encodeJobMs: 50 },
  };
  const lines = [
    `render one card face (median of ${rounds}):          ${figures.renderPerFaceMs} ms  (both faces in parallel: ${figures.renderCardBothFacesMs} ms; target ≤ 150 ms a face)`,
    `encode a YMCKO job, single-sided:                  ${figures.encodeSingleSidedJobMs} ms  (${singleBytes} bytes on the wire; target ≤ 50 ms)`,
    `encode a YMCKO job, both sides:                    ${figures.encodeDuplexJobMs} ms  (${wireBytes} bytes)`,
    `simulated printer, kiosk flow (print, park, eject): ${figures.simulatedSecondsPerCardKioskFlow} s a card = ${figures.simulatedCardsPerHourKioskFlow} cards/h`,
    `simulated printer, plain single-sided job (Ss…Se):  ${figures.simulatedCardsPerHourPlainJob} cards/h`,
    `wall time a card at timeScale ${benchTimeScale}:             ${figures.wallMsPerCardAtTimeScale} ms (driver + pty + simulator)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(figures)}\n`);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
