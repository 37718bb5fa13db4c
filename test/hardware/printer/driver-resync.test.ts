import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { openCardPrinter } from '../../../hardware/printer/driver';
import { encodeCommand, panelBytes } from '../../../hardware/printer/protocol';
import { startPrinterSimulator } from '../../../hardware/printer/simulator';
import { openPtyPair } from '../../../hardware/serial/pty-pair';

/**
 * Found by `npm run chaos`: the controller killed while it sent a panel leaves the printer (still
 * powered, on the same line) waiting for the rest of that panel, and it takes every byte the next
 * controller sends — its status reads too — as panel data. The restarted kiosk saw no printer, so
 * its crash recovery could not find the half-printed card, booked no blank and left the card inside.
 */
const timeouts = { query: 1000, insert: 3000, panel: 5000, print: 5000, move: 3000 };

describe('a printer left inside a panel by a host that died', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('answers the next host: the driver ends the panel with NULs and reads again, and the card inside is found', { timeout: 30_000 }, async () => {
    const pair = await openPtyPair('printer');
    cleanup.push(() => pair.close());
    const sim = await startPrinterSimulator({ devicePath: pair.devicePath, timeScale: 0.001 });
    cleanup.push(() => sim.close());

    // The host that dies: a card taken from the feeder, then half a Y panel (32 levels), and no more.
    const dead = new SerialPort({ path: pair.hostPath, baudRate: 115200 });
    await new Promise((resolve) => dead.once('open', resolve));
    const write = (bytes: Buffer): Promise<void> => new Promise((resolve) => dead.write(bytes, () => dead.drain(() => resolve())));
    for (const [name, params] of [['Pem', [2]], ['Ss', []], ['Sr', []]] as const) await write(encodeCommand(name, params));
    await write(Buffer.concat([Buffer.from('\x1bDb;y;32;', 'latin1'), Buffer.alloc(panelBytes(32) / 2, 0x55)]));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    expect(sim.state()).toMatchObject({ card: 'inside', cardsInserted: 1 });

    const printer = await openCardPrinter({ path: pair.hostPath, timeouts, pollIntervalMs: 0 });
    cleanup.push(() => printer.close());
    expect(await printer.status()).toMatchObject({ ok: true, value: { card: 'inside' } });
    // And the card can be sent to the reject box, as crash recovery does.
    expect(await printer.rejectCard()).toEqual({ ok: true, value: undefined });
    expect(sim.state()).toMatchObject({ card: 'none', cardsRejected: 1 });
  });
});
