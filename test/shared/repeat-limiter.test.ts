import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock';
import type { LogEvent } from '../../shared/log';
import { limitRepeats, repeatLogIntervalMs } from '../../shared/repeat-limiter';

const badFrame = (n: number): LogEvent => ({ eventId: 'scanner-bad-frame', disposition: 'failure', message: 'bad frame', n });

describe('limitRepeats', () => {
  it('writes an event id once an interval, the next line carrying how many repeats were held back', () => {
    const clock = fixedClock(new Date('2026-03-02T10:00:00Z'));
    const written: LogEvent[] = [];
    const log = limitRepeats((event) => written.push(event), { clock });
    for (let n = 0; n < 1000; n++) {
      log(badFrame(n));
      clock.advance(repeatLogIntervalMs / 100);
    }
    // 1000 events over 10 intervals: one line each.
    expect(written).toHaveLength(10);
    expect(written[0]).toEqual(badFrame(0));
    expect(written[1]).toEqual({ ...badFrame(100), suppressed: 99 });
    log.flush();
    expect(written.at(-1)).toMatchObject({ eventId: 'scanner-bad-frame', n: 999, suppressed: 99 });
    log.flush();
    expect(written).toHaveLength(11);
  });

  it('limits each event id on its own', () => {
    const clock = fixedClock(new Date('2026-03-02T10:00:00Z'));
    const written: LogEvent[] = [];
    const log = limitRepeats((event) => written.push(event), { clock });
    log(badFrame(1));
    log({ eventId: 'scanner-duplicate-suppressed', disposition: 'na', message: 'again' });
    log(badFrame(2));
    expect(written.map((event) => event.eventId)).toEqual(['scanner-bad-frame', 'scanner-duplicate-suppressed']);
  });
});
