import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { fixedClock } from '../../../../shared/clock';
import { createFileDestination, logRetryIntervalMs } from '../../../../kiosk/controller/logging/file-destination';
import { createLogger } from '../../../../kiosk/controller/logging/logger';
import { mountSmallDisk, type SmallDisk } from './small-disk';

const mode = (path: string): number => statSync(path).mode & 0o777;
const lines = (path: string): Record<string, unknown>[] =>
  readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('log file: mode and rotation', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-log-file-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the log file 0600, whatever the umask, and tightens one left 0644', () => {
    const file = join(dir, 'mode', 'logs', 'kiosk.jsonl');
    const previous = process.umask(0o022);
    try {
      const log = createLogger({ destination: file });
      log({ eventId: 'store-opened', disposition: 'na', message: 'opened', cardNumber: '1234567890123456' });
      expect(mode(file)).toBe(0o600);
      chmodSync(file, 0o644);
      const again = createLogger({ destination: file });
      again({ eventId: 'store-opened', disposition: 'na', message: 'again' });
      expect(mode(file)).toBe(0o600);
      log.close();
      again.close();
      expect(lines(file)).toHaveLength(2);
    } finally {
      process.umask(previous);
    }
  });

  it('rotates by size: the files stay under the limit, bounded in number, each 0600', () => {
    const logs = join(dir, 'rotation');
    mkdirSync(logs);
    const file = join(logs, 'kiosk.jsonl');
    const log = createLogger({ destination: file, rotation: { maxBytes: 1000, filesKept: 3 } });
    for (let n = 0; n < 200; n++) log({ eventId: 'a-thing', disposition: 'na', message: 'x'.repeat(60), n });
    log.close();
    expect(readdirSync(logs).sort()).toEqual(['kiosk.jsonl', 'kiosk.jsonl.1', 'kiosk.jsonl.2', 'kiosk.jsonl.3']);
    for (const name of readdirSync(logs)) {
      expect(statSync(join(logs, name)).size).toBeLessThanOrEqual(1000);
      expect(mode(join(logs, name)), name).toBe(0o600);
    }
    // The newest lines are in the current file, the ones just before in .1, and nothing is cut in half.
    expect(lines(file).at(-1)).toMatchObject({ n: 199 });
    const previous = lines(`${file}.1`);
    expect(previous.at(-1)?.['n']).toBe((lines(file)[0]?.['n'] as number) - 1);
  });
});

describe('log file retry on its injected clock', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-log-retry-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tries a failing file again every logFileRetry on the clock: once it takes writes, recovered and the ring written out', () => {
    // A file where the log directory should be: the log cannot be opened until it goes.
    const blocker = join(dir, 'logs');
    writeFileSync(blocker, '');
    const file = join(blocker, 'kiosk.jsonl');
    const timers = new SimulatedClock();
    const destination = createFileDestination({ path: file, clock: { now: () => new Date(timers.now()) }, timers });
    const changes: string[] = [];
    destination.onChange((health) => changes.push(health.state));
    try {
      destination.write('{"n":1}\n');
      destination.write('{"n":2}\n');
      expect(destination.health()).toMatchObject({ state: 'memory-only', keptLines: 2 });

      // Still failing at the first retry: it keeps trying.
      timers.increment(logRetryIntervalMs);
      expect(destination.health()).toMatchObject({ state: 'memory-only', keptLines: 2 });

      rmSync(blocker);
      timers.increment(logRetryIntervalMs - 1);
      expect(destination.health().state).toBe('memory-only');
      timers.increment(1);
      expect(destination.health()).toEqual({ state: 'writing' });
      expect(changes).toEqual(['memory-only', 'writing']);
      expect(destination.memoryLines()).toEqual([]);
      expect(lines(file)).toMatchObject([{ n: 1 }, { n: 2 }, { eventId: 'log-recovered', droppedLines: 0 }]);
    } finally {
      destination.close();
    }
  });
});

describe('log file on a full disk (a real 256 KiB tmpfs)', () => {
  let disk: SmallDisk;
  beforeAll(() => {
    disk = mountSmallDisk('kiosk-log-disk');
  });
  afterAll(() => disk.unmount());

  it('never throws: it keeps the lines in a bounded ring, says so, and writes them out once there is room', () => {
    const file = join(disk.dir, 'logs', 'kiosk.jsonl');
    const clock = fixedClock(new Date('2026-03-02T10:00:00+08:00'));
    const log = createLogger({ destination: file, clock });
    const changes: string[] = [];
    log.onHealthChange((health) => changes.push(health.state));
    log({ eventId: 'kiosk-start-init', disposition: 'na', message: 'before the disk filled' });
    expect(log.health()).toEqual({ state: 'writing' });

    disk.fill();
    // The file's last page may still have a little room: log until the disk is really full, then 50 more.
    let n = 0;
    const request = (): void => log({ eventId: 'api-request', disposition: 'na', message: `request ${n}`, n: n++ });
    try {
      while (log.health().state === 'writing' && n < 1000) expect(request).not.toThrow();
      const keptAtFull = n;
      for (let i = 0; i < 50; i++) expect(request).not.toThrow();
      expect(log.health()).toMatchObject({ state: 'memory-only', reason: 'ENOSPC', droppedLines: 0 });
      const failedAt = n - 50 - 1;
      expect(log.health()).toMatchObject({ keptLines: n - failedAt });
      expect(keptAtFull).toBeLessThan(1000);
      expect(changes).toEqual(['memory-only']);
    } finally {
      disk.free();
    }
    // Room again, but the file is only tried again after the retry interval.
    clock.advance(logRetryIntervalMs / 2);
    request();
    expect(log.health().state).toBe('memory-only');
    clock.advance(logRetryIntervalMs);
    request();
    expect(log.health()).toEqual({ state: 'writing' });
    expect(changes).toEqual(['memory-only', 'writing']);

    // Every line whole (no half line from the moment the disk filled), none lost, in order.
    const written = lines(file);
    expect(written.filter((line) => line['eventId'] === 'api-request').map((line) => line['n'])).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(written.at(-1)).toMatchObject({ eventId: 'log-recovered', droppedLines: 0 });
    expect(mode(file)).toBe(0o600);
    log.close();
  });

  it('drops the oldest lines past the ring size and counts them', () => {
    const file = join(disk.dir, 'ring', 'kiosk.jsonl');
    const destination = createFileDestination({ path: file, ringBytes: 1000 });
    destination.write('{"first":true}\n');
    disk.fill();
    try {
      let failedAt = -1;
      for (let n = 0; n < 200; n++) {
        destination.write(`${JSON.stringify({ n, pad: 'y'.repeat(80) })}\n`);
        if (failedAt < 0 && destination.health().state === 'memory-only') failedAt = n;
      }
      const health = destination.health();
      expect(health.state).toBe('memory-only');
      expect(failedAt).toBeGreaterThanOrEqual(0);
      expect(failedAt).toBeLessThan(100);
      const kept = destination.memoryLines();
      expect(kept.join('').length).toBeLessThanOrEqual(1000);
      expect(health).toMatchObject({ keptLines: kept.length, droppedLines: 200 - failedAt - kept.length });
      expect(JSON.parse(kept.at(-1) ?? '')).toMatchObject({ n: 199 });
    } finally {
      destination.close();
      disk.free();
    }
  });

  it('a quiet kiosk finds out by itself that the disk has room again (a timer while it fails)', async () => {
    const file = join(disk.dir, 'quiet', 'kiosk.jsonl');
    const destination = createFileDestination({ path: file, retryIntervalMs: 100 });
    const changes: string[] = [];
    destination.onChange((health) => changes.push(health.state));
    destination.write('{"n":0}\n');
    disk.fill();
    try {
      for (let n = 1; destination.health().state === 'writing' && n < 1000; n++) destination.write(`${JSON.stringify({ n, pad: 'z'.repeat(100) })}\n`);
      expect(destination.health().state).toBe('memory-only');
    } finally {
      disk.free();
    }
    // No write from here on: the timer tries the file again.
    for (let i = 0; i < 50 && destination.health().state !== 'writing'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(destination.health()).toEqual({ state: 'writing' });
    expect(changes).toEqual(['memory-only', 'writing']);
    expect(destination.memoryLines()).toEqual([]);
    destination.close();
  });

  it('a log path it cannot open at all (not a directory) is memory-only too, never an exception', () => {
    writeFileSync(join(disk.dir, 'not-a-dir'), '');
    const log = createLogger({ destination: join(disk.dir, 'not-a-dir', 'kiosk.jsonl') });
    expect(() => log({ eventId: 'kiosk-start-init', disposition: 'na', message: 'starting' })).not.toThrow();
    expect(log.health()).toMatchObject({ state: 'memory-only', reason: expect.stringMatching(/^E[A-Z]+$/), keptLines: 1 });
    log.close(); // ends its retries
  });
});
