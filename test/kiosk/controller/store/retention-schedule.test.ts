import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from 'xstate';
import { fixedClock } from '../../../../shared/clock';
import type { LogEvent } from '../../../../shared/log';
import type { PurgeOptions, PurgeReport } from '../../../../kiosk/controller/store/retention';
import { startRetentionSchedule, type RetentionSchedule } from '../../../../kiosk/controller/store/retention-schedule';
import { issuance, openTempStore, person, type TempStore } from './temp-store';

const day = 86_400_000;
const intervalMs = 60_000;

const report = (cardholders: number): PurgeReport => ({
  cutoff: '2026-01-01T00:00:00.000Z',
  cardholders,
  photos: cardholders,
  jobContexts: 0,
  outboxPayloads: 2,
  batchRows: 0,
  sample: [{ cardholderId: '0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee', lastIssuedAt: '2025-12-01T00:00:00.000Z' }],
});

/** A store whose purges the test settles one by one; it counts how many ran at once. */
function fakeStore() {
  const calls: PurgeOptions[] = [];
  const pending: Array<{ resolve(r: PurgeReport): void; reject(e: Error): void }> = [];
  let active = 0;
  let maxActive = 0;
  return {
    calls,
    get maxActive() {
      return maxActive;
    },
    get active() {
      return active;
    },
    store: {
      purge: (options: PurgeOptions) => {
        calls.push(options);
        active++;
        maxActive = Math.max(maxActive, active);
        return new Promise<PurgeReport>((resolve, reject) => pending.push({ resolve, reject })).finally(() => active--);
      },
    },
    settle(outcome: PurgeReport | Error): void {
      const next = pending.shift();
      if (!next) throw new Error('no purge is waiting');
      if (outcome instanceof Error) next.reject(outcome);
      else next.resolve(outcome);
    },
  };
}

describe('retention schedule', () => {
  let schedule: RetentionSchedule | null = null;
  let t: TempStore | null = null;
  afterEach(async () => {
    await schedule?.stop();
    schedule = null;
    await t?.cleanup();
    t = null;
    vi.useRealTimers();
  });

  it('purges at start and at every interval with the configured days, never two at once', async () => {
    vi.useFakeTimers();
    const fake = fakeStore();
    const logged: LogEvent[] = [];
    schedule = startRetentionSchedule({ store: fake.store, clock: fixedClock(new Date()), retentionDays: 30, intervalMs, log: (e) => logged.push(e) });
    expect(fake.calls).toEqual([{ retentionDays: 30, dryRun: false, operatorId: null }]);

    // Still running: ticks and runNow join the purge under way instead of starting another.
    await vi.advanceTimersByTimeAsync(3 * intervalMs);
    const joined = schedule.runNow();
    expect(fake.calls).toHaveLength(1);
    fake.settle(report(2));
    await expect(joined).resolves.toMatchObject({ cardholders: 2 });

    await vi.advanceTimersByTimeAsync(intervalMs);
    expect(fake.calls).toHaveLength(2);
    fake.settle(report(0));
    await vi.advanceTimersByTimeAsync(intervalMs);
    expect(fake.calls).toHaveLength(3);
    expect(fake.maxActive).toBe(1);
    fake.settle(report(0));
    await vi.advanceTimersByTimeAsync(0);
    expect(logged.filter((e) => e.eventId === 'store-retention-complete').map((e) => e['cardholders'])).toEqual([2, 0, 0]);
  });

  it('sweeps on its injected clock: a purge at start, one per retentionSweep as the clock moves, none after stop', async () => {
    const timers = new SimulatedClock();
    const fake = fakeStore();
    /** Ends the purge under way and lets the schedule see it end (a later sweep starts a new one). */
    const finishPurge = async (): Promise<void> => {
      fake.settle(report(0));
      await new Promise((resolve) => setImmediate(resolve));
    };
    schedule = startRetentionSchedule({ store: fake.store, clock: fixedClock(new Date()), retentionDays: 30, intervalMs, log: () => {}, timers });
    expect(fake.calls).toHaveLength(1);
    await finishPurge();

    timers.increment(intervalMs - 1);
    expect(fake.calls).toHaveLength(1);
    timers.increment(1);
    expect(fake.calls).toHaveLength(2);
    await finishPurge();
    timers.increment(intervalMs);
    expect(fake.calls).toHaveLength(3);
    await finishPurge();

    await schedule.stop();
    timers.increment(5 * intervalMs);
    expect(fake.calls).toHaveLength(3);
  });

  it('logs a failure and tries again at the next tick, without rejecting into the kiosk', async () => {
    vi.useFakeTimers();
    const fake = fakeStore();
    const logged: LogEvent[] = [];
    schedule = startRetentionSchedule({ store: fake.store, clock: fixedClock(new Date()), retentionDays: 90, intervalMs, log: (e) => logged.push(e) });
    fake.settle(new Error('SQLITE_BUSY: database is locked'));
    await vi.advanceTimersByTimeAsync(0);
    expect(logged).toMatchObject([{ eventId: 'store-retention-failed', disposition: 'failure', message: expect.stringContaining('SQLITE_BUSY') }]);

    await vi.advanceTimersByTimeAsync(intervalMs);
    expect(fake.calls).toHaveLength(2);
    fake.settle(report(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(logged.at(-1)).toMatchObject({ eventId: 'store-retention-complete', disposition: 'success', cardholders: 1 });

    // runNow tells its caller about a failure (the schedule's own ticks swallow it after logging).
    const failing = schedule.runNow();
    fake.settle(new Error('disk I/O error'));
    await expect(failing).rejects.toThrow('disk I/O error');
  });

  it('stops: no more ticks, runNow refused, stop waits for the purge under way', async () => {
    vi.useFakeTimers();
    const fake = fakeStore();
    schedule = startRetentionSchedule({ store: fake.store, clock: fixedClock(new Date()), retentionDays: 90, intervalMs, log: () => {} });
    let stopped = false;
    const stopping = schedule.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false); // the first purge is still running
    fake.settle(report(0));
    await stopping;
    expect(fake.active).toBe(0);
    await vi.advanceTimersByTimeAsync(5 * intervalMs);
    expect(fake.calls).toHaveLength(1);
    await expect(schedule.runNow()).rejects.toThrow(/stopped/);
  });

  it('refuses a retention or an interval that cannot be meant', () => {
    const store = fakeStore().store;
    const log = () => {};
    const clock = fixedClock(new Date());
    expect(() => startRetentionSchedule({ store, clock, retentionDays: 0, log })).toThrow(/retentionDays/);
    expect(() => startRetentionSchedule({ store, clock, retentionDays: 90, intervalMs: 0, log })).toThrow(/intervalMs/);
  });

  it('on a real store: purges what is past retention and logs counts only, no personal data', async () => {
    t = await openTempStore();
    await t.store.recordIssuance(issuance({ photoJpeg: Buffer.from('JPEG') }));
    await t.store.outbox.markSynced((await t.store.outbox.pending(100)).map((c) => c.id));
    t.clock.advance(40 * day);
    const logged: LogEvent[] = [];
    schedule = startRetentionSchedule({ store: t.store, clock: t.clock, retentionDays: 30, intervalMs: 10, log: (e) => logged.push(e) });
    const first = await schedule.runNow(); // the purge started at start
    expect(first).toMatchObject({ cardholders: 1, photos: 1 });
    expect((await t.store.findCardholder(person.idNumber))?.applicant).toBeNull();
    expect((await t.store.heldCards(person.idNumber))).toHaveLength(1);

    await vi.waitFor(() => expect(logged.filter((e) => e.eventId === 'store-retention-complete').length).toBeGreaterThanOrEqual(2), { timeout: 10_000 }); // a real SQLite file: 1 s (the default) is short under load
    await schedule.stop();
    const summary = logged.find((e) => e.eventId === 'store-retention-complete');
    expect(summary).toMatchObject({ disposition: 'success', retentionDays: 30, cardholders: 1, photos: 1 });
    const text = JSON.stringify(logged);
    for (const secret of [person.idNumber, person.name, person.nameZh, person.phone, person.birthDate, first.sample[0]?.cardholderId ?? 'sample missing']) {
      expect(text).not.toContain(secret);
    }
    // Audited once: the later runs found nothing, and a daily run that finds nothing adds no audit row.
    expect((await t.store.readAudit({ limit: 100 })).filter((e) => e.eventId === 'store-purge')).toMatchObject([{ details: { cardholders: 1 } }]);
  });
});
