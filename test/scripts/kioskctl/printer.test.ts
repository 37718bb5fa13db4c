import { afterEach, describe, expect, it } from 'vitest';
import { startPrinterSimulator, type PrinterSimulator } from '../../../hardware/printer/simulator';
import { openPtyPair, type PtyPair } from '../../../hardware/serial/pty-pair';
import { runKioskctl } from './run-kioskctl';

describe('kioskctl printer', () => {
  let pair: PtyPair | undefined;
  let sim: PrinterSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    await pair?.close();
  });

  it('prints ribbon left, cards, cover and feeder, and fails the check when the printer cannot print', async () => {
    pair = await openPtyPair('printer');
    sim = await startPrinterSimulator({ devicePath: pair.devicePath, timeScale: 0.001, ribbonPrints: 77 });
    const ready = await runKioskctl(['printer', 'status', '--port', pair.hostPath]);
    expect(ready.code).toBe(0);
    expect(ready.stdout).toMatch(/ready/);
    expect(ready.stdout).toMatch(/ymcko, 77 prints \(cards\) left/);
    expect(ready.stdout).toMatch(/feeder\s+cards loaded/);
    expect(ready.stdout).toMatch(/cover\s+closed/);

    sim.injectFault({ kind: 'cover-open' });
    sim.injectFault({ kind: 'feeder-empty' });
    const blocked = await runKioskctl(['printer', 'status', '--port', pair.hostPath, '--json']);
    expect(blocked.code).toBe(1);
    expect(JSON.parse(blocked.stdout)).toMatchObject({ cover: 'open', feeder: 'empty', printsLeft: 77, ready: false, problems: ['cover open', 'feeder empty'] });
  });

  it('reports an absent port and a usage error', async () => {
    const absent = await runKioskctl(['printer', 'status', '--port', '/nonexistent/printer']);
    expect(absent.code).toBe(1);
    expect(absent.stderr).toMatch(/disconnected/);
    expect((await runKioskctl(['printer', 'status'])).code).toBe(2);
  });
});
