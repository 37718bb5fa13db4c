import { afterEach, describe, expect, it } from 'vitest';
import { openBillValidator, type SerialBillValidator } from '../../../hardware/bill-validator/driver';
import type { BillEvent } from '../../../hardware/bill-validator/types';
import { startProcess, waitFor, type ManagedProcess } from '../../../hardware/host/child-processes';
import { openPtyPair, type PtyPair } from '../../../hardware/serial/pty-pair';

describe('bill validator simulator as a separate process', () => {
  let pair: PtyPair | undefined;
  let simulator: ManagedProcess | undefined;
  let validator: SerialBillValidator | undefined;
  afterEach(async () => {
    await validator?.close();
    await simulator?.stop();
    await pair?.close();
  });

  it('takes notes and faults on stdin and speaks ccTalk on its pty', async () => {
    pair = await openPtyPair('validator');
    simulator = startProcess('node', ['--import', 'tsx', 'scripts/simulators/bill-validator.ts', '--device', pair.devicePath, '--time-scale', '0.05'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    await waitFor(() => simulator?.output().includes('ready device=') ?? false, 20_000, `simulator did not start: ${simulator.output()}`);
    validator = openBillValidator({ path: pair.hostPath, pollMs: 30 });
    const events: BillEvent[] = [];
    validator.on('event', (event) => events.push(event));
    expect(await validator.whenConnected()).toBe(true);
    expect(await validator.inhibitAll(false)).toMatchObject({ ok: true });

    simulator.child.stdin?.write('note 2000\nnote 1000\nfault stacker-removed\nfault nosuch\n');
    await waitFor(() => events.length === 3, 10_000, `three events: ${JSON.stringify(events)}`);
    expect(events.map((event) => (event.kind === 'status' ? event.status : `${event.kind} ${event.value}`))).toEqual([
      'inhibited-serial',
      'escrow 1000',
      'stacker-removed',
    ]);
    await waitFor(() => simulator?.output().includes("error: unknown fault 'nosuch'") ?? false, 5000, 'the error reply');
    expect(simulator.output()).toContain('refused inhibited-serial');
  });
});
