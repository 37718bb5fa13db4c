import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startBillValidatorSimulatorOnPty, type PluggableBillValidatorSimulator } from '../../../hardware/bill-validator/simulator';
import { validatorCheck } from '../../../scripts/kioskctl/validator-check';

const run = promisify(execFile);

/** `kioskctl doctor` on a stopped kiosk checks the real validator on its port: a simulator on a pty here. */
describe('kioskctl doctor: the bill validator', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const validatorOnPty = async (): Promise<PluggableBillValidatorSimulator> => {
    const simulator = await startBillValidatorSimulatorOnPty();
    cleanup.push(() => simulator.close());
    return simulator;
  };

  it('names the validator, its notes and a clean self-check; exits 1 on the other missing devices only', async () => {
    const simulator = await validatorOnPty();
    const dataDir = mkdtempSync(join(tmpdir(), 'doctor-validator-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const result = await run('node', ['scripts/kioskctl.mjs', 'doctor'], { env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_BILL_VALIDATOR: simulator.hostPath } }).then(
      (done) => ({ code: 0, stdout: done.stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result.code).toBe(1); // the printer and the others are not configured
    expect(result.stdout).toMatch(/ok\s+bill validator\s+CCK BV-SIM serial 662316, notes NT\$100\/200\/500\/1000\/2000, self-check OK/);
  });

  it('says what is wrong: a jam, a stacker out, a broken bus, a silent validator', async () => {
    const simulator = await validatorOnPty();
    simulator.injectFault({ kind: 'stacker-removed' });
    const stackerOut = await validatorCheck(simulator.hostPath);
    expect(stackerOut).toEqual({ ok: false, text: expect.stringMatching(/self-check fault 38: fault on the stacker .*, last stacker event: stacker-removed$/) as unknown as string });
    simulator.injectFault({ kind: 'stacker-inserted' });
    simulator.injectFault({ kind: 'jam-unsafe' });
    expect((await validatorCheck(simulator.hostPath)).text).toMatch(/self-check fault 39: a note is jammed/);
    simulator.setEcho(false);
    expect(await validatorCheck(simulator.hostPath, 800)).toEqual({ ok: false, text: expect.stringMatching(/no echo of our own bytes: the ccTalk bus is broken/) as unknown as string });
    simulator.setEcho(true);
    simulator.injectFault({ kind: 'power-loss', offMs: 5000 });
    expect((await validatorCheck(simulator.hostPath, 800)).text).toMatch(/nothing answers at address 40/);
  });
});
