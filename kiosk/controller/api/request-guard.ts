import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the controller: only this machine (the server binds loopback), only pages of
 * the kiosk's own origin (a foreign Origin is refused; a foreign Host is DNS rebinding), and only
 * holders of the per-launch token for anything under /api/.
 */
export interface RequestGuardOptions {
  readonly port: () => number;
  readonly token: string;
}

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

export function checkRequest(request: IncomingMessage, options: RequestGuardOptions, needsToken: boolean): GuardVerdict {
  const port = options.port();
  const hosts = allowedHosts(port);
  const host = request.headers.host ?? '';
  if (!hosts.includes(host)) return { ok: false, status: 403, reason: `foreign Host header '${host}'` };
  const origin = request.headers.origin;
  if (origin !== undefined && !hosts.some((allowed) => origin === `http://${allowed}`)) {
    return { ok: false, status: 403, reason: `foreign Origin '${origin}'` };
  }
  if (needsToken && !tokenMatches(presentedToken(request), options.token)) {
    return { ok: false, status: 401, reason: 'missing or wrong kiosk token: it changes at every start, so open the kiosk from the address (with ?token=) the controller gave at this start' };
  }
  return { ok: true };
}

function presentedToken(request: IncomingMessage): string {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length);
  const url = new URL(request.url ?? '/', 'http://localhost');
  return url.searchParams.get('token') ?? '';
}

function tokenMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
