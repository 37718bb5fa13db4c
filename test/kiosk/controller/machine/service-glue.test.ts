import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import type { KioskBoard } from '../../../../firmware/board';
import { latchFromAudit, startKioskService, type KioskService } from '../../../../kiosk/controller/machine/service-glue';
import { message } from '../../../../shared/contract/messages';
import { ok } from '../../../../shared/result';
import { openTempStore, type TempStore } from '../store/temp-store';

/** Only what the service reads of the board: its door pin and its own latch's reset. */
function fakeBoard(door: boolean | undefined) {
  const board = Object.assign(new EventEmitter(), { doorOpen: door, boardClears: 0 });
  return Object.assign(board, {
    clearTamper: () => {
      board.boardClears += 1;
      return ok(undefined);
    },
  });
}

describe('the service region on a real audit log', () => {
  let t: TempStore;
  let service: KioskService | undefined;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    service?.stop();
    await t.cleanup();
  });

  const start = async (board: ReturnType<typeof fakeBoard>, unattended = false): Promise<KioskService> => {
    const audit = async (input: Parameters<typeof t.store.appendAudit>[0]): Promise<void> => {
      await t.store.appendAudit(input);
    };
    service = startKioskService({ board: board as unknown as KioskBoard, latched: await latchFromAudit(t.store), unattended, store: t.store, audit, log: () => {}, onReleased: () => {} });
    return service;
  };

  it('a restart keeps the latch (and its cause) from the audit log until a technician clears it with the door shut', async () => {
    expect(await latchFromAudit(t.store)).toBeNull();
    await t.store.appendAudit({ eventId: 'tamper-detected', operatorId: null, disposition: 'failure', details: { latched: true, cause: 'board-lost' } });
    const board = fakeBoard(true);
    const first = await start(board);
    expect(first.tamperLatched()).toBe(true);
    expect(first.outOfService()).toEqual(message('service.board-lost'));
    expect(await first.clearTamper('T-1')).toMatchObject({ accepted: false, code: 'door-open' });
    board.doorOpen = undefined;
    expect(await first.clearTamper('T-1')).toMatchObject({ accepted: false, code: 'other', reason: expect.stringMatching(/door state is unknown/) });
    expect(board.boardClears).toBe(0);

    board.doorOpen = false;
    expect(await first.clearTamper('T-1')).toEqual({ accepted: true });
    expect(first.outOfService()).toBeNull();
    expect(board.boardClears).toBe(1);
    expect(await latchFromAudit(t.store)).toBeNull();
    const cleared = (await t.store.readAudit({ eventIds: ['tamper-cleared'] }))[0];
    expect(cleared?.operatorId).toBe('T-1');
  });

  it('an opened door is audited by the machine and survives a restart', async () => {
    const board = fakeBoard(false);
    const first = await start(board);
    first.actor.send({ type: 'board.connected' });
    first.actor.send({ type: 'door.opened' });
    // The audit row is written by the machine's actor: closed once it is done.
    await waitFor(first.actor, (snapshot) => snapshot.matches({ outOfService: 'closed' }));
    first.stop();
    expect(await latchFromAudit(t.store)).toBe('door-opened');
    const again = await start(board, true);
    expect(again.outOfService()).toEqual(message('service.door-opened'));
    expect(again.closure()).toBe('board-disconnected');
  });
});
