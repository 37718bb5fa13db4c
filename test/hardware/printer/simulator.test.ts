import { closeSync, constants, openSync, write } from 'node:fs';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { imageToKPanel, imageToYmckoPanels, type RgbImage } from '../../../hardware/printer/panels';
import { encodePanel } from '../../../hardware/printer/protocol';
import { defaultSimulatorTiming, keptImages, startPrinterSimulator, type PrinterSimulator, type PrinterSimulatorOptions } from '../../../hardware/printer/simulator';
import { openPtyPair, type PtyPair } from '../../../hardware/serial/pty-pair';
import { absenceWindowMs, timed } from '../../helpers/absence';

/**
 * The simulator against the golden exchanges of docs/protocols.md, byte for byte, through a real pty
 * and a raw serial port (no driver involved).
 */
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const quietMs = 40;

interface RawHost {
  /** Sends bytes and returns what came back once the line is quiet (and at least `minLength` arrived). */
  ask(bytes: Buffer | string, waitMs?: number, minLength?: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * Reads through serialport, writes through a second, blocking descriptor: serialport's poller loses
 * a pending write when data arrives meanwhile (bindings-cpp `Poller::poll` restarts uv_poll with the
 * new event only), and golden stream 7 is written in one go while the printer answers.
 */
async function openRawHost(path: string): Promise<RawHost> {
  const port = new SerialPort({ path, baudRate: 115200, lock: false });
  const fd = openSync(path, constants.O_WRONLY | constants.O_NOCTTY);
  const writeAll = async (bytes: Buffer): Promise<void> => {
    for (let at = 0; at < bytes.length; ) {
      const { bytesWritten } = await promisify(write)(fd, bytes, at, bytes.length - at);
      at += bytesWritten;
    }
  };
  await new Promise<void>((resolve, reject) => {
    port.once('open', () => resolve());
    port.once('error', reject);
  });
  let received = '';
  port.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  return {
    async ask(bytes, waitMs = 5000, minLength = 1) {
      received = '';
      void writeAll(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
      const deadline = Date.now() + waitMs;
      let lastLength = -1;
      let stableSince = Date.now();
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (received.length !== lastLength) {
          lastLength = received.length;
          stableSince = Date.now();
        } else if (received.length >= minLength && Date.now() - stableSince >= quietMs) {
          return received;
        }
        if (Date.now() > deadline) return received;
      }
    },
    close: async () => {
      closeSync(fd);
      await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
}

describe('printer simulator: golden exchanges over a real pty', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setup(options: Partial<PrinterSimulatorOptions> = {}): Promise<{ sim: PrinterSimulator; host: RawHost; pair: PtyPair }> {
    const pair = await openPtyPair('printer');
    cleanup.push(() => pair.close());
    const sim = await startPrinterSimulator({ devicePath: pair.devicePath, timeScale: 0.001, ...options });
    cleanup.push(() => sim.close());
    const host = await openRawHost(pair.hostPath);
    cleanup.push(() => host.close());
    return { sim, host, pair };
  }

  it('1, 4, 5: card presence, unknown command, contactless station and eject', async () => {
    const { host, sim } = await setup();
    expect(await host.ask(hex('1b526c723b700d'))).toBe('OK');
    expect(await host.ask(hex('1b5a7a0d'))).toBe('ERROR CDE');
    expect(await host.ask(hex('1b53690d'))).toBe('OK');
    expect(await host.ask(hex('1b526c723b700d'))).toBe('CARD');
    expect(await host.ask(hex('1b5369630d'))).toBe('OK');
    expect(await host.ask(hex('1b526c723b700d'))).toBe('CONTACTLESS CARD');
    expect(await host.ask(hex('1b53650d'))).toBe('OK');
    expect(sim.state()).toMatchObject({ card: 'none', cardsEjected: 1 });
  });

  it('keeps an ejected card in the exit slot until someone takes it (Rse;b), and a rejected one never goes there', async () => {
    const { host, sim } = await setup();
    const exitSlot = hex('1b5273653b620d'); // Rse;b
    expect(await host.ask(exitSlot)).toBe('0,21 Volts');
    expect(await host.ask(hex('1b5369630d'))).toBe('OK'); // Sic: a blank to the contactless station
    expect(await host.ask(exitSlot)).toBe('0,21 Volts');
    expect(await host.ask(hex('1b53650d'))).toBe('OK'); // Se
    expect(await host.ask(exitSlot)).toBe('4,93 Volts');
    expect(await host.ask(exitSlot)).toBe('4,93 Volts'); // still there: nobody took it
    expect(sim.state()).toMatchObject({ cardsEjected: 1, cardsInOutput: 1 });
    sim.injectFault({ kind: 'take-card' });
    expect(await host.ask(exitSlot)).toBe('0,21 Volts');
    expect(await host.ask(hex('1b5369630d'))).toBe('OK');
    expect(await host.ask(hex('1b5365720d'))).toBe('OK'); // Ser: to the reject box
    expect(await host.ask(exitSlot)).toBe('0,21 Volts');
    expect(sim.state()).toMatchObject({ cardsEjected: 1, cardsRejected: 1, cardsInOutput: 0 });
  });

  it('2, 3: empty feeder, last error, feeder and cover sensors', async () => {
    const { host, sim } = await setup({ cards: 0 });
    expect(await host.ask(hex('1b5273653b660d'))).toBe('0,00 Volts');
    expect(await host.ask(hex('1b53690d'))).toBe('FEEDER EMPTY');
    expect(await host.ask(hex('1b526c720d'))).toBe('FEEDER EMPTY');
    expect(await host.ask(hex('1b5273653b6f0d'))).toBe('5,00 Volts');
    sim.injectFault({ kind: 'cover-open' });
    expect(await host.ask(hex('1b5273653b6f0d'))).toBe('0,00 Volts');
    sim.injectFault({ kind: 'load-cards', count: 5 });
    expect(await host.ask(hex('1b5273653b660d'))).toBe('5,00 Volts');
  });

  it('1 with the 2004 guide replies', async () => {
    const { host } = await setup({ firmware: 'guide-2004' });
    expect(await host.ask(hex('1b526c723b700d'))).toBe('NO CARD');
  });

  it('6: a K-only job with an 8 × 8 square is printed and kept as an image', async () => {
    const { host, sim } = await setup({ ribbonPrints: 10 });
    for (const command of ['Pem;2', 'Pr;k', 'Ss', 'Sr']) expect(await host.ask(`\x1b${command}\r`)).toBe('OK');
    const payload = Buffer.alloc(1024);
    for (let i = 0; i < 8; i++) payload.set([0x01, 0xff], i * 2);
    const panel = Buffer.concat([hex('1b4462633b6b3b323b313032343b'), payload, hex('0d')]);
    expect(panel.length).toBe(1039);
    expect(await host.ask(panel)).toBe('OK');
    expect(await host.ask('\x1bSe\r')).toBe('OK');
    const [card] = sim.printedCards();
    expect(card).toMatchObject({ frontPanels: ['k'], ribbon: 'k', disposition: 'ejected' });
    expect(sim.state()).toMatchObject({ ribbonPrintsLeft: 9, cardsInFeeder: 99, panelsPrinted: 1 });
    const { data, info } = await sharp(card?.front).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([1016, 648]);
    const at = (x: number, y: number): number => data[(y * info.width + x) * info.channels] ?? -1;
    expect([at(0, 0), at(7, 7), at(8, 0), at(0, 8), at(500, 300)]).toEqual([0, 0, 255, 255, 255]);
  });

  it(`keeps the images of the last ${keptImages} cards printed, and the facts of every card`, async () => {
    const { host, sim } = await setup({ timeScale: 0.0001 });
    const face: RgbImage = { width: 1016, height: 648, channels: 3, data: new Uint8Array(1016 * 648 * 3) };
    const kPanel = encodePanel(imageToKPanel(face));
    for (let card = 0; card <= keptImages; card++) {
      for (const bytes of ['\x1bSs\r', kPanel, '\x1bSe\r']) expect(await host.ask(bytes)).toBe('OK');
    }
    const printed = sim.printedCards();
    expect(printed).toHaveLength(keptImages + 1);
    expect(printed.map((card) => card.disposition)).toEqual(Array(keptImages + 1).fill('ejected'));
    expect(printed[0]?.front).toBeUndefined();
    const kept = printed.filter((card) => card.front !== undefined).map((card) => card.index);
    expect(kept).toEqual(Array.from({ length: keptImages }, (_, i) => i + 1));
    // Decoded on demand from the panels received: the all-black face printed all black.
    const { data, info } = await sharp(printed[keptImages]!.front).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, data.every((byte) => byte === 0)]).toEqual([1016, 648, true]);
  });

  it('7: parses a real driver stream with the largest compressed panel, Se;1 and NUL padding', async () => {
    const { host, sim } = await setup();
    const payload = Buffer.alloc(83_312);
    for (let line = 0; line < 1016; line++) {
      payload[line * 82] = 0x51;
      payload.fill(line < 8 ? 0xff : 0x1b, line * 82 + 1, line * 82 + 82);
    }
    const stream = Buffer.concat([
      hex('1b50723b6b0d 1b506d693b463b730d'),
      Buffer.from('\x1bSs\r\x1bSr\r\x1bDbc;k;2;83312;', 'latin1'),
      payload,
      Buffer.from('\r\x1bSe;1\r', 'latin1'),
      Buffer.alloc(64),
    ]);
    // replies arrive back to back as the printer works through its buffer
    expect(await host.ask(stream, 5000, 12)).toBe('OKOKOKOKOKOK');
    expect(sim.printedCards()).toHaveLength(1);
    expect(sim.state()).toMatchObject({ malformedCommands: 0, garbageBytesReceived: 0, card: 'none' });
  });

  it('answers ACK / NACK + code under Pem;4, and ends replies with CR when configured', async () => {
    const { host } = await setup({ cards: 0, replyTerminator: '\r', model: 'primacy' });
    expect(await host.ask('\x1bRlr;p\r')).toBe('OK\r');
    expect(await host.ask('\x1bPem;4\r')).toBe('\x06');
    expect(await host.ask('\x1bSi\r')).toBe('\x15F');
    expect(await host.ask('\x1bPr;k\r')).toBe('\x06');
    expect(await host.ask('\x1bSk;f\r')).toBe('\x151');
  });

  it('faults: jam at a chosen step, cover opened mid-job, power loss, garbage on the line', async () => {
    const { host, sim } = await setup();
    sim.injectFault({ kind: 'jam', atStep: 'insert' });
    expect(await host.ask('\x1bSs\r')).toBe('CARD JAM');
    expect(await host.ask('\x1bSer\r')).toBe('CARD JAM');
    sim.injectFault({ kind: 'clear-jam' });
    expect(await host.ask('\x1bRlr;p\r')).toBe('OK');

    sim.injectFault({ kind: 'cover-open', atStep: 'park' });
    expect(await host.ask('\x1bSs\r')).toBe('OK');
    expect(await host.ask('\x1bSic\r')).toBe('COVER OPEN');
    expect(await host.ask('\x1bRlr;p\r')).toBe('CARD');
    sim.injectFault({ kind: 'cover-close' });
    expect(await host.ask('\x1bSer\r')).toBe('OK');
    expect(sim.state()).toMatchObject({ cardsRejected: 1, card: 'none' });

    // How long a powered printer takes to answer here, now: a dead one is given three times as long.
    const answerMs = await timed(async () => expect(await host.ask('\x1bRlr;p\r')).toBe('OK'));
    sim.injectFault({ kind: 'power-loss', atStep: 'insert' });
    expect(await host.ask('\x1bSs\r', absenceWindowMs(answerMs, { floorMs: 300 }))).toBe('');
    expect(await host.ask('\x1bRlr;p\r', absenceWindowMs(answerMs, { floorMs: 300 }))).toBe('');
    sim.injectFault({ kind: 'power-on' });
    expect(await host.ask('\x1bRlr;p\r')).toBe('OK');

    sim.injectFault({ kind: 'garbage', bytes: Buffer.from('\xfe\x00zz', 'latin1') });
    // Take the garbage off the line before asking (a fixed sleep can be too short under load).
    await host.ask('', 5000, 4);
    expect(await host.ask('zz\x1bRco;I\r')).toBe('300');
    expect(sim.state().garbageBytesReceived).toBe(2);
  });
  /**
   * The simulator's clock is its own (`simulatedMs`, unscaled), so realistic timing is checked exactly,
   * however fast the test runs it (timeScale 0.0001: the 16 s card takes under 2 ms of wall time).
   */
  it('takes 16 s of simulated time for a single-sided YMCKO card (225 cards/h), 19.5 s with a K back', async () => {
    const { host, sim } = await setup({ timeScale: 0.0001 });
    const face: RgbImage = { width: 1016, height: 648, channels: 3, data: new Uint8Array(1016 * 648 * 3).fill(128) };
    const card = async (back: boolean): Promise<void> => {
      for (const command of ['Pem;2', 'Pr;ymcko', 'Pmi;F;s', 'Ss', 'Sr']) expect(await host.ask(`\x1b${command}\r`)).toBe('OK');
      for (const panel of imageToYmckoPanels(face)) expect(await host.ask(encodePanel(panel))).toBe('OK');
      if (back) {
        expect(await host.ask('\x1bSv\r')).toBe('OK');
        expect(await host.ask(encodePanel(imageToKPanel(face)))).toBe('OK');
      }
      expect(await host.ask('\x1bSe\r')).toBe('OK');
    };

    await card(false);
    // Insert 1.5 s + 5 panels × 2.5 s + eject 2 s.
    expect(sim.state().simulatedMs).toBe(16_000);
    expect(3_600_000 / sim.state().simulatedMs).toBe(225);
    expect(sim.printedCards()[0]).toMatchObject({ frontPanels: ['y', 'm', 'c', 'k', 'o'], simulatedMs: 12_500, disposition: 'ejected' });

    await card(true);
    // The same, plus the flip (1 s) and one K pass (2.5 s) for the back.
    expect(sim.state().simulatedMs - 16_000).toBe(19_500);
    expect(sim.printedCards()[1]).toMatchObject({ backPanels: ['k'], simulatedMs: 16_000 });
    expect(defaultSimulatorTiming).toEqual({ insertMs: 1500, panelPrintMs: 2500, flipMs: 1000, parkMs: 1000, ejectMs: 2000 });
  });
});
