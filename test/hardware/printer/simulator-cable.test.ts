import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openCardPrinter } from '../../../hardware/printer/driver';
import { imageToYmckoPanels, type RgbImage } from '../../../hardware/printer/panels';
import { startPrinterSimulatorOnPty } from '../../../hardware/printer/simulator';
import type { PrintJob } from '../../../hardware/printer/types';

/**
 * A printer simulator that owns its pty pair: pulling its cable makes the host's device node go away
 * (the driver sees `disconnected`), plugging it back brings it at the same path, and the printer is
 * the same printer afterwards — the cards it took, the ribbon it used and what it printed.
 */
const timeouts = { query: 1000, insert: 3000, panel: 5000, print: 5000, move: 3000 };

const whiteCard = (): RgbImage => ({ width: 1016, height: 648, channels: 3, data: new Uint8Array(1016 * 648 * 3).fill(200) });
const job: PrintJob = { ribbon: 'ymcko', front: { panels: imageToYmckoPanels(whiteCard()) } };

describe('printer simulator on its own pty: unplug and replug', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('keeps its cards, ribbon and printed cards across a replug at the same host path', async () => {
    const sim = await startPrinterSimulatorOnPty({ timeScale: 0.0001, cards: 10, ribbonPrints: 20 });
    cleanup.push(() => sim.close());
    const printer = await openCardPrinter({ path: sim.hostPath, timeouts, pollIntervalMs: 0, reopenIntervalMs: 50 });
    cleanup.push(() => printer.close());

    expect((await printer.printCard(job)).ok).toBe(true);
    expect((await printer.ejectCard()).ok).toBe(true);
    expect(sim.state()).toMatchObject({ cardsInFeeder: 9, ribbonPrintsLeft: 19, cardsEjected: 1 });

    const disconnected = new Promise<string>((resolve) => printer.on('disconnected', resolve));
    await sim.unplug();
    await disconnected;
    expect(sim.plugged).toBe(false);
    expect(existsSync(sim.hostPath)).toBe(false);
    expect(await printer.status()).toMatchObject({ ok: false, error: { kind: 'disconnected' } });
    // Someone opens the cover while the cable is out: the same printer reports it once it is back.
    sim.injectFault({ kind: 'cover-open' });

    const connected = new Promise<void>((resolve) => printer.on('connected', resolve));
    await sim.replug();
    await connected;
    expect(sim.plugged).toBe(true);
    expect(existsSync(sim.hostPath)).toBe(true);
    expect(await printer.status()).toMatchObject({ ok: true, value: { cover: 'open', printsLeft: 19, feeder: 'loaded' } });
    sim.injectFault({ kind: 'cover-close' });

    expect((await printer.printCard(job)).ok).toBe(true);
    expect((await printer.ejectCard()).ok).toBe(true);
    expect(sim.state()).toMatchObject({ cardsInFeeder: 8, ribbonPrintsLeft: 18, cardsEjected: 2 });
    expect(sim.printedCards().map((card) => card.disposition)).toEqual(['ejected', 'ejected']);
  });

  it('unplug and replug are idempotent, and close() removes the cable', async () => {
    const sim = await startPrinterSimulatorOnPty({ timeScale: 0.0001 });
    cleanup.push(() => sim.close());
    await sim.replug(); // already plugged: no second socat on the same link
    await sim.unplug();
    await sim.unplug();
    expect(existsSync(sim.hostPath)).toBe(false);
    await sim.replug();
    expect(existsSync(sim.hostPath)).toBe(true);
    await sim.close();
    expect(existsSync(sim.hostPath)).toBe(false);
  });
});
