import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../hardware/host/child-processes';
import { startPrinterSimulatorOnPty } from '../../../hardware/printer/simulator';

/**
 * A new time scale applies to the movement under way too: a test holds a card at the printer while it
 * serves the counter, then lets the printer finish fast (test/e2e/print-queue.test.ts).
 */
describe('printer simulator: the time scale changed mid-movement', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('finishes a minute-long insert at once when sped up, and counts the printer\'s own time as before', async () => {
    const sim = await startPrinterSimulatorOnPty({ timeScale: 1, timing: { insertMs: 60_000 } });
    cleanup.push(() => sim.close());
    const port = new SerialPort({ path: sim.hostPath, baudRate: 115200 });
    await new Promise<void>((resolve, reject) => port.once('open', () => resolve()).once('error', reject));
    cleanup.push(() => new Promise<void>((resolve) => port.close(() => resolve())));
    let received = '';
    port.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));

    port.write(Buffer.from('\x1bSi\r', 'latin1')); // Si: take a card from the feeder
    await waitFor(() => sim.state().commandsReceived === 1, 5000, 'the printer never got Si');
    // A minute at full scale: still moving after a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sim.state()).toMatchObject({ card: 'none', cardsInserted: 0 });

    sim.setTimeScale(0.0001);
    await waitFor(() => received === 'OK', 5000, 'the insert did not finish after the speed-up');
    expect(sim.state()).toMatchObject({ card: 'inside', cardsInserted: 1, simulatedMs: 60_000 });
  });
});
