import { fromPromise, type ActorRefFrom } from 'xstate';
import type { CommandReply, KioskCommand, ServiceSessionView } from '../../shared/contract/kiosk-api';
import { refused } from '../../shared/contract/kiosk-api';
import { transitSchemes, type TransitScheme } from '../../shared/domain/card-types';
import { closeBook, freeBlanks, queueRefusal, ribbonCardsFree, stockWarnings, type BlankCount, type SessionMode, type StockDemand } from '../../shared/domain/service-session';
import { ok } from '../../shared/result';
import type { LogSink } from '../../shared/log';
import { sessionBusyWith, sessionMachine, type SessionCommand, type SessionEvent, type SessionRegionRef } from './machine/session-machine';
import type { ClosedSession } from './store/sessions';
import type { Store } from './store/store';

/**
 * The service session region seen from the controller: its commands answered once the store work is
 * done, the refusals that depend on it (no card without an open session, none the stock or the ribbon
 * cannot finish), and the session's view for the snapshot.
 */
export interface ServiceSessions {
  /** Opens, loads or returns blanks, or closes, as `operatorId` (already authorized). */
  command(command: Extract<KioskCommand, { type: 'open-session' | 'close-session' | 'load-blanks' | 'return-blanks' }>, operatorId: string | null): Promise<CommandReply>;
  /** The open session's id, or null. */
  sessionId(): string | null;
  /** The open session's mode (a nursing home's photo exception), or null. */
  sessionMode(): SessionMode | null;
  /** Why no application may start now (no open session), or null. */
  refusalToStart(): CommandReply | null;
  /** Why a card of `scheme` may not join the queue, given the cards already queued per scheme; or null. */
  refusalToQueue(scheme: TransitScheme, queued: QueuedPerScheme): CommandReply | null;
  /**
   * Why the session may not close with this count now: cards still waiting for their blank, or a count
   * that differs from the ledger without a note (the store refuses both too; asked first, so that nobody
   * is asked to approve a close the store would refuse); or null.
   */
  refusalToClose(counted: BlankCount, note: string | undefined, queued: QueuedPerScheme): CommandReply | null;
  view(queued: QueuedPerScheme): ServiceSessionView | null;
  /** The session closed last on this run (its id and closing book), or null. */
  lastClosed(): ClosedSession | null;
  /** The ledger may have moved: read the stock again. */
  refresh(): void;
  onChange(listener: () => void): () => void;
  stop(): void;
}

export type QueuedPerScheme = Readonly<Record<TransitScheme, number>>;

/**
 * Ribbon prints one card takes: the card face prints its front and its back (render-card-face's
 * default), one YMCKO print each.
 */
export const printsPerCard = 2;

export interface SessionDeps {
  readonly store: Store;
  /** The printer's prints left (`Rco;I`) from its latest status; null when it has not said. */
  readonly ribbonPrintsLeft: () => number | null;
  readonly log: LogSink;
  /**
   * Called once a session is closed (its count booked), e.g. to write its report; a failure here is
   * logged and does not undo the close.
   */
  readonly onClosed?: (sessionId: string) => Promise<void>;
}

/** The region's store work, for `kioskMachine.provide`. */
export function sessionRegion(deps: SessionDeps) {
  const { store } = deps;
  const openOf = async (sessionId: string) => ({ session: (await store.sessions.byId(sessionId))!, stock: await store.sessions.stock(sessionId) });
  return sessionMachine.provide({
    actors: {
      loadSession: fromPromise(async () => {
        const open = await store.sessions.current();
        return open ? { session: open, stock: await store.sessions.stock(open.id) } : null;
      }),
      openSession: fromPromise(async ({ input }) => {
        const opened = await store.sessions.open({ ...input, ribbonPrintsLeft: deps.ribbonPrintsLeft() });
        if (!opened.ok) return opened;
        deps.log({ eventId: 'session-opened', disposition: 'success', message: `service session opened (${input.mode})`, sessionId: opened.value.id });
        return ok(await openOf(opened.value.id));
      }),
      adjustStock: fromPromise(async ({ input }) => {
        const adjust = input.kind === 'load' ? store.sessions.loadBlanks : store.sessions.returnBlanks;
        return adjust({ sessionId: input.sessionId, scheme: input.scheme, count: input.count, operatorId: input.operatorId });
      }),
      closeSession: fromPromise(async ({ input }) => {
        const closed = await store.sessions.close({ ...input, ribbonPrintsLeft: deps.ribbonPrintsLeft() });
        if (closed.ok) {
          deps.log({ eventId: 'session-closed', disposition: closed.value.book.balanced ? 'success' : 'failure', message: `service session closed${closed.value.book.balanced ? '' : ' with a discrepancy'}`, sessionId: input.sessionId });
          await deps.onClosed?.(input.sessionId).catch((error: unknown) =>
            deps.log({ eventId: 'session-closed', disposition: 'failure', message: `after the close: ${String(error)}`, sessionId: input.sessionId }),
          );
        }
        return closed;
      }),
      loadStock: fromPromise(async ({ input }) => store.sessions.stock(input.sessionId)),
    },
  });
}

const replyChannel = (type: 'open-session' | 'close-session' | 'load-blanks' | 'return-blanks'): SessionCommand => {
  switch (type) {
    case 'open-session':
      return 'open';
    case 'close-session':
      return 'close';
    case 'load-blanks':
    case 'return-blanks':
      return 'adjust';
    default:
      throw new Error(`unknown session command ${String(type satisfies never)}`);
  }
};

export function bindServiceSessions(actor: SessionRegionRef | ActorRefFrom<ReturnType<typeof sessionRegion>>, deps: Pick<SessionDeps, 'ribbonPrintsLeft' | 'log'>): ServiceSessions {
  const region = actor as SessionRegionRef;
  const listeners = new Set<() => void>();
  const subscription = region.subscribe({
    next: () => {
      for (const listener of listeners) listener();
    },
    error: (error) => deps.log({ eventId: 'kiosk-machine-crashed', disposition: 'failure', message: `service session: ${String(error)}` }),
  });
  const current = () => region.getSnapshot().context.current;
  const demand = (queued: QueuedPerScheme): StockDemand => ({ queued, ribbonPrintsLeft: deps.ribbonPrintsLeft(), printsPerCard });

  /** Sends `event` and answers with the region's reply once its store work is done (a store error is thrown). */
  const answer = (channel: SessionCommand, event: SessionEvent): Promise<CommandReply> =>
    new Promise((resolve, reject) => {
      const replies = region.on('replied', (reply) => {
        if (reply.command !== channel) return;
        replies.unsubscribe();
        if (reply.outcome.ok) resolve(reply.outcome.reply);
        else reject(reply.outcome.error);
      });
      region.send(event);
    });

  return {
    command(command, operatorId) {
      const busy = sessionBusyWith(region.getSnapshot());
      if (busy) return Promise.resolve(refused('other', 'the previous session change is still being recorded'));
      const channel = replyChannel(command.type);
      switch (command.type) {
        case 'open-session':
          return answer(channel, { type: 'open', site: command.site, mode: command.mode, blanks: command.blanks, operatorId });
        case 'load-blanks':
          return answer(channel, { type: 'adjust', kind: 'load', scheme: command.scheme, count: command.count, operatorId });
        case 'return-blanks':
          return answer(channel, { type: 'adjust', kind: 'return', scheme: command.scheme, count: command.count, operatorId });
        case 'close-session':
          return answer(channel, { type: 'close', counted: command.counted, note: command.note ?? null, operatorId });
        default:
          throw new Error(`unknown session command ${String(command satisfies never)}`);
      }
    },
    sessionId: () => current()?.session.id ?? null,
    sessionMode: () => current()?.session.mode ?? null,
    refusalToStart: () => (current() ? null : refused('no-session', 'no service session is open: a supervisor opens one before any card is made')),
    refusalToQueue(scheme, queued) {
      const open = current();
      if (!open) return refused('no-session', 'no service session is open: a supervisor opens one before any card is made');
      const refusal = queueRefusal(open.stock, demand(queued), scheme);
      if (refusal === 'no-blanks') return refused('no-blanks', `no free ${scheme} blank for this card: load blanks, or choose the other scheme`);
      if (refusal === 'no-ribbon') return refused('no-ribbon', 'the ribbon cannot print this card after the queued ones');
      return null;
    },
    refusalToClose(counted, note, queued) {
      const open = current();
      if (!open) return refused('no-session', 'no service session is open');
      if (transitSchemes.some((scheme) => queued[scheme] > 0)) return refused('cards-in-queue', 'cards in the print queue still need their blanks: finish or cancel them first');
      const book = closeBook(open.stock, counted);
      if (!book.balanced && !note?.trim()) {
        const differences = transitSchemes.map((scheme) => `${scheme} ${book.schemes[scheme].counted} counted, ${book.schemes[scheme].expected} expected`).join('; ');
        return refused('count-note-required', `the count differs from the ledger (${differences}): a note must say why`);
      }
      return null;
    },
    view(queued) {
      const open = current();
      if (!open) return null;
      const need = demand(queued);
      const stock = Object.fromEntries(
        transitSchemes.map((scheme) => {
          const line = open.stock[scheme];
          return [scheme, { loaded: line.loaded, issued: line.issued, spoiled: line.spoiled, returned: line.returned, inHand: line.inHand, queued: queued[scheme], free: freeBlanks(open.stock, need, scheme) }];
        }),
      ) as unknown as ServiceSessionView['stock'];
      return {
        id: open.session.id,
        site: open.session.site,
        mode: open.session.mode,
        openedAt: open.session.openedAt,
        stock,
        ribbon: { printsLeft: need.ribbonPrintsLeft, cardsFree: ribbonCardsFree(need) },
        warnings: stockWarnings(open.stock, need),
      };
    },
    lastClosed: () => region.getSnapshot().context.lastClosed,
    refresh: () => region.send({ type: 'refresh' }),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => subscription.unsubscribe(),
  };
}
