import type { DevCommand, KioskCommand, KioskSnapshot } from '../../../shared/contract/kiosk-api';

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

export type Reply = { accepted: true } | { accepted: false; reason: string };

async function post(path: string, body: unknown): Promise<Reply> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${kioskToken()}` },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Reply | { error: string };
  if ('error' in json) return { accepted: false, reason: json.error };
  return json;
}

export const sendCommand = (command: KioskCommand): Promise<Reply> => post('api/command', command);
export const sendDevCommand = (command: DevCommand): Promise<Reply> => post('api/dev', command);

export function withToken(path: string): string {
  const separator = path.includes('?') ? '&' : '?';
  return `${path}${separator}token=${encodeURIComponent(kioskToken())}`;
}

/** Keeps a live connection; reconnects after a controller restart. */
export function subscribe(onSnapshot: (snapshot: KioskSnapshot) => void, onConnection: (up: boolean) => void): () => void {
  let socket: WebSocket | undefined;
  let stopped = false;
  let retry: number | undefined;
  const connect = (): void => {
    const url = new URL('api/events', window.location.href);
    url.protocol = 'ws:';
    url.searchParams.set('token', kioskToken());
    socket = new WebSocket(url);
    socket.onopen = () => onConnection(true);
    socket.onmessage = (message) => onSnapshot(JSON.parse(String(message.data)) as KioskSnapshot);
    socket.onclose = () => {
      onConnection(false);
      if (!stopped) retry = window.setTimeout(connect, 1000);
    };
  };
  connect();
  return () => {
    stopped = true;
    window.clearTimeout(retry);
    socket?.close();
  };
}
