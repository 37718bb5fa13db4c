import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import { serviceClosure, serviceMachine, tamperCause, type ServiceInput, type TamperCause } from '../../../../kiosk/controller/machine/service-machine';

/** The service region with its audit writes recorded in memory (or failing when told). */
function serviceWith(input: ServiceInput, options: { clearFails?: boolean } = {}) {
  const rows: string[] = [];
  const released: string[] = [];
  const failures: string[] = [];
  const machine = serviceMachine.provide({
    actors: {
      recordTamperDetected: fromPromise<void, { cause: TamperCause }>(async ({ input: row }) => {
        rows.push(`tamper-detected:${row.cause}`);
      }),
      recordTamperCleared: fromPromise<void, { operatorId: string }>(async ({ input: row }) => {
        if (options.clearFails) throw new Error('disk full');
        rows.push(`tamper-cleared:${row.operatorId}`);
      }),
    },
    actions: {
      tamperReleased: () => released.push('released'),
      auditFailed: (_, { eventId }) => failures.push(eventId),
    },
  });
  const actor = createActor(machine, { input, clock: new SimulatedClock() }).start();
  return { actor, rows, released, failures, state: () => actor.getSnapshot() };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe('the service region', () => {
  it('a staffed kiosk is in service from the start; opening the door takes it out, latched and audited', async () => {
    const { actor, rows, state } = serviceWith({ latched: null, unattended: false });
    expect(state().value).toBe('inService');
    actor.send({ type: 'board.connected' });
    actor.send({ type: 'door.opened' });
    expect(state().matches('outOfService')).toBe(true);
    expect(tamperCause(state().context)).toBe('door-opened');
    await settle();
    expect(rows).toEqual(['tamper-detected:door-opened']);
    expect(state().value).toEqual({ outOfService: 'closed' });
  });

  it('a technician clears the latch only with the door shut, and only once the clear is recorded', async () => {
    const { actor, rows, released, state } = serviceWith({ latched: null, unattended: false });
    actor.send({ type: 'board.connected' });
    actor.send({ type: 'door.opened' });
    await settle();
    const clear = { type: 'tamper.clear', operatorId: 'T-1' } as const;
    expect(state().can({ ...clear, door: 'open' })).toBe(false);
    actor.send({ ...clear, door: 'open' });
    actor.send({ ...clear, door: 'unknown' });
    expect(state().value).toEqual({ outOfService: 'closed' });
    expect(rows).toEqual(['tamper-detected:door-opened']);

    actor.send({ ...clear, door: 'shut' });
    expect(state().value).toEqual({ outOfService: 'clearingTamper' });
    await settle();
    expect(rows).toEqual(['tamper-detected:door-opened', 'tamper-cleared:T-1']);
    expect(released).toEqual(['released']);
    expect(state().value).toBe('inService');
  });

  it('a clear that cannot be recorded leaves the kiosk latched (a restart would latch it again)', async () => {
    const { actor, released, failures, state } = serviceWith({ latched: 'door-opened', unattended: false }, { clearFails: true });
    actor.send({ type: 'board.connected' });
    actor.send({ type: 'tamper.clear', operatorId: 'T-1', door: 'shut' });
    await settle();
    expect(state().value).toEqual({ outOfService: 'closed' });
    expect(tamperCause(state().context)).toBe('door-opened');
    expect(released).toEqual([]);
    expect(failures).toEqual(['tamper-cleared']);
  });

  it('the latch found in the audit log at start holds the kiosk out of service, with its cause', () => {
    const staffed = serviceWith({ latched: 'board-lost', unattended: false });
    expect(staffed.state().matches('outOfService')).toBe(true);
    expect(tamperCause(staffed.state().context)).toBe('board-lost');
    staffed.actor.send({ type: 'board.connected' });
    expect(staffed.state().matches('outOfService')).toBe(true);
    expect(serviceClosure(staffed.state())).toBe('tamper');
    expect(staffed.rows).toEqual([]);
  });

  it('unattended: closed until the board connects; losing it closes the kiosk and latches (the door went unwatched)', async () => {
    const { actor, rows, state } = serviceWith({ latched: null, unattended: true });
    expect(serviceClosure(state())).toBe('board-disconnected');
    actor.send({ type: 'board.connected' });
    expect(state().value).toBe('inService');
    expect(serviceClosure(state())).toBeNull();

    actor.send({ type: 'board.lost' });
    expect(state().context.causes).toEqual(['board-away', 'board-lost']);
    expect(serviceClosure(state())).toBe('board-disconnected');
    await settle();
    expect(rows).toEqual(['tamper-detected:board-lost']);
    actor.send({ type: 'board.connected' });
    expect(serviceClosure(state())).toBe('tamper');
    // Lost again while latched: no second alarm.
    actor.send({ type: 'board.lost' });
    actor.send({ type: 'board.connected' });
    await settle();
    expect(rows).toEqual(['tamper-detected:board-lost']);
    // The door opened: the latest alarm names the cause.
    actor.send({ type: 'door.opened' });
    await settle();
    expect(state().context.causes).toEqual(['door-opened']);
    expect(rows).toEqual(['tamper-detected:board-lost', 'tamper-detected:door-opened']);
  });

  it('unattended: a board lost while a clear is being recorded leaves the kiosk latched', async () => {
    const { actor, released, rows, state } = serviceWith({ latched: 'door-opened', unattended: true });
    actor.send({ type: 'board.connected' });
    actor.send({ type: 'tamper.clear', operatorId: 'T-1', door: 'shut' });
    actor.send({ type: 'board.lost' });
    await settle();
    actor.send({ type: 'board.connected' });
    expect(state().matches('outOfService')).toBe(true);
    expect(serviceClosure(state())).toBe('tamper');
    expect(released).toEqual([]);
    expect(rows.at(-1)).toBe('tamper-detected:door-opened');
  });

  it('a staffed kiosk stays in service while the board is away (nothing latches)', () => {
    const { actor, state } = serviceWith({ latched: null, unattended: false });
    actor.send({ type: 'board.connected' });
    actor.send({ type: 'board.lost' });
    expect(state().value).toBe('inService');
  });
});

describe('the service region and the bill validator (issue 15)', () => {
  it('a cash fault closes the unattended kiosk under its own reason; the stacker back clears only the stacker causes', () => {
    const { actor, state } = serviceWith({ latched: null, unattended: true });
    actor.send({ type: 'board.connected' });
    expect(state().value).toBe('inService');
    actor.send({ type: 'cash.fault', cause: 'stacker-removed' });
    expect(serviceClosure(state())).toBe('stacker-removed');
    actor.send({ type: 'cash.fault', cause: 'cash-events-lost' });
    // Lost events are what staff must look at first.
    expect(serviceClosure(state())).toBe('cash-events-lost');
    actor.send({ type: 'cash.clear', causes: ['stacker-removed', 'stacker-full'] });
    expect(serviceClosure(state())).toBe('cash-events-lost');
    expect(state().matches('outOfService')).toBe(true);
    actor.send({ type: 'cash.clear', causes: ['cash-events-lost'] });
    expect(state().value).toBe('inService');
  });

  it('starts closed when the restart settlement left a note in doubt; the tamper latch is still named first', () => {
    const { actor, state } = serviceWith({ latched: null, unattended: true, cash: 'cash-fault' });
    actor.send({ type: 'board.connected' });
    expect(serviceClosure(state())).toBe('cash-fault');
    actor.send({ type: 'door.opened' });
    expect(serviceClosure(state())).toBe('tamper');
  });
});
