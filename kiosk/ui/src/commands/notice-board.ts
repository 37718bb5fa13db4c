import { refused } from '../../../../shared/contract/kiosk-api';
import { UnreadableAnswer } from '../reading/unreadable';
import type { Reply } from './post-json';
import type { RefusedReply } from './refusal-text';

/**
 * The last command's outcome, for the one notice on screen: a refusal or an unreachable
 * controller is shown until the next successful command, a tap on "close", or `showForMs`.
 * Every command goes through `run`, so no call site handles errors itself and none rejects.
 */
export type Notice =
  | { readonly kind: 'refused'; readonly refusal: RefusedReply; readonly id: number }
  | { readonly kind: 'unreachable'; readonly id: number }
  /** The controller answered something the contract's schemas refuse: done or not, nobody knows. */
  | { readonly kind: 'unreadable'; readonly id: number };

/**
 * What a command's outcome shows: 'all'; 'unreachable-only' when the screen already says why
 * (the PIN pad shows the session's message); 'none' for background traffic (live camera frames).
 */
export type Report = 'all' | 'unreachable-only' | 'none';

/** Schedules `run` after `ms`; returns a cancel. Injected so tests need no real time. */
export type Schedule = (ms: number, run: () => void) => () => void;

export interface NoticeBoard {
  current(): Notice | null;
  subscribe(listener: () => void): () => void;
  run(send: () => Promise<Reply>, report?: Report): Promise<Reply>;
  dismiss(): void;
}

/** The reason a Reply carries when the request got no answer at all. */
export const unreachableReason = "the kiosk's controller cannot be reached";

/** The reason a Reply carries when the answer could not be read. */
export const unreadableReason = "the controller's answer could not be read";

/** Long enough for a slow reader to read two sentences twice. */
export const noticeShowsForMs = 20_000;

export function createNoticeBoard(schedule: Schedule, showForMs: number = noticeShowsForMs): NoticeBoard {
  let notice: Notice | null = null;
  let nextId = 1;
  let cancelTimer: (() => void) | null = null;
  const listeners = new Set<() => void>();

  const set = (next: Notice | null): void => {
    cancelTimer?.();
    cancelTimer = next ? schedule(showForMs, () => set(null)) : null;
    if (next === null && notice === null) return;
    notice = next;
    for (const listener of listeners) listener();
  };

  return {
    current: () => notice,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async run(send, report = 'all') {
      let reply: Reply;
      try {
        reply = await send();
      } catch (error) {
        const unreadable = error instanceof UnreadableAnswer;
        if (report !== 'none') set({ kind: unreadable ? 'unreadable' : 'unreachable', id: nextId++ });
        return refused('other', unreadable ? unreadableReason : unreachableReason);
      }
      if (report === 'none') return reply;
      if (reply.accepted) set(null);
      else if (report === 'all') set({ kind: 'refused', refusal: reply, id: nextId++ });
      return reply;
    },
    dismiss: () => set(null),
  };
}
