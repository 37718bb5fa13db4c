import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import { pcscdTempPrefixes } from '../../hardware/nfc/pcscd';
import { killIfAlive, type ProcessEntry } from '../hardware/host/proc-table';
import { exitWithin, killGroup, leftBehind, npmStartTimeoutMs, startNpmStart, type NpmStart } from '../helpers/npm-start';

/**
 * However `npm start` is told to stop, it stops, and promptly: a terminal's Ctrl-C reaches the whole
 * process group (it once reached pcscd too and, with a card on the counter reader, nothing ever exited),
 * a `kill` reaches the one process. And a kiosk killed outright leaves nothing in the temp directory
 * that the next start does not remove.
 */
/** The whole stop, from the signal until no process of the kiosk's is left. */
const stopBoundMs = 5_000;
/** Helpers of a kiosk killed outright die by their parent-death signal: at once, but the machine is loaded. */
const orphansGoneMs = 5_000;

describe('npm start stops', { timeout: npmStartTimeoutMs + 30_000 }, () => {
  const runs: NpmStart[] = [];
  const dirs: string[] = [];

  afterEach(() => {
    for (const run of runs.splice(0)) {
      killGroup(run.child);
      killIfAlive(run.processes);
      rmSync(run.dataDir, { recursive: true, force: true });
    }
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function start(options: Parameters<typeof startNpmStart>[0] = {}): Promise<NpmStart> {
    const run = await startNpmStart(options);
    runs.push(run);
    return run;
  }

  function pcscdOf(run: NpmStart): ProcessEntry {
    const pcscd = run.processes.find((entry) => entry.comm === 'pcscd');
    expect(pcscd, `no private pcscd under the kiosk: ${run.processes.map((entry) => entry.comm).join(', ')}`).toBeDefined();
    return pcscd!;
  }

  /** Within `stopBoundMs` of `signalledAt`: exit status 0 and not one of its processes left. */
  async function expectStoppedInTime(run: NpmStart, signalledAt: number): Promise<void> {
    const exit = await exitWithin(run, stopBoundMs);
    expect(exit, `npm start did not exit within ${stopBoundMs} ms:\n${run.output()}`).toEqual({ code: 0, signal: null });
    const rest = Math.max(0, signalledAt + stopBoundMs - Date.now());
    await waitFor(() => leftBehind(run).length === 0, rest, `left behind: ${leftBehind(run).map((entry) => `${entry.comm} (${entry.pid})`).join(', ')}`);
    expect(() => process.kill(-run.pid, 0), 'its process group is gone').toThrow();
  }

  it('Ctrl-C to the whole process group with a card on the counter reader: all gone within 5 s, exit status 0', async () => {
    const run = await start();
    const pcscd = pcscdOf(run);
    // The staff card lies on the counter reader and has been read: pcscd polls it through vpcd.
    expect(await run.dev({ type: 'place-card', kind: 'staff' })).toEqual({ accepted: true });
    await waitFor(async () => (await run.snapshot()).session.state === 'pin', 10_000, 'the staff card was not read');

    const signalledAt = Date.now();
    process.kill(-run.pid, 'SIGINT'); // what a terminal's Ctrl-C does
    await expectStoppedInTime(run, signalledAt);
    expect(leftBehind(run)).not.toContainEqual(pcscd);
    expect(run.output()).toContain('start: SIGINT, stopping');
  });

  it('SIGTERM to the npm start process alone, no card anywhere: all gone within 5 s, exit status 0', async () => {
    const run = await start();
    pcscdOf(run);

    const signalledAt = Date.now();
    run.child.kill('SIGTERM');
    await expectStoppedInTime(run, signalledAt);
    expect(run.output()).toContain('start: SIGTERM, stopping');
  });

  it('a kiosk killed with SIGKILL leaves its pcscd-conf-* folder; the next start removes it, a clean stop leaves none', async () => {
    // A temp directory of this test's own: other tests on the machine make pcscd folders too.
    const temp = mkdtempSync(join(tmpdir(), 'kiosk-stop-signals-tmp-'));
    dirs.push(temp);
    const configDirs = (): string[] => readdirSync(temp).filter((name) => name.startsWith(pcscdTempPrefixes.config));
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-stop-signals-'));
    dirs.push(dataDir);

    const killed = await start({ dataDir, env: { TMPDIR: temp } });
    const leftover = configDirs();
    expect(leftover, 'the private pcscd\'s reader config').toHaveLength(1);
    killed.child.kill('SIGKILL');
    await killed.exited;
    await waitFor(() => leftBehind(killed).length === 0, orphansGoneMs, 'the killed kiosk\'s helpers outlived it');
    expect(configDirs(), 'nothing could remove it').toEqual(leftover);

    const next = await start({ dataDir, env: { TMPDIR: temp } });
    const now = configDirs();
    expect(now, 'only the running kiosk\'s own').toHaveLength(1);
    expect(now).not.toEqual(leftover);
    expect(now[0], 'named after its owner').toMatch(new RegExp(`^${pcscdTempPrefixes.config}${next.pid}-\\d+-`));
    next.child.kill('SIGTERM');
    await expectStoppedInTime(next, Date.now());
    expect(configDirs()).toEqual([]);
  });
});
