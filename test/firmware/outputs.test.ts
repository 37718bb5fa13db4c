import { describe, expect, it } from 'vitest';
import { Buzzer, buzzPatterns, buzzSteps } from '../../firmware/buzzer';
import { boardStatuses, StatusLight, statusPattern, type Lamp, type LampOutput } from '../../firmware/status-light';
import { StableInput, TamperLatch } from '../../firmware/tamper';
import { virtualTime } from './virtual-time';

describe('status light patterns', () => {
  it('gives every status its own look, lighting at least one lamp', () => {
    const looks = boardStatuses.map((status) => JSON.stringify(statusPattern(status)));
    expect(new Set(looks).size).toBe(boardStatuses.length);
    for (const status of boardStatuses) {
      expect(Object.values(statusPattern(status)).some((lamp) => lamp.kind !== 'off')).toBe(true);
    }
  });

  it('drives the lamps: steady green when ready, steady red out of service, blinking amber for attention', () => {
    const calls: string[] = [];
    const lamp = (name: Lamp): LampOutput => ({
      on: () => calls.push(`${name}:on`),
      off: () => calls.push(`${name}:off`),
      blink: (ms) => calls.push(`${name}:blink${ms}`),
      stop: () => {},
    });
    const light = new StatusLight({ red: lamp('red'), amber: lamp('amber'), green: lamp('green') });
    light.show('ready');
    expect(calls.splice(0)).toEqual(['red:off', 'amber:off', 'green:on']);
    light.show('out-of-service');
    expect(calls.splice(0)).toEqual(['red:on', 'amber:off', 'green:off']);
    light.show('attention');
    expect(calls.splice(0)).toEqual(['red:off', 'amber:on', 'amber:blink500', 'green:off']);
  });
});

describe('buzzer', () => {
  it('plays a pattern as on/off steps and ends silent', () => {
    const time = virtualTime();
    const writes: Array<[number, boolean]> = [];
    const buzzer = new Buzzer({ write: (on) => writes.push([time.ms, on]) }, time);
    buzzer.play('error');
    time.advance(10_000);
    expect(writes).toEqual([
      [0, true],
      [80, false],
      [160, true],
      [240, false],
      [320, true],
      [400, false],
    ]);
  });

  it('replaces a pattern that is still playing', () => {
    const time = virtualTime();
    const writes: boolean[] = [];
    const buzzer = new Buzzer({ write: (on) => writes.push(on) }, time);
    buzzer.play('take-card');
    time.advance(100);
    buzzer.play('success');
    time.advance(10_000);
    expect(writes).toEqual([true, false, true, false]);
    expect(time.pending()).toBe(0);
  });

  it('has distinct patterns that start with a beep and end in silence', () => {
    const shapes = buzzPatterns.map((pattern) => JSON.stringify(buzzSteps(pattern)));
    expect(new Set(shapes).size).toBe(buzzPatterns.length);
    for (const pattern of buzzPatterns) expect(buzzSteps(pattern)[0]?.on).toBe(true);
  });
});

describe('tamper latch', () => {
  it('latches on opening, stays latched when shut, clears only by a technician with the door shut', () => {
    const latch = new TamperLatch();
    expect(latch.door(false)).toEqual({ kind: 'none' });
    expect(latch.door(true)).toEqual({ kind: 'opened', latchedNow: true });
    expect(latch.clear()).toEqual({ ok: false, error: { kind: 'door_open' } });
    expect(latch.door(false)).toEqual({ kind: 'shut' });
    expect(latch.latched).toBe(true);
    expect(latch.clear().ok).toBe(true);
    expect(latch.latched).toBe(false);
  });

  it('treats an open door found at reconnect as an opening, and refuses to clear while the door is unknown', () => {
    const latch = new TamperLatch();
    latch.door(false);
    latch.forget();
    expect(latch.clear()).toEqual({ ok: false, error: { kind: 'door_unknown' } });
    expect(latch.door(true)).toEqual({ kind: 'opened', latchedNow: true });
  });
});

describe('door input debounce', () => {
  it('reports an open door at once, however briefly reported, and a shut door only once it holds', () => {
    const time = virtualTime();
    const stable: number[] = [];
    const door = new StableInput({ clock: time, timers: time, debounceMs: 30, immediate: (level) => level === 1, onStable: (level) => stable.push(level) });
    door.input(0);
    time.advance(30);
    door.input(1);
    door.input(0); // open and shut squeezed into one burst
    expect(stable).toEqual([0, 1]);
    time.advance(29);
    door.input(1);
    door.input(0);
    time.advance(30);
    expect(stable).toEqual([0, 1, 0]);
  });
});
