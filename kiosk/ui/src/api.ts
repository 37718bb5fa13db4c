import type { DevCommand, KioskCommand } from '../../../shared/contract/kiosk-api';
import { linkAfterClose, type LinkState, type Probe } from './commands/link-state';
import { postJson, type Reply } from './commands/post-json';

export type { Reply } from './commands/post-json';

/**
 * The UI's only channel to the controller: commands over HTTP with the per-launch token, and
 * state snapshots pushed over a WebSocket. The token arrives once in the URL (?token=) and is
 * kept for this tab only.
 */
const tokenKey = 'kiosk-token';

export function kioskToken(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem(tokenKey, fromUrl);
    const clean = new URL(window.location.href);
    clean.searchParams.delete('token');
    window.history.replaceState(null, '', clean);
    return fromUrl;
  }
  return sessionStorage.getItem(tokenKey) ?? '';
}

/** Raw sends: they reject when the controller cannot be reached. Screens use `command` (./command) instead. */
export const sendCommand = (command: KioskCommand): Promise<Reply> => postJson('api/command', command, kioskToken());
export const sendDevCommand = (command: DevCommand): Promise<Reply> => postJson('api/dev', command, kioskToken());

export function withToken(path: string): string {
  const separator = path.includes('?') ? '&' : '?';
  return `${path}${separator}token=${encodeURIComponent(kioskToken())}`;
}

/** Between a closed connection and the next try. */
const reconnectAfterMs = 1000;
/** A refused token stays refused until the page is opened anew; rare tries keep the controller's log quiet. */
const retryRefusedTokenAfterMs = 30_000;

/** Why the WebSocket closed, asked over plain HTTP (the browser hides the refused upgrade's status). */
async function probe(): Promise<Probe> {
  try {
    const response = await fetch('api/snapshot', { headers: { authorization: `Bearer ${kioskToken()}` }, cache: 'no-store' });
    return response.status;
  } catch {
    return 'no-answer';
  }
}

/**
 * Keeps a live connection; reconnects after a controller restart and says how the link is. Each
 * message goes as its text to `onMessage`, which reads it (./reading/snapshot-feed): nothing here trusts it.
 */
export function subscribe(onMessage: (text: string) => void, onLink: (state: LinkState) => void): () => void {
  let socket: WebSocket | undefined;
  let stopped = false;
  let hadWorked = false;
  let retry: number | undefined;
  const connect = (): void => {
    const url = new URL('api/events', window.location.href);
    url.protocol = 'ws:';
    url.searchParams.set('token', kioskToken());
    socket = new WebSocket(url);
    socket.onopen = () => {
      hadWorked = true;
      onLink('up');
    };
    socket.onmessage = (message) => onMessage(String(message.data));
    socket.onclose = () => {
      if (stopped) return;
      if (hadWorked) onLink('lost');
      void probe().then((answer) => {
        if (stopped) return;
        const state = linkAfterClose(hadWorked, answer);
        onLink(state);
        retry = window.setTimeout(connect, state === 'token-refused' ? retryRefusedTokenAfterMs : reconnectAfterMs);
      });
    };
  };
  connect();
  return () => {
    stopped = true;
    window.clearTimeout(retry);
    socket?.close();
  };
}
