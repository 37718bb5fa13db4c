import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KioskCommand, KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { startApiServer, type ApiServer } from '../../../../kiosk/controller/api/server';

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

describe('controller API', () => {
  let server: ApiServer;
  const received: KioskCommand[] = [];
  const snapshot = { screen: 'home', version: 1 } as unknown as KioskSnapshot;

  beforeEach(async () => {
    const uiDir = mkdtempSync(join(tmpdir(), 'ui-'));
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>kiosk</title>');
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
    });
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
