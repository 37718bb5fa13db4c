import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KioskCommand, KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { defaultApiLimits, startApiServer, type ApiLimits, type ApiServer } from '../../../../kiosk/controller/api/server';

const token = 'launch-token-0123456789';

function rawRequest(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A raw TCP client: what it was sent back, and when the server closed it. */
interface RawClient {
  readonly socket: Socket;
  received(): string;
  readonly closed: Promise<void>;
}

function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    // A connection the server drops may end in a reset: that is a close too.
    socket.on('error', () => {});
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

/** The next complete response on a kept-alive raw client (the API's JSON is chunked), or what came before it closed. */
function responseOn(client: RawClient, request: string): Promise<string> {
  const before = client.received().length;
  client.socket.write(request);
  return new Promise((resolve) => {
    const check = () => {
      const text = client.received().slice(before);
      if (text.endsWith('\r\n0\r\n\r\n')) {
        client.socket.off('data', check);
        resolve(text);
      }
    };
    client.socket.on('data', check);
    void client.closed.then(() => resolve(client.received().slice(before)));
  });
}

describe('controller API', () => {
  let server: ApiServer;
  const received: KioskCommand[] = [];
  const snapshot = { screen: 'home', version: 1 } as unknown as KioskSnapshot;

  async function start(limits?: Partial<ApiLimits>): Promise<void> {
    const uiDir = mkdtempSync(join(tmpdir(), 'ui-'));
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>kiosk</title>');
    mkdirSync(join(uiDir, 'prompts', 'en'), { recursive: true });
    writeFileSync(join(uiDir, 'prompts', 'en', 'self-service-ready.wav'), 'RIFF');
    server = await startApiServer({
      port: 0,
      token,
      uiDir,
      log: () => {},
      handlers: {
        snapshot: () => snapshot,
        command: async (command) => {
          received.push(command);
          return { accepted: true };
        },
        preview: () => null,
        health: () => ({ ok: true }),
      },
      ...(limits ? { limits } : {}),
    });
  }

  beforeEach(async () => {
    await start();
  });
  afterEach(async () => {
    await server.close();
    received.length = 0;
  });

  const host = () => `127.0.0.1:${server.port}`;

  it('serves the UI with a content security policy and listens on loopback only', async () => {
    const page = await rawRequest(server.port, '/', { headers: { host: host() } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('serves the spoken prompts as audio/wav, with no token (static, like the page)', async () => {
    const prompt = await rawRequest(server.port, '/prompts/en/self-service-ready.wav', { headers: { host: host() } });
    expect(prompt.status).toBe(200);
    expect(prompt.headers['content-type']).toBe('audio/wav');
  });

  it('requires the per-launch token for the API', async () => {
    const missing = await rawRequest(server.port, '/api/snapshot', { headers: { host: host() } });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({ code: 'token', error: expect.stringMatching(/\?token=/) });
    expect((await rawRequest(server.port, '/api/snapshot', { headers: { host: host(), authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await rawRequest(server.port, '/api/snapshot', { headers: { host: host(), authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ screen: 'home' });
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin even with the token', async () => {
    const rebinding = await rawRequest(server.port, '/api/snapshot', { headers: { host: `evil.example:${server.port}`, authorization: `Bearer ${token}` } });
    expect(rebinding.status).toBe(403);
    const page = await rawRequest(server.port, '/', { headers: { host: `evil.example:${server.port}` } });
    expect(page.status).toBe(403);
    const foreign = await rawRequest(server.port, '/api/command', {
      method: 'POST',
      headers: { host: host(), origin: 'http://evil.example', authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'start-application' }),
    });
    expect(foreign.status).toBe(403);
    expect(received).toEqual([]);
  });

  it('validates every command and says which field is wrong', async () => {
    const post = (body: string) =>
      rawRequest(server.port, '/api/command', {
        method: 'POST',
        headers: { host: host(), origin: `http://${host()}`, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
    const bad = await post(JSON.stringify({ type: 'update-application', fields: { birthDate: '1990/01/01' } }));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ code: 'invalid-input', error: expect.stringMatching(/fields\.birthDate: a date as YYYY-MM-DD/) });
    expect((await post('{not json')).status).toBe(400);
    expect((await post(JSON.stringify({ type: 'format-disk' }))).status).toBe(400);
    const good = await post(JSON.stringify({ type: 'update-application', fields: { name: 'NGUYEN THI LAN' } }));
    expect(good.status).toBe(200);
    expect(received).toEqual([{ type: 'update-application', fields: { name: 'NGUYEN THI LAN' } }]);
  });

  it('answers a body that is not JSON with a fixed message that quotes none of it', async () => {
    const response = await rawRequest(server.port, '/api/command', {
      method: 'POST',
      headers: { host: host(), origin: `http://${host()}`, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      // The parser's own message would quote this whole body back.
      body: 'H223456789 PIN 271828',
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'the request body is not valid JSON', code: 'invalid-input' });
    expect(response.body).not.toContain('H223456789');
    expect(response.body).not.toContain('271828');
  });

  it('sets its connection limits explicitly', () => {
    expect(defaultApiLimits).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 64, timeoutCheckIntervalMs: 1_000 });
  });

  it('cuts off a client that sends its headers too slowly', async () => {
    await server.close();
    await start({ headersTimeoutMs: 300, timeoutCheckIntervalMs: 50 });
    const client = await rawClient(server.port);
    client.socket.write(`GET /api/snapshot HTTP/1.1\r\nhost: ${host()}\r\n`);
    // One header byte every 50 ms, for up to 5 s: never the blank line that ends the headers.
    const trickle = setInterval(() => client.socket.writable && client.socket.write('x'), 50);
    const startedAt = Date.now();
    const outcome = await Promise.race([client.closed.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still open after 5 s'), 5_000))]);
    clearInterval(trickle);
    client.socket.destroy();
    expect(outcome).toBe('closed');
    expect(client.received()).toMatch(/^HTTP\/1\.1 408/);
    // Not before its timeout: the limit is the one configured, not some other cut.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
  });

  it('refuses connections beyond its cap and takes new ones once one closes', async () => {
    await server.close();
    await start({ maxConnections: 3 });
    const health = `GET /api/health HTTP/1.1\r\nhost: ${host()}\r\nauthorization: Bearer ${token}\r\n\r\n`;
    const open: RawClient[] = [];
    for (let i = 0; i < 3; i++) {
      const client = await rawClient(server.port);
      // Answered, and kept alive: each of these holds one of the three places.
      expect(await responseOn(client, health)).toMatch(/^HTTP\/1\.1 200/);
      open.push(client);
    }
    const extra = await rawClient(server.port);
    const answer = await responseOn(extra, health);
    await extra.closed;
    expect(answer).toBe('');
    open[0]?.socket.destroy();
    await open[0]?.closed;
    // The server counts the closed connection out on its next turn.
    let later = '';
    for (let attempt = 0; attempt < 20 && !later.startsWith('HTTP/1.1 200'); attempt++) {
      const client = await rawClient(server.port);
      later = await responseOn(client, health);
      client.socket.destroy();
    }
    expect(later).toMatch(/^HTTP\/1\.1 200/);
    for (const client of open) client.socket.destroy();
  });

  it('has no dev panel when devices are real', async () => {
    const dev = await rawRequest(server.port, '/api/dev', {
      method: 'POST',
      headers: { host: host(), authorization: `Bearer ${token}` },
      body: JSON.stringify({ type: 'remove-card' }),
    });
    expect(dev.status).toBe(404);
  });

  it('pushes snapshots over a WebSocket to token holders only', async () => {
    const refused = new WebSocket(`ws://${host()}/api/events?token=wrong`);
    const refusal = await new Promise<string>((resolve) => refused.on('error', (error) => resolve(error.message)));
    expect(refusal).toMatch(/401/);
    const socket = new WebSocket(`ws://${host()}/api/events?token=${token}`);
    const first = await new Promise<string>((resolve) => socket.once('message', (data: Buffer) => resolve(data.toString())));
    expect(JSON.parse(first)).toMatchObject({ screen: 'home', version: 1 });
    const pushed = new Promise<string>((resolve) => socket.once('message', (data: Buffer) => resolve(data.toString())));
    server.broadcast({ ...snapshot, version: 2 });
    expect(JSON.parse(await pushed)).toMatchObject({ version: 2 });
    socket.close();
  });
});
