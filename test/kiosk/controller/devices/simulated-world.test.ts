import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCardPrinter } from '../../../../hardware/printer/driver';
import { imageToYmckoPanels } from '../../../../hardware/printer/panels';
import type { CardPrinter, PrintJob } from '../../../../hardware/printer/types';
import { loadConfig } from '../../../../kiosk/controller/config';
import { createSimulatedWorld, type SimulatedWorld } from '../../../../kiosk/controller/devices/simulated-world';
import { silentLog } from '../../../../shared/log';

/**
 * The simulated world's dev commands for the serial devices (no NFC here, so no pcscd): cables pulled
 * and plugged back at the same host path, and printer faults timed to the step the dev panel names.
 */
const face = { width: 1016, height: 648, channels: 3 as const, data: new Uint8Array(1016 * 648 * 3).fill(180) };
const job: PrintJob = { ribbon: 'ymcko', front: { panels: imageToYmckoPanels(face) } };
// Short: the power-loss case waits for one of them to run out.
const timeouts = { query: 1000, insert: 1000, panel: 1000, print: 1000, move: 1000 };

describe('simulated world: cables and printer faults from the dev panel', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-world-'));
  let world: SimulatedWorld;
  let printer: CardPrinter;

  beforeAll(async () => {
    const config = loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_SIMULATE: 'printer,scanner,board', KIOSK_NUMBER: '2', KIOSK_NFC: 'Real Reader 00 00', KIOSK_COUNTER_READER: 'Real Reader 01 00', KIOSK_PRINTER_TIME_SCALE: '0.0001' });
    world = await createSimulatedWorld(config, silentLog);
    printer = await openCardPrinter({ path: world.paths.printer!, timeouts, pollIntervalMs: 0, reopenIntervalMs: 50 });
  }, 30_000);
  afterAll(async () => {
    await printer?.close();
    await world?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pulls each serial cable and plugs it back at the same host path', async () => {
    expect(world.state().cables).toEqual({ printer: true, scanner: true, board: true });
    for (const device of ['printer', 'scanner', 'board'] as const) {
      const hostPath = world.paths[device]!;
      expect(await world.dev({ type: 'cable', device, plugged: false })).toEqual({ accepted: true });
      expect(existsSync(hostPath)).toBe(false);
      expect(world.state().cables[device]).toBe(false);
      // Pulling a pulled cable changes nothing.
      expect(await world.dev({ type: 'cable', device, plugged: false })).toEqual({ accepted: true });
      if (device === 'scanner') {
        expect(await world.dev({ type: 'feed-document', fixture: 'passportVietnam' })).toEqual({ accepted: false, code: 'other', reason: 'the ID scanner is unplugged' });
      }
      expect(await world.dev({ type: 'cable', device, plugged: true })).toEqual({ accepted: true });
      expect(await world.dev({ type: 'cable', device, plugged: true })).toEqual({ accepted: true });
      expect(existsSync(hostPath)).toBe(true);
      expect(world.state().cables[device]).toBe(true);
    }
    expect(await world.dev({ type: 'feed-document', fixture: 'passportVietnam' })).toEqual({ accepted: true });
  });

  it('the printer keeps its state across a replug, and the driver finds it again', async () => {
    expect(await world.dev({ type: 'printer-fault', fault: 'feeder-empty' })).toEqual({ accepted: true });
    expect(await world.dev({ type: 'printer-fault', fault: 'load-cards' })).toEqual({ accepted: true });
    const before = world.state().printer;
    const connected = new Promise<void>((resolve) => printer.on('connected', resolve));
    await world.dev({ type: 'cable', device: 'printer', plugged: false });
    await world.dev({ type: 'cable', device: 'printer', plugged: true });
    await connected;
    expect(world.state().printer).toEqual(before);
    expect(await printer.status()).toMatchObject({ ok: true, value: { feeder: 'loaded', printsLeft: before!.ribbonPrintsLeft } });
  });

  it('jams at the step named, at print-front when none is named, and times cover-open and power-loss', async () => {
    const printed = (): number => world.printer!.printedCards().length;
    const clearJam = async (): Promise<void> => {
      expect(await world.dev({ type: 'printer-fault', fault: 'clear-jam' })).toEqual({ accepted: true });
    };

    // The old name: a jam at print-front, so nothing is printed.
    expect(await world.dev({ type: 'printer-fault', fault: 'jam' })).toEqual({ accepted: true });
    let result = await printer.printCard(job);
    expect(result).toMatchObject({ ok: false, error: { kind: 'jam' } });
    expect(printed()).toBe(0);
    await clearJam();

    // A jam at the park step: the front was printed before the card stuck.
    expect(await world.dev({ type: 'printer-fault', fault: 'jam', atStep: 'park' })).toEqual({ accepted: true });
    result = await printer.printCard(job);
    expect(result).toMatchObject({ ok: false, error: { kind: 'jam' } });
    expect(printed()).toBe(1);
    expect(world.state().printer?.card).toBe('jammed');
    await clearJam();

    // A jam at eject: the card prints and parks; it sticks on its way out.
    expect(await world.dev({ type: 'printer-fault', fault: 'jam', atStep: 'eject' })).toEqual({ accepted: true });
    expect((await printer.printCard(job)).ok).toBe(true);
    expect(await printer.ejectCard()).toMatchObject({ ok: false, error: { kind: 'jam' } });
    expect(printed()).toBe(2);
    await clearJam();

    // The cover opened at insert: the job fails before a card is taken; without a step it opens now.
    const feeder = world.state().printer!.cardsInFeeder;
    expect(await world.dev({ type: 'printer-fault', fault: 'cover-open', atStep: 'insert' })).toEqual({ accepted: true });
    expect(world.state().printer?.cover).toBe('closed');
    expect(await printer.printCard(job)).toMatchObject({ ok: false, error: { kind: 'cover_open' } });
    expect(world.state().printer).toMatchObject({ cover: 'open', cardsInFeeder: feeder });
    await world.dev({ type: 'printer-fault', fault: 'cover-close' });
    expect(await world.dev({ type: 'printer-fault', fault: 'cover-open' })).toEqual({ accepted: true });
    expect(world.state().printer?.cover).toBe('open');
    await world.dev({ type: 'printer-fault', fault: 'cover-close' });

    // Power lost at print-front: the printer is still on until the job gets there.
    expect(await world.dev({ type: 'printer-fault', fault: 'power-loss', atStep: 'print-front' })).toEqual({ accepted: true });
    expect(world.state().printer?.powered).toBe(true);
    expect((await printer.printCard(job)).ok).toBe(false);
    expect(world.state().printer?.powered).toBe(false);
    expect(await world.dev({ type: 'printer-fault', fault: 'power-on' })).toEqual({ accepted: true });

    // A step only for the faults that can have one; unknown faults are refused.
    expect(await world.dev({ type: 'printer-fault', fault: 'garbage', atStep: 'park' })).toMatchObject({ accepted: false, reason: expect.stringMatching(/happens now/) });
    expect(await world.dev({ type: 'printer-fault', fault: 'melt' })).toMatchObject({ accepted: false });
  });
});
