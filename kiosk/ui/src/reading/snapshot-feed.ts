import { kioskSnapshotSchema, type KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { issuesOf, logUnreadable, notJson, type Unreadable } from './unreadable';

/**
 * The snapshots pushed over the WebSocket, each read with the contract's schema before the screen
 * sees it. A push that does not fit is not shown: the screen keeps the last good snapshot and says
 * (`unreadable`) that what it shows may be out of date, until the next good one. No DOM: tested in Node.
 */
export interface FeedState {
  readonly snapshot: KioskSnapshot | null;
  /** The last push could not be read. */
  readonly unreadable: boolean;
}

export interface SnapshotFeed {
  current(): FeedState;
  subscribe(listener: () => void): () => void;
  /** One WebSocket message, as the text that arrived. */
  receive(text: string): void;
}

export function createSnapshotFeed(report: (unreadable: Unreadable) => void = logUnreadable): SnapshotFeed {
  let state: FeedState = { snapshot: null, unreadable: false };
  const listeners = new Set<() => void>();
  const set = (next: FeedState): void => {
    if (next.snapshot === state.snapshot && next.unreadable === state.unreadable) return;
    state = next;
    for (const listener of listeners) listener();
  };
  const refuse = (issues: readonly string[]): void => {
    report({ what: 'snapshot', issues });
    set({ snapshot: state.snapshot, unreadable: true });
  };

  return {
    current: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    receive(text) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        refuse(notJson);
        return;
      }
      const parsed = kioskSnapshotSchema.safeParse(json);
      if (!parsed.success) {
        refuse(issuesOf(parsed.error));
        return;
      }
      const next = parsed.data;
      const current = state.snapshot;
      // A push older than the one on screen (they may cross) changes nothing but the notice.
      set({ snapshot: current && current.version > next.version ? current : next, unreadable: false });
    },
  };
}
