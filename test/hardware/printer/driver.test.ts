import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { openCardPrinter, type CardPrinterOptions } from '../../../hardware/printer/driver';
import { imageToKPanel, imageToYmckoPanels, type RgbImage } from '../../../hardware/printer/panels';
import { startPrinterSimulator, type PrinterSimulator, type PrinterSimulatorOptions } from '../../../hardware/printer/simulator';
import type { CardPrinter, PrintJob, PrinterStatus } from '../../../hardware/printer/types';
import { waitFor } from '../../../hardware/host/child-processes';
import { openPtyPair, type PtyPair } from '../../../hardware/serial/pty-pair';
import type { LogEvent } from '../../../shared/log';

/** The driver, tested only through the simulator (or a raw misbehaving device) over real ptys. */
const timeouts = { query: 1000, insert: 3000, panel: 5000, print: 5000, move: 3000 };

function testImage(): RgbImage {
  const width = 1016;
  const height = 648;
  const data = new Uint8Array(width * height * 3).fill(255);
  const paint = (x0: number, y0: number, w: number, h: number, rgb: [number, number, number]): void => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) data.set(rgb, (y * width + x) * 3);
  };
  paint(0, 0, 1016, 100, [255, 0, 0]); // red band
  paint(600, 300, 200, 40, [0, 0, 0]); // black "text"
  paint(300, 400, 100, 100, [0, 0, 255]); // blue square
  return { width, height, channels: 3, data };
}

const colourJob = (withBack = false): PrintJob => ({
  ribbon: 'ymcko',
  front: { panels: imageToYmckoPanels(testImage()) },
  ...(withBack ? { back: { panels: [imageToKPanel(testImage())] } } : {}),
});

async function pixel(png: Buffer | undefined, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at] ?? -1, data[at + 1] ?? -1, data[at + 2] ?? -1];
}

describe('card printer driver over a real pty', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setup(
    sim: Partial<PrinterSimulatorOptions> = {},
    driver: Partial<CardPrinterOptions> = {},
  ): Promise<{ printer: CardPrinter; sim: PrinterSimulator; pair: PtyPair }> {
    const pair = await openPtyPair('printer');
    cleanup.push(() => pair.close());
    const simulator = await startPrinterSimulator({ devicePath: pair.devicePath, timeScale: 0.001, ...sim });
    cleanup.push(() => simulator.close());
    const printer = await openCardPrinter({ path: pair.hostPath, timeouts, pollIntervalMs: 0, ...driver });
    cleanup.push(() => printer.close());
    return { printer, sim: simulator, pair };
  }

  it('a line of noise: logged a few times, not per chunk, and reported as line noise until it is quiet', async () => {
    const pair = await openPtyPair('printer');
    cleanup.push(() => pair.close());
    const port = new SerialPort({ path: pair.devicePath, baudRate: 115200 });
    await new Promise((resolve) => port.once('open', resolve));
    cleanup.push(() => new Promise((resolve) => port.close(() => resolve())));
    const logs: LogEvent[] = [];
    const printer = await openCardPrinter({ path: pair.hostPath, timeouts, pollIntervalMs: 0, lineQuietMs: 500, log: (event) => logs.push(event) });
    cleanup.push(() => printer.close());
    const noise: boolean[] = [];
    printer.on('lineNoise', (noisy) => noise.push(noisy));
    for (let sent = 0; sent < 1024 * 1024; sent += 4096) {
      await new Promise<void>((resolve) => port.write(randomBytes(4096), () => port.drain(() => resolve())));
    }
    await waitFor(() => noise.length === 2, 10_000, 'line noise, then quiet');
    expect(noise).toEqual([true, false]);
    expect(logs.length).toBeLessThan(20);
    expect(logs.map((event) => event.eventId)).toEqual(expect.arrayContaining(['printer-stray-bytes', 'printer-line-noise']));
  });

  it('reads the full status of a fresh printer', async () => {
    const { printer } = await setup({ ribbonPrints: 123 });
    const status = await printer.status();
    expect(status).toMatchObject({
      ok: true,
      value: { connected: true, card: 'none', output: 'empty', cover: 'closed', feeder: 'loaded', ribbon: 'ymcko', printsLeft: 123, ribbonAtEnd: false },
    });
    expect(printer.lastStatus()).toEqual(status.ok ? status.value : undefined);
  });

  it('reads status from older firmware: no Sk;f, 2004 card replies, CR-terminated replies', async () => {
    const { printer, sim } = await setup({ model: 'primacy', firmware: 'guide-2004', replyTerminator: '\r', cards: 0 });
    expect(await printer.status()).toMatchObject({ ok: true, value: { card: 'none', feeder: 'empty' } });
    sim.injectFault({ kind: 'load-cards', count: 2 });
    expect(await printer.status()).toMatchObject({ ok: true, value: { feeder: 'loaded' } });
  });

  it('prints a YMCKO front and a K back, parks the card at the contactless station, then ejects it', async () => {
    const { printer, sim } = await setup({ cards: 3, ribbonPrints: 50 });
    const printed = await printer.printCard(colourJob(true));
    expect(printed).toMatchObject({ ok: true, value: { sides: 2, panels: 6, position: 'contactless-station' } });
    expect(sim.state()).toMatchObject({ card: 'contactless-station', cardsInFeeder: 2, ribbonPrintsLeft: 48, malformedCommands: 0 });
    expect(await printer.status()).toMatchObject({ ok: true, value: { card: 'contactless-station', printsLeft: 48 } });

    const [card] = sim.printedCards();
    expect(card).toMatchObject({ frontPanels: ['y', 'm', 'c', 'k', 'o'], backPanels: ['k'], disposition: 'contactless-station', chipAreaClear: true });
    expect(card?.overlayCoverage).toBeGreaterThan(0.9);
    expect(await pixel(card?.front, 500, 50)).toEqual([255, 0, 0]);
    expect(await pixel(card?.front, 700, 320)).toEqual([0, 0, 0]);
    expect(await pixel(card?.front, 350, 450)).toEqual([0, 0, 255]);
    expect(await pixel(card?.front, 900, 600)).toEqual([255, 255, 255]);
    expect(await pixel(card?.back, 500, 50)).toEqual([0, 0, 0]); // red is dark enough for K on a K-only side

    expect(await printer.ejectCard()).toEqual({ ok: true, value: undefined });
    expect(sim.state()).toMatchObject({ card: 'none', cardsEjected: 1 });
    expect(sim.printedCards()[0]?.disposition).toBe('ejected');
    // The card waits in the exit slot until the applicant takes it.
    expect(await printer.status()).toMatchObject({ ok: true, value: { card: 'none', output: 'card' } });
    sim.injectFault({ kind: 'take-card' });
    expect(await printer.status()).toMatchObject({ ok: true, value: { card: 'none', output: 'empty' } });
  });

  it('takes a blank card to the contactless station without printing (golden exchanges 2 and 5), and says when the feeder is empty', async () => {
    const { printer, sim } = await setup({ cards: 1, ribbonPrints: 10 });
    expect(await printer.insertToContactless()).toEqual({ ok: true, value: undefined });
    expect(sim.state()).toMatchObject({ card: 'contactless-station', cardsInFeeder: 0, ribbonPrintsLeft: 10 });
    expect(await printer.status()).toMatchObject({ ok: true, value: { card: 'contactless-station' } });
    expect(await printer.ejectCard()).toEqual({ ok: true, value: undefined });
    expect(await printer.insertToContactless()).toMatchObject({ ok: false, error: { kind: 'feeder_empty', command: 'Si' } });
    expect(sim.state()).toMatchObject({ card: 'none' });
  });

  it('reports an empty feeder and a spent ribbon as typed errors', async () => {
    const { printer, sim } = await setup({ cards: 0 });
    expect(await printer.printCard(colourJob())).toMatchObject({ ok: false, error: { kind: 'feeder_empty', command: 'Ss' } });
    sim.injectFault({ kind: 'load-cards', count: 1 });
    sim.injectFault({ kind: 'ribbon-end' });
    expect(await printer.printCard(colourJob())).toMatchObject({ ok: false, error: { kind: 'ribbon_out' } });
    expect(await printer.status()).toMatchObject({ ok: true, value: { card: 'inside', printsLeft: 0, ribbonAtEnd: true } });
    expect(await printer.rejectCard()).toEqual({ ok: true, value: undefined });
    expect(sim.state()).toMatchObject({ cardsRejected: 1, card: 'none' });
  });

  it('a ribbon that ends while a side prints fails that side: ribbon_out, the counter at 0 (never below), a new ribbon mends it', async () => {
    // Slow panels (1 s a side) so that the end lands inside the print movement, as the market day's bench makes it.
    const { printer, sim } = await setup({ timeScale: 0.01, timing: { panelPrintMs: 20_000 } });
    const before = sim.state().commandsReceived;
    const printing = printer.printCard(colourJob());
    // Pem, Pr, Pmi, Ss, Sr, five panels, then Sic: the side prints while Sic waits for its reply.
    await waitFor(() => sim.state().commandsReceived >= before + 11, 10_000, 'Sic sent');
    await new Promise((resolve) => setTimeout(resolve, 100));
    sim.injectFault({ kind: 'ribbon-end' });
    expect(await printing).toMatchObject({ ok: false, error: { kind: 'ribbon_out' } });
    expect(sim.state()).toMatchObject({ ribbonPrintsLeft: 0, card: 'inside' });
    expect(await printer.status()).toMatchObject({ ok: true, value: { card: 'inside', printsLeft: 0, ribbonAtEnd: true } });
    sim.injectFault({ kind: 'new-ribbon', prints: 10 });
    expect((await printer.printCard(colourJob())).ok).toBe(true);
    expect(sim.state()).toMatchObject({ ribbonPrintsLeft: 9, card: 'contactless-station' });
  });

  it('reports a cover opened mid-job, and the card can be rejected once it is closed', async () => {
    const { printer, sim } = await setup();
    sim.injectFault({ kind: 'cover-open', atStep: 'print-front' });
    expect(await printer.printCard(colourJob())).toMatchObject({ ok: false, error: { kind: 'cover_open' } });
    expect(await printer.status()).toMatchObject({ ok: true, value: { cover: 'open', card: 'inside' } });
    expect(await printer.rejectCard()).toMatchObject({ ok: false, error: { kind: 'cover_open', command: 'Ser' } });
    sim.injectFault({ kind: 'cover-close' });
    expect(await printer.rejectCard()).toEqual({ ok: true, value: undefined });
  });

  it('reports each step the printer confirmed, in order, and none past a jam (issue 16: the queue\'s progress)', async () => {
    const { printer, sim } = await setup({ cards: 3 });
    const steps: string[] = [];
    printer.on('step', (step) => steps.push(step));
    expect((await printer.printCard(colourJob(true))).ok).toBe(true);
    expect((await printer.ejectCard()).ok).toBe(true);
    expect(steps).toEqual(['insert', 'print-front', 'print-back', 'park', 'eject']);
    steps.length = 0;
    expect((await printer.printCard(colourJob())).ok).toBe(true);
    expect(steps).toEqual(['insert', 'print-front', 'park']);
    await printer.rejectCard();
    steps.length = 0;
    sim.injectFault({ kind: 'jam', atStep: 'park' });
    expect((await printer.printCard(colourJob(true))).ok).toBe(false);
    expect(steps).toEqual(['insert', 'print-front']);
  });

  it('reports a jam at the chosen step', async () => {
    const { printer, sim } = await setup();
    sim.injectFault({ kind: 'jam', atStep: 'park' });
    expect(await printer.printCard(colourJob())).toMatchObject({ ok: false, error: { kind: 'jam', command: 'Sic', reply: 'CARD JAM' } });
    expect(await printer.ejectCard()).toMatchObject({ ok: false, error: { kind: 'jam' } });
  });

  it('times out when the printer loses power mid-job, and works again after power returns', async () => {
    const { printer, sim } = await setup({}, { timeouts: { ...timeouts, print: 300 } });
    sim.injectFault({ kind: 'power-loss', atStep: 'print-front' });
    expect(await printer.printCard(colourJob())).toMatchObject({ ok: false, error: { kind: 'timeout', command: 'Sic', timeout: 'print' } });
    sim.injectFault({ kind: 'power-on' });
    expect(await printer.status()).toMatchObject({ ok: true, value: { card: 'inside' } });
  });

  it('drops garbage that arrives while idle', async () => {
    let dropped = 0;
    const { printer, sim } = await setup({}, { log: (event) => void (event.eventId === 'printer-stray-bytes' && (dropped += Number(event['bytes']))) });
    sim.injectFault({ kind: 'garbage', bytes: 64 });
    // Until the driver has dropped the garbage (a fixed sleep can be too short under load); a chunk of
    // only CR/LF/NUL is dropped unlogged, so the wait is bounded rather than required.
    for (const deadline = Date.now() + 5_000; dropped < 64 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await printer.status()).ok).toBe(true);
  });

  it('polls status while idle and reports changes', async () => {
    const { printer, sim } = await setup({}, { pollIntervalMs: 30 });
    await printer.status();
    const changed = new Promise<PrinterStatus>((resolve) => printer.on('status', resolve));
    sim.injectFault({ kind: 'feeder-empty' });
    expect(await changed).toMatchObject({ feeder: 'empty', connected: true });
  });

  it('reports unplugging, refuses commands meanwhile, and reconnects by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'printer-replug-'));
    let pair = await openPtyPair('printer', dir);
    let sim = await startPrinterSimulator({ devicePath: pair.devicePath, timeScale: 0.001 });
    const printer = await openCardPrinter({ path: pair.hostPath, timeouts, pollIntervalMs: 0, reopenIntervalMs: 50 });
    cleanup.push(async () => {
      await printer.close();
      await sim.close();
      await pair.close();
    });
    expect((await printer.status()).ok).toBe(true);

    const disconnected = new Promise<string>((resolve) => printer.on('disconnected', resolve));
    await sim.close();
    await pair.close();
    await disconnected;
    expect(printer.isConnected).toBe(false);
    expect(printer.lastStatus()).toMatchObject({ connected: false, card: 'unknown' });
    expect(await printer.status()).toMatchObject({ ok: false, error: { kind: 'disconnected' } });

    const connected = new Promise<void>((resolve) => printer.on('connected', resolve));
    pair = await openPtyPair('printer', dir);
    sim = await startPrinterSimulator({ devicePath: pair.devicePath, timeScale: 0.001, cards: 7 });
    await connected;
    expect(await printer.status()).toMatchObject({ ok: true, value: { connected: true, feeder: 'loaded' } });
    expect((await printer.printCard(colourJob())).ok).toBe(true);
    expect(sim.state().cardsInFeeder).toBe(6);
  });
});

describe('card printer driver against a misbehaving device', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** A raw device end that answers every command with `answer(command)` after `delayMs`. */
  async function fakeDevice(answer: (command: string) => string | undefined, delayMs = 5) {
    const pair = await openPtyPair('printer');
    cleanup.push(() => pair.close());
    const port = new SerialPort({ path: pair.devicePath, baudRate: 115200 });
    await new Promise((resolve) => port.once('open', resolve));
    cleanup.push(() => new Promise((resolve) => port.close(() => resolve())));
    const seen = { commands: [] as string[], outstanding: 0, maxOutstanding: 0 };
    port.on('data', (chunk: Buffer) => {
      for (const command of chunk.toString('latin1').split('\r').filter((c) => c.startsWith('\x1b'))) {
        seen.commands.push(command.slice(1));
        seen.outstanding++;
        seen.maxOutstanding = Math.max(seen.maxOutstanding, seen.outstanding);
        setTimeout(() => {
          seen.outstanding--;
          const reply = answer(command.slice(1));
          if (reply !== undefined) port.write(reply);
        }, delayMs);
      }
    });
    const printer = await openCardPrinter({ path: pair.hostPath, timeouts: { ...timeouts, move: 300 }, pollIntervalMs: 0 });
    cleanup.push(() => printer.close());
    return { printer, seen };
  }

  it('keeps one command in flight however many callers ask at once', async () => {
    const replies: Record<string, string> = { 'Rlr;p': 'OK', 'Rse;o': '5,00 Volts', 'Sk;f': '0', Rr: 'ymcko', 'Rco;I': '12', Rcr: 'OK' };
    const { printer, seen } = await fakeDevice((command) => replies[command] ?? 'ERROR CDE', 15);
    const results = await Promise.all([printer.status(), printer.status(), printer.ejectCard(), printer.status()]);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true]); // the fake does not know Se
    expect(results[0]).toMatchObject({ ok: true, value: { output: 'unknown' } }); // nor the exit sensor Rse;b
    expect(seen.maxOutstanding).toBe(1);
    // Six reads a status, plus Rse;b once: a model without the exit sensor is not asked again.
    expect(seen.commands).toHaveLength(7 + 6 + 6 + 1);
  });

  it('asks a garbled read once more', async () => {
    const replies: Record<string, string> = { 'Rlr;p': 'OK', 'Rse;o': '5,00 Volts', 'Rse;b': '0,21 Volts', 'Sk;f': '0', Rr: 'ymcko', 'Rco;I': '12', Rcr: 'OK' };
    let garbled = false;
    const { printer, seen } = await fakeDevice((command) => {
      if (command === 'Rse;o' && !garbled) {
        garbled = true;
        return '\xfe5,0\x01';
      }
      return replies[command];
    });
    expect(await printer.status()).toMatchObject({ ok: true, value: { cover: 'closed', printsLeft: 12 } });
    expect(seen.commands.filter((c) => c === 'Rse;o')).toHaveLength(2);
  });

  it('returns bad_reply for a reply it cannot read, and timeout when nothing comes', async () => {
    const { printer } = await fakeDevice((command) => (command === 'Rlr;p' ? 'BANANA' : undefined));
    expect(await printer.status()).toMatchObject({ ok: false, error: { kind: 'bad_reply', command: 'Rlr;p', reply: 'BANANA' } });
    expect(await printer.ejectCard()).toMatchObject({ ok: false, error: { kind: 'timeout', command: 'Se', timeout: 'move' } });
  });
});
