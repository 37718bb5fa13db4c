import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KioskCommand, KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { startApiServer, type ApiServer } from '../../../../kiosk/controller/api/server';
import { readCommandBody } from '../../../../kiosk/controller/api/command-body';
import { kioskCommandSchema } from '../../../../shared/contract/kiosk-api';
import { target as apiCommandTarget } from '../../../../scripts/fuzz/targets/api-command';

/**
 * The real server under hostile input (issue 17): the api-command fuzz target's bodies through
 * `POST /api/command`, and frames a client must not send on the event WebSocket. The function-level
 * fuzzing (100,000 inputs) is `npm run fuzz -- --target api-command`; this proves the server wires it.
 */
const token = 'launch-token-0123456789';

function post(port: number, body: string, path = '/api/command'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the controller API under hostile input', () => {
  let server: ApiServer;
  const received: KioskCommand[] = [];
  const snapshot = { screen: 'home', version: 1 } as unknown as KioskSnapshot;

  beforeAll(async () => {
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
        dev: async () => ({ accepted: true }),
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 200 bodies from the api-command fuzz target with 200 or a 400 naming the field, never a 500', async () => {
    const bodies = fc.sample(apiCommandTarget.input, { numRuns: 200, seed: 17 });
    let refused = 0;
    for (const input of bodies) {
      const answer = await post(server.port, input.body, input.dev ? '/api/dev' : '/api/command');
      expect([200, 400], input.body.slice(0, 200)).toContain(answer.status);
      const reply = JSON.parse(answer.body) as { error?: string; code?: string };
      if (answer.status === 400) {
        refused += 1;
        expect(reply.code).toBe('invalid-input');
        expect(reply.error).toMatch(/^(invalid command: \S.*|the request body is not valid JSON)$/s);
      }
    }
    // Most of them are refused (the target mutates real commands); the rest are real commands.
    expect(refused).toBeGreaterThan(100);
    expect((await post(server.port, JSON.stringify({ type: 'keep-alive' }))).status).toBe(200);
  }, 60_000);

  it('names the field of a wrong command, and at most a few of thousands of unknown keys', async () => {
    const wrong = await post(server.port, JSON.stringify({ type: 'enter-pin', pin: '12ab' }));
    expect(JSON.parse(wrong.body)).toEqual({ code: 'invalid-input', error: 'invalid command: pin: 4 to 12 digits' });
    const keys = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`key-${'x'.repeat(40)}-${i}`, i]));
    const many = await post(server.port, JSON.stringify({ type: 'update-application', fields: keys }));
    expect(many.status).toBe(400);
    const error = (JSON.parse(many.body) as { error: string }).error;
    expect(error).toContain('fields: Unrecognized keys');
    // The refusal does not echo a quarter of a megabyte of the body back.
    expect(error.length).toBeLessThan(2_000);
  });

  describe('the event WebSocket is one-way', () => {
    function open(): Promise<{ socket: WebSocket; messages: string[] }> {
      return new Promise((resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${token}`);
        const messages: string[] = [];
        socket.on('message', (data: Buffer) => messages.push(data.toString()));
        socket.once('open', () => resolve({ socket, messages }));
        socket.once('error', reject);
      });
    }
    const closeOf = (socket: WebSocket): Promise<{ code: number; reason: string }> =>
      new Promise((resolve) => socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));

    const frames: ReadonlyArray<readonly [string, (socket: WebSocket) => void, number, RegExp]> = [
      ['a command sent on the stream', (s) => s.send(JSON.stringify({ type: 'keep-alive' })), 1003, /one-way: send commands to POST \/api\/command/],
      ['garbage text', (s) => s.send('\u0000{{{ not json'), 1003, /one-way/],
      ['a binary frame', (s) => s.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true }), 1003, /one-way/],
      // ws closes these itself, by the standard's code alone (RFC 6455 7.4.1: invalid payload data, message too big).
      ['invalid UTF-8 in a text frame', (s) => s.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }), 1007, /^$/],
      ['a frame over the payload limit', (s) => s.send('x'.repeat(1_000_000)), 1009, /^$/],
    ];

    it.each(frames)('closes the connection on %s, saying why, and keeps serving the others', async (_name, send, code, reason) => {
      const bystander = await open();
      const { socket } = await open();
      const closed = closeOf(socket);
      send(socket);
      const close = await closed;
      expect(close.code).toBe(code);
      expect(close.reason).toMatch(reason);
      server.broadcast({ ...snapshot, version: 2 });
      await expect.poll(() => bystander.messages.length).toBe(2);
      expect(JSON.parse(bystander.messages[1] ?? '')).toMatchObject({ version: 2 });
      expect((await post(server.port, JSON.stringify({ type: 'keep-alive' }))).status).toBe(200);
      bystander.socket.close();
    });
  });
});

describe('readCommandBody', () => {
  it('refuses a body with thousands of wrong keys in a bounded answer that names the first', () => {
    const fields = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
    const verdict = readCommandBody(JSON.stringify({ type: 'update-application', fields }), kioskCommandSchema);
    expect(verdict).toMatchObject({ ok: false, status: 400, code: 'invalid-input' });
    const error = verdict.ok ? '' : verdict.error;
    expect(error).toMatch(/^invalid command: fields: Unrecognized keys: "k0", "k1"/);
    expect(error.length).toBeLessThan(2_000);
  });
});
