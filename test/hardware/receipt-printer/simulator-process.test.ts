import { afterEach, describe, expect, it } from 'vitest';
import { startProcess, waitFor, type ManagedProcess } from '../../../hardware/host/child-processes';
import { openReceiptPrinter } from '../../../hardware/receipt-printer/driver';
import type { ReceiptPrinter } from '../../../hardware/receipt-printer/types';
import { openPtyPair, type PtyPair } from '../../../hardware/serial/pty-pair';

describe('receipt printer simulator as a separate process', () => {
  let pair: PtyPair | undefined;
  let simulator: ManagedProcess | undefined;
  let printer: ReceiptPrinter | undefined;
  afterEach(async () => {
    await printer?.close();
    await simulator?.stop();
    await pair?.close();
  });

  it('prints each receipt it cuts on stdout and takes faults on stdin', async () => {
    pair = await openPtyPair('receipt-printer');
    simulator = startProcess('node', ['--import', 'tsx', 'scripts/simulators/receipt-printer.ts', '--device', pair.devicePath], { stdio: ['pipe', 'pipe', 'pipe'] });
    await waitFor(() => simulator?.output().includes('ready device=') ?? false, 20_000, `simulator did not start: ${simulator.output()}`);
    printer = await openReceiptPrinter({ path: pair.hostPath });

    expect(await printer.print({ lines: [{ kind: 'text', text: 'AMOUNT NT$ 500' }, { kind: 'qr', data: 'TCR1.a.b' }] })).toMatchObject({ ok: true });
    await waitFor(() => simulator?.output().includes('cut partial') ?? false, 5000, 'the receipt on stdout');
    expect(simulator.output()).toContain('receipt 1\n  AMOUNT NT$ 500\n');
    expect(simulator.output()).toContain('qr TCR1.a.b\n');

    simulator.child.stdin?.write('fault paper-out\nfault nosuch\n');
    await waitFor(() => simulator?.output().includes("error: unknown fault 'nosuch'") ?? false, 5000, 'the error reply');
    expect(await printer.print({ lines: [{ kind: 'text', text: 'x' }] })).toMatchObject({ ok: false, error: { kind: 'paper_out' } });
  });
});
