import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNoticeBoard, unreachableReason, unreadableReason, type Schedule } from '../../../../kiosk/ui/src/commands/notice-board';
import { postJson } from '../../../../kiosk/ui/src/commands/post-json';
import { UnreadableAnswer } from '../../../../kiosk/ui/src/reading/unreadable';
import { refused as refusal, type CommandReply } from '../../../../shared/contract/kiosk-api';

const roleRefusal: CommandReply = { accepted: false, code: 'role', role: 'technician', reason: 'a technician may not issue card' };

/** A schedule the test fires by hand: no real time passes. */
function manualSchedule(): { schedule: Schedule; pending: () => number; fire: () => void } {
  const timers = new Map<number, () => void>();
  let next = 0;
  return {
    schedule(_ms, run) {
      const id = next++;
      timers.set(id, run);
      return () => timers.delete(id);
    },
    pending: () => timers.size,
    fire() {
      const runs = [...timers.values()];
      timers.clear();
      for (const run of runs) run();
    },
  };
}

const jsonResponse = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the command notice board', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('shows a refused reply and clears it on the next accepted command', async () => {
    const timers = manualSchedule();
    const board = createNoticeBoard(timers.schedule);
    const changes = vi.fn();
    board.subscribe(changes);

    const refused = await board.run(async () => roleRefusal);
    expect(refused).toEqual(roleRefusal);
    expect(board.current()).toMatchObject({ kind: 'refused', refusal: roleRefusal });

    expect(await board.run(async () => ({ accepted: true }))).toEqual({ accepted: true });
    expect(board.current()).toBeNull();
    expect(changes).toHaveBeenCalledTimes(2);
    expect(timers.pending()).toBe(0);
  });

  it('turns a fetch that throws (controller down) into an "unreachable" notice, never a rejection', async () => {
    const board = createNoticeBoard(manualSchedule().schedule);
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));

    const reply = await board.run(() => postJson('http://127.0.0.1:9/api/command', { type: 'keep-alive' }, 'token'));
    expect(reply).toEqual({ accepted: false, code: 'other', reason: unreachableReason });
    expect(board.current()).toMatchObject({ kind: 'unreachable' });
  });

  it('reports the request guard\'s 401 refusal as a token refusal, with its reason', async () => {
    const board = createNoticeBoard(manualSchedule().schedule);
    const fetch = vi.fn(async () => jsonResponse(401, { error: 'missing or wrong kiosk token: open the kiosk from the address' }));
    vi.stubGlobal('fetch', fetch);

    await board.run(() => postJson('api/command', { type: 'start-application' }, 'stale'));
    expect(board.current()).toMatchObject({ kind: 'refused', refusal: { code: 'token', reason: 'missing or wrong kiosk token: open the kiosk from the address' } });
    expect(fetch).toHaveBeenCalledWith('api/command', expect.objectContaining({ method: 'POST', headers: expect.objectContaining({ authorization: 'Bearer stale' }) }));
  });

  it('treats an answer that is not a reply as refused', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502 })));
    expect(await postJson('api/command', {}, 't')).toEqual({ accepted: false, code: 'other', reason: 'the controller answered HTTP 502 without a reply' });
  });

  it('keeps the code and role the controller sent', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(200, roleRefusal)));
    expect(await postJson('api/command', {}, 't')).toEqual(roleRefusal);
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(400, { error: 'invalid command: pin: too short', code: 'invalid-input' })));
    expect(await postJson('api/command', {}, 't')).toEqual({ accepted: false, code: 'invalid-input', reason: 'invalid command: pin: too short' });
  });

  it('takes an answer the contract refuses (unknown code or role, a field too many) as unreadable: a notice, the issue paths on the console, never a rejection', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const board = createNoticeBoard(manualSchedule().schedule);
    for (const answer of [
      { accepted: false, code: 'melted', role: 'king', reason: 'A123456789 may not' },
      { accepted: true, cardNumber: '3300011000000014' },
      { accepted: 'yes' },
      { error: 'refused', code: 'melted' },
    ]) {
      vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(200, answer)));
      await expect(postJson('api/command', {}, 't')).rejects.toBeInstanceOf(UnreadableAnswer);
      board.dismiss();
      expect(await board.run(() => postJson('api/command', {}, 't'))).toEqual({ accepted: false, code: 'other', reason: unreadableReason });
      expect(board.current()).toMatchObject({ kind: 'unreadable' });
    }
    const logged = errors.mock.calls.map((call) => String(call[0]));
    expect(logged).toHaveLength(8);
    expect(logged[0]).toMatch(/reply .*issues at .*code: invalid_value/);
    for (const line of logged) {
      for (const value of ['A123456789', 'melted', 'king', '3300011000000014']) expect(line).not.toContain(value);
    }
  });

  it('hides the notice after its time, or when dismissed, and shows a repeated refusal anew', async () => {
    const timers = manualSchedule();
    const board = createNoticeBoard(timers.schedule);
    const refuse = async () => refusal('other', 'no');

    await board.run(refuse);
    const first = board.current();
    timers.fire();
    expect(board.current()).toBeNull();

    await board.run(refuse);
    expect(board.current()?.id).not.toBe(first?.id);
    board.dismiss();
    expect(board.current()).toBeNull();
    expect(timers.pending()).toBe(0);
  });

  it('leaves refusals the screen already explains, and background traffic, off the notice', async () => {
    const board = createNoticeBoard(manualSchedule().schedule);
    await board.run(async () => refusal('other', 'wrong PIN'), 'unreachable-only');
    expect(board.current()).toBeNull();
    await board.run(async () => Promise.reject(new TypeError('Failed to fetch')), 'unreachable-only');
    expect(board.current()).toMatchObject({ kind: 'unreachable' });

    // A live camera frame accepted in the background does not wipe the notice, nor does a failed one add to it.
    const shown = board.current();
    await board.run(async () => ({ accepted: true }), 'none');
    expect(await board.run(async () => Promise.reject(new TypeError('Failed to fetch')), 'none')).toEqual({ accepted: false, code: 'other', reason: unreachableReason });
    expect(board.current()).toBe(shown);
  });
});
