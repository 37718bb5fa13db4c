import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openIdScanner } from '../../../hardware/id-scanner/driver';
import { fixtureDocuments } from '../../../hardware/id-scanner/fixtures';
import { startIdScannerSimulatorOnPty } from '../../../hardware/id-scanner/simulator';
import type { IdDocumentRead } from '../../../hardware/id-scanner/types';

/**
 * A reader simulator that owns its pty pair: pulling its cable makes the host's device node go away,
 * the driver reports `disconnected`; plugging it back brings the node back at the same path, and the
 * driver reconnects by itself and reads documents again.
 */
describe('ID scanner simulator on its own pty: unplug and replug', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('the driver sees the cable go and come back at the same path, then reads again', async () => {
    const sim = await startIdScannerSimulatorOnPty({ mode: 'desko' });
    cleanup.push(() => sim.close());
    const scanner = openIdScanner({ path: sim.hostPath, reopenIntervalMs: 50 });
    cleanup.push(() => scanner.close());
    const documents: IdDocumentRead[] = [];
    scanner.on('document', (document) => documents.push(document));
    expect(await scanner.whenConnected()).toBe(true);

    const disconnected = new Promise<string>((resolve) => scanner.on('disconnected', resolve));
    await sim.unplug();
    await disconnected;
    expect(sim.plugged).toBe(false);
    expect(existsSync(sim.hostPath)).toBe(false);
    expect(scanner.status.kind).toBe('disconnected');
    // A document laid on an unplugged reader goes nowhere: the simulator says so.
    await expect(sim.feed(fixtureDocuments.passportVietnam)).rejects.toThrow(/unplugged/);

    const connected = new Promise<void>((resolve) => scanner.on('connected', resolve));
    await sim.replug();
    await connected;
    expect(sim.plugged).toBe(true);
    expect(existsSync(sim.hostPath)).toBe(true);
    await sim.feed(fixtureDocuments.passportVietnam);
    for (let i = 0; i < 1000 && documents.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(documents.map((document) => document.kind === 'mrz' && document.mode)).toEqual(['desko']);
  });
});
