import { copyFileSync, readdirSync, readFileSync, readlinkSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StartRefusal } from '../../kiosk/controller/main';
import { waitFor } from '../../hardware/host/child-processes';
import { crashedKiosk, signIn } from '../helpers/killed-kiosk';

/**
 * Whether a process still has a file of the database open: the killed controller may take a moment to
 * be gone, and while it holds the WAL index SQLite trusts that index over the cut WAL (a short read).
 */
function heldOpen(prefix: string): boolean {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone meanwhile, or not ours to look at
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(prefix)) return true;
      } catch {
        // closed meanwhile
      }
    }
  }
  return false;
}

/**
 * The kiosk dies (SIGKILL, its WAL not checkpointed) and its `kiosk.sqlite-wal` loses its last frames
 * (a torn write, a bad copy). SQLite would open the database without those commits and say nothing: the
 * kiosk refuses to start, saying how many records are missing and how to mend it, and leaves the files as
 * they are; with the whole WAL put back it starts normally.
 */
describe('a cut-off WAL at start', () => {
  const crash = crashedKiosk('wal-cut');
  const { dataDir } = crash;
  afterAll(() => crash.cleanUp());

  it('refuses to start, names the loss and the mend, and starts once the whole WAL is back', { timeout: 120_000 }, async () => {
    const first = await crash.start(0.01);
    await signIn(first); // committed, audited: the newest records
    await crash.kill();
    await waitFor(() => !heldOpen(join(dataDir, 'kiosk.sqlite')), 10_000, 'the killed controller still holds the database');

    const wal = join(dataDir, 'kiosk.sqlite-wal');
    const whole = readFileSync(wal);
    copyFileSync(wal, `${wal}.whole`);
    truncateSync(wal, whole.length - 100);

    const refused = await crash.restart().then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(StartRefusal);
    const said = (refused as Error).message;
    expect(said).toMatch(/^cannot open the store in .*: committed records are missing from the database: its newest audit record is number \d+, but .*kiosk\.sqlite\.high-water says \d+ were committed/);
    expect(said).toContain('kioskctl lost-records accept');
    // Nothing was changed by the refusal: the cut WAL is as it was left, ready to be mended.
    expect(statSync(wal).size).toBe(whole.length - 100);

    copyFileSync(`${wal}.whole`, wal);
    const kiosk = await crash.restart();
    expect((await kiosk.store.readAudit({ newest: true, limit: 50 })).some((entry) => entry.eventId === 'auth-sign-in')).toBe(true);
    expect((await kiosk.store.verifyAudit()).ok).toBe(true);
  });
});
