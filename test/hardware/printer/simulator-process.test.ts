import { afterEach, describe, expect, it } from 'vitest';
import { startProcess, waitFor, type ManagedProcess } from '../../../hardware/host/child-processes';
import { openCardPrinter } from '../../../hardware/printer/driver';
import type { CardPrinter } from '../../../hardware/printer/types';
import { openPtyPair, type PtyPair } from '../../../hardware/serial/pty-pair';

describe('printer simulator as a separate process', () => {
  let pair: PtyPair | undefined;
  let simulator: ManagedProcess | undefined;
  let printer: CardPrinter | undefined;
  afterEach(async () => {
    await printer?.close();
    await simulator?.stop();
    await pair?.close();
  });

  it('takes faults on stdin and speaks the printer’s bytes on its pty', async () => {
    pair = await openPtyPair('printer');
    simulator = startProcess('node', ['--import', 'tsx', 'scripts/simulators/printer.ts', '--device', pair.devicePath, '--time-scale', '0.001', '--cards', '2'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    await waitFor(() => simulator?.output().includes('ready device=') ?? false, 20_000, `simulator did not start: ${simulator.output()}`);
    printer = await openCardPrinter({ path: pair.hostPath, pollIntervalMs: 0 });
    expect(await printer.status()).toMatchObject({ ok: true, value: { feeder: 'loaded', cover: 'closed' } });

    simulator.child.stdin?.write('fault cover-open\nfault jam nowhere\nstate\n');
    await waitFor(() => simulator?.output().includes('"cover":"open"') ?? false, 5000, 'the state line');
    expect(simulator.output()).toContain("error: unknown step 'nowhere'");
    expect(await printer.status()).toMatchObject({ ok: true, value: { cover: 'open' } });
    expect(await printer.ejectCard()).toEqual({ ok: true, value: undefined }); // nothing inside: nothing to move
  });
});
