import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { z } from 'zod';
import {
  devCommandSchema,
  kioskCommandSchema,
  type CommandReply,
  type DevCommand,
  type DevWorldState,
  type KioskCommand,
  type KioskSnapshot,
} from '../../../shared/contract/kiosk-api';
import type { LogSink } from '../../../shared/log';
import type { ReportService } from '../reports/report-service';
import { readCommandBody } from './command-body';
import { serveReports } from './report-routes';
import { allowedHosts, checkRequest } from './request-guard';

/** What the API needs from the rest of the controller. */
export interface ApiHandlers {
  snapshot(): KioskSnapshot;
  command(command: KioskCommand): Promise<CommandReply>;
  /** The card face preview, as PNG, when one is rendered: its front, or its back. */
  preview(side: 'front' | 'back'): Uint8Array | null;
  /** Present only when devices are simulated: the dev panel's actions on the simulated world. */
  dev?: (command: DevCommand) => Promise<CommandReply>;
  /** The simulated world's state for the dev panel (printer feeder and ribbon, cards on readers...). */
  devState?: () => DevWorldState;
  /** Device summaries for /api/health (and `kioskctl doctor`). */
  health(): unknown;
  /** The supervisor's figures and report downloads under /api/reports/ (api/report-routes.ts). */
  reports?: ReportService;
}

export type { CommandReply };

export interface ApiServerOptions {
  readonly port: number;
  readonly token: string;
  readonly uiDir: string;
  readonly handlers: ApiHandlers;
  readonly log: LogSink;
  /** Connection limits; the defaults below unless a test needs them short. */
  readonly limits?: Partial<ApiLimits>;
}

/**
 * Limits on slow or many connections, set explicitly rather than left to Node's defaults (60 s for headers,
 * 5 min per request, connections unbounded). The only client is the kiosk's own UI on loopback.
 */
export interface ApiLimits {
  /** Until a request's headers are complete: a few hundred bytes on loopback, so 10 s is generous. */
  readonly headersTimeoutMs: number;
  /** Until a whole request is received: the largest is a photo of at most 8 MB, on loopback. */
  readonly requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this (the UI's next command opens another). */
  readonly keepAliveTimeoutMs: number;
  /** Open connections at once: one UI uses a WebSocket and a few fetches; more is a runaway client. */
  readonly maxConnections: number;
  /** How often Node looks for connections past the header and request timeouts. */
  readonly timeoutCheckIntervalMs: number;
}

export const defaultApiLimits: ApiLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 64,
  timeoutCheckIntervalMs: 1_000,
};

export interface ApiServer {
  readonly port: number;
  readonly url: string;
  /** Pushes the snapshot to every connected UI. */
  broadcast(snapshot: KioskSnapshot): void;
  close(): Promise<void>;
}

const maxBodyBytes = 12 * 1024 * 1024;
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
};

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  let port = 0;
  const guard = { port: () => port, token: options.token };
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });

  const limits: ApiLimits = { ...defaultApiLimits, ...options.limits };
  const serverOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
  };
  const server = createServer(serverOptions, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log({ eventId: 'api-request-failed', disposition: 'failure', message: String(error) });
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const isApi = url.pathname.startsWith('/api/');
    const verdict = checkRequest(request, guard, isApi);
    if (!verdict.ok) {
      options.log({ eventId: 'api-request-refused', disposition: 'failure', message: verdict.reason, path: url.pathname });
      sendJson(response, verdict.status, { error: verdict.reason, code: verdict.status === 401 ? 'token' : 'other' });
      return;
    }
    if (!isApi) return serveStatic(url.pathname, response);
    if (url.pathname.startsWith('/api/reports/')) return serveReports(request, response, url, options.handlers.reports, sendJson);

    const route = `${request.method} ${url.pathname}`;
    switch (route) {
      case 'GET /api/snapshot':
        return sendJson(response, 200, options.handlers.snapshot());
      case 'GET /api/health':
        return sendJson(response, 200, options.handlers.health());
      case 'GET /api/preview.png': {
        const png = options.handlers.preview(url.searchParams.get('side') === 'back' ? 'back' : 'front');
        if (!png) return sendJson(response, 404, { error: 'no card face rendered yet' });
        response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
        response.end(png);
        return;
      }
      case 'POST /api/command': {
        const command = await readValid(request, response, kioskCommandSchema);
        if (command) sendJson(response, 200, await options.handlers.command(command));
        return;
      }
      case 'GET /api/dev': {
        const state = options.handlers.devState;
        if (!state) return sendJson(response, 404, { error: 'the dev panel exists only with simulated devices' });
        return sendJson(response, 200, state());
      }
      case 'POST /api/dev': {
        const dev = options.handlers.dev;
        if (!dev) return sendJson(response, 404, { error: 'the dev panel exists only with simulated devices' });
        const command = await readValid(request, response, devCommandSchema);
        if (command) sendJson(response, 200, await dev(command));
        return;
      }
      default:
        sendJson(response, 404, { error: `no route ${route}` });
    }
  }

  async function serveStatic(pathname: string, response: ServerResponse): Promise<void> {
    const relative = pathname === '/' || pathname === '/dev' ? '/index.html' : pathname;
    const file = normalize(join(options.uiDir, relative));
    if (!file.startsWith(options.uiDir + sep)) return sendJson(response, 404, { error: 'not found' });
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return sendJson(response, 404, { error: `not found: ${pathname} (is the UI built? npm run build:ui)` });
    }
    const type = contentTypes[extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'content-type': type, 'x-content-type-options': 'nosniff' };
    if (type.startsWith('text/html')) headers['content-security-policy'] = contentSecurityPolicy(port);
    response.writeHead(200, headers);
    response.end(body);
  }

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const verdict = checkRequest(request, guard, true);
    if (url.pathname !== '/api/events' || !verdict.ok) {
      socket.end(`HTTP/1.1 ${verdict.ok ? 404 : verdict.status} Refused\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
      // One-way: the UI sends its commands to POST /api/command. Anything a client sends here is refused,
      // by closing with the reason (ws itself closes on invalid UTF-8, 1007, and on frames over maxPayload, 1009).
      ws.on('message', () => ws.close(1003, 'the event stream is one-way: send commands to POST /api/command'));
      ws.send(JSON.stringify(options.handlers.snapshot()));
    });
  });

  // Past the cap, Node closes a new connection at once, before it is read.
  server.maxConnections = limits.maxConnections;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://${allowedHosts(port)[0]}/`,
    broadcast(snapshot) {
      const text = JSON.stringify(snapshot);
      for (const ws of sockets) ws.send(text);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

async function readValid<S extends z.ZodType>(request: IncomingMessage, response: ServerResponse, schema: S): Promise<z.infer<S> | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      sendJson(response, 413, { error: `request body over ${maxBodyBytes} bytes`, code: 'invalid-input' });
      return null;
    }
    chunks.push(chunk);
  }
  const verdict = readCommandBody(Buffer.concat(chunks).toString('utf8'), schema);
  if (verdict.ok) return verdict.value;
  sendJson(response, verdict.status, { error: verdict.error, code: verdict.code });
  return null;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
