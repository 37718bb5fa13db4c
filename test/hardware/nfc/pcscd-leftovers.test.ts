import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identityOf, ownerTag, type ProcessIdentity } from '../../../hardware/host/owned-temp-dirs';
import { pcscdTempPrefixes, startPcscd, type PrivatePcscd } from '../../../hardware/nfc/pcscd';

/**
 * A kiosk killed outright (SIGKILL, power cut) cannot remove its private pcscd's temp folders. They are
 * named after their owner, so the next pcscd removes those whose owner is gone, and never a living
 * process's (another kiosk's, a test's beside it).
 */
describe('startPcscd and the temp folders of earlier daemons', () => {
  const savedTmpdir = process.env['TMPDIR'];
  let temp = '';
  const sleepers: ChildProcess[] = [];
  let pcscd: PrivatePcscd | undefined;

  beforeEach(() => {
    // os.tmpdir() reads TMPDIR at each call: this test's folders are not mixed with other tests'.
    temp = mkdtempSync(join(tmpdir(), 'pcscd-leftovers-test-'));
    process.env['TMPDIR'] = temp;
  });

  afterEach(async () => {
    await pcscd?.stop();
    pcscd = undefined;
    for (const sleeper of sleepers.splice(0)) sleeper.kill('SIGKILL');
    if (savedTmpdir === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = savedTmpdir;
    rmSync(temp, { recursive: true, force: true });
  });

  /** A process that runs until the test ends (or is killed), and who it is. */
  async function aProcess(): Promise<{ child: ChildProcess; identity: ProcessIdentity }> {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    sleepers.push(child);
    await new Promise((resolve) => child.once('spawn', resolve));
    const identity = identityOf(child.pid!);
    expect(identity).not.toBeNull();
    return { child, identity: identity! };
  }

  async function aDeadProcess(): Promise<ProcessIdentity> {
    const { child, identity } = await aProcess();
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone; // reaped: its pid names no process now
    expect(identityOf(identity.pid)).toBeNull();
    return identity;
  }

  function folder(prefix: string, owner: ProcessIdentity): string {
    const path = join(temp, `${prefix}${ownerTag(owner)}-Ab12Cd`);
    mkdirSync(path);
    return path;
  }

  it('removes the folders of a dead owner and keeps those of a living one', async () => {
    const dead = await aDeadProcess();
    const { identity: living } = await aProcess();
    const deadRun = folder(pcscdTempPrefixes.run, dead);
    const deadConfig = folder(pcscdTempPrefixes.config, dead);
    const livingRun = folder(pcscdTempPrefixes.run, living);
    const livingConfig = folder(pcscdTempPrefixes.config, living);
    // The living owner's pid with another start time: that pid was reused, the owner is gone.
    const reusedPid = folder(pcscdTempPrefixes.config, { pid: living.pid, startTime: living.startTime + 1 });
    // Not ours at all (no owner in the name): never touched.
    const unnamed = join(temp, 'pcscd-conf-Xy34Zw');
    mkdirSync(unnamed);

    pcscd = await startPcscd();

    expect(existsSync(deadRun)).toBe(false);
    expect(existsSync(deadConfig)).toBe(false);
    expect(existsSync(reusedPid)).toBe(false);
    expect(existsSync(livingRun)).toBe(true);
    expect(existsSync(livingConfig)).toBe(true);
    expect(existsSync(unnamed)).toBe(true);
  });

  it('names its own folders after this process and removes them when stopped', async () => {
    pcscd = await startPcscd();
    const self = identityOf(process.pid)!;
    const own = readdirSync(temp).filter((name) => name.includes(`-${ownerTag(self)}-`));
    expect(own.sort()).toEqual([expect.stringMatching(/^pcscd-\d/), expect.stringMatching(/^pcscd-conf-/)]);
    await pcscd.stop();
    expect(readdirSync(temp).filter((name) => name.includes(`-${ownerTag(self)}-`))).toEqual([]);
  });
});
