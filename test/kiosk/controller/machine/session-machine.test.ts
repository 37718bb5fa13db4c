import { describe, expect, it } from 'vitest';
import { createActor, fromPromise } from 'xstate';
import { stockOf, type SessionStock } from '../../../../shared/domain/service-session';
import { err, ok, type Result } from '../../../../shared/result';
import { sessionMachine, type AdjustInput, type OpenSession, type SessionEmitted } from '../../../../kiosk/controller/machine/session-machine';
import type { ClosedSession, ServiceSessionRecord, SessionError } from '../../../../kiosk/controller/store/sessions';

const record: ServiceSessionRecord = {
  id: 'S-1', site: 'market', mode: 'market', openedAt: '2026-03-01T09:00:00.000Z', openedBy: 'sup', ribbonPrintsAtOpen: null, closedAt: null, closedBy: null, closeNote: null,
};
const stockWith = (easycard: number): SessionStock => stockOf([{ kind: 'loaded', scheme: 'easycard', quantity: easycard, reason: 'box' }]);

/** The session region over store work kept in memory; each stock read is counted, and can be held back. */
function sessionWith(open: OpenSession | null) {
  let loaded = 5;
  let reads = 0;
  let release: (() => void) | null = null;
  const machine = sessionMachine.provide({
    actors: {
      loadSession: fromPromise(async () => open),
      openSession: fromPromise(async (): Promise<Result<OpenSession, SessionError>> => ok({ session: record, stock: stockWith(loaded) })),
      adjustStock: fromPromise(async ({ input }: { input: AdjustInput }): Promise<Result<SessionStock, SessionError>> => {
        loaded += input.kind === 'load' ? input.count : -input.count;
        return ok(stockWith(loaded));
      }),
      closeSession: fromPromise(async ({ input }: { input: { sessionId: string; counted: { readonly easycard: number; readonly ipass: number }; note: string | null; operatorId: string | null } }): Promise<Result<ClosedSession, SessionError>> => {
        const book = { schemes: { easycard: { expected: loaded, counted: input.counted.easycard, discrepancy: input.counted.easycard - loaded }, ipass: { expected: 0, counted: 0, discrepancy: 0 } }, adjustments: [], balanced: input.counted.easycard === loaded };
        if (!book.balanced && input.note === null) return err({ kind: 'note_required', book });
        return ok({ sessionId: input.sessionId, book });
      }),
      loadStock: fromPromise(async () => {
        reads += 1;
        await new Promise<void>((resolve) => (release = resolve));
        return stockWith(loaded);
      }),
    },
  });
  const actor = createActor(machine).start();
  const replies: SessionEmitted[] = [];
  actor.on('replied', (reply) => replies.push(reply));
  return {
    actor, replies,
    reads: () => reads,
    setLoaded: (value: number) => (loaded = value),
    releaseRead: () => release?.(),
  };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('the service session region', () => {
  it('loads the open session at start; a second open is refused with session-open', async () => {
    const { actor, replies } = sessionWith({ session: record, stock: stockWith(3) });
    await settle();
    expect(actor.getSnapshot().matches({ open: 'idle' })).toBe(true);
    actor.send({ type: 'open', site: 'x', mode: 'market', blanks: { easycard: 1, ipass: 1 }, operatorId: 'sup' });
    expect(replies.at(-1)).toMatchObject({ command: 'open', outcome: { ok: true, reply: { accepted: false, code: 'session-open' } } });
  });

  it('without a session, loading blanks or closing is refused with no-session; opening makes it open', async () => {
    const { actor, replies } = sessionWith(null);
    await settle();
    expect(actor.getSnapshot().matches('none')).toBe(true);
    actor.send({ type: 'adjust', kind: 'load', scheme: 'easycard', count: 1, operatorId: 'sup' });
    actor.send({ type: 'close', counted: { easycard: 0, ipass: 0 }, note: null, operatorId: 'sup' });
    expect(replies.map((reply) => reply.outcome.ok && !reply.outcome.reply.accepted && reply.outcome.reply.code)).toEqual(['no-session', 'no-session']);
    actor.send({ type: 'open', site: 'market', mode: 'market', blanks: { easycard: 5, ipass: 0 }, operatorId: 'sup' });
    await settle();
    expect(actor.getSnapshot().context.current?.stock.easycard.inHand).toBe(5);
  });

  it('reads the stock again once more when the queue moved during a read, not once per move', async () => {
    const session = sessionWith({ session: record, stock: stockWith(5) });
    await settle();
    session.actor.send({ type: 'refresh' });
    await settle();
    session.setLoaded(7);
    session.actor.send({ type: 'refresh' });
    session.actor.send({ type: 'refresh' });
    session.releaseRead();
    await settle();
    expect(session.reads()).toBe(2);
    session.releaseRead();
    await settle();
    expect(session.actor.getSnapshot().matches({ open: 'idle' })).toBe(true);
    expect(session.actor.getSnapshot().context.current?.stock.easycard.inHand).toBe(7);
  });

  it('a count that differs stays open without a note; with it the session closes and its book is kept', async () => {
    const { actor, replies } = sessionWith({ session: record, stock: stockWith(5) });
    await settle();
    actor.send({ type: 'close', counted: { easycard: 4, ipass: 0 }, note: null, operatorId: 'sup' });
    await settle();
    expect(replies.at(-1)).toMatchObject({ command: 'close', outcome: { reply: { accepted: false, code: 'count-note-required' } } });
    expect(actor.getSnapshot().matches({ open: 'idle' })).toBe(true);
    actor.send({ type: 'close', counted: { easycard: 4, ipass: 0 }, note: 'one bent', operatorId: 'sup' });
    await settle();
    expect(replies.at(-1)).toMatchObject({ command: 'close', outcome: { reply: { accepted: true } } });
    expect(actor.getSnapshot().matches('none')).toBe(true);
    expect(actor.getSnapshot().context.lastClosed).toMatchObject({ sessionId: 'S-1', book: { balanced: false } });
  });
});
