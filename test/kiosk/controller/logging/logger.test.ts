import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../kiosk/controller/logging/logger';
import { redactText } from '../../../../kiosk/controller/logging/redact';

function captured(): { stream: PassThrough; lines(): Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return {
    stream,
    lines: () => chunks.join('').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('logger', () => {
  it('writes one JSON line per event with its id, disposition, level and time', () => {
    const out = captured();
    const log = createLogger({ destination: out.stream });
    log({ eventId: 'printer-print-complete', disposition: 'success', message: 'card printed', durationMs: 4100 });
    log({ eventId: 'printer-fault', disposition: 'failure', message: 'ribbon out', code: 'R' });
    const [first, second] = out.lines();
    expect(first).toMatchObject({ level: 'info', eventId: 'printer-print-complete', disposition: 'success', message: 'card printed', durationMs: 4100 });
    expect(typeof first?.['time']).toBe('string');
    expect(second).toMatchObject({ level: 'warn', eventId: 'printer-fault', code: 'R' });
  });

  it('appends to a file path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-log-'));
    try {
      const file = join(dir, 'logs', 'kiosk.jsonl');
      createLogger({ destination: file })({ eventId: 'store-opened', disposition: 'na', message: 'opened' });
      createLogger({ destination: file })({ eventId: 'store-opened', disposition: 'na', message: 'again' });
      expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('filters by level', () => {
    const out = captured();
    const log = createLogger({ destination: out.stream, level: 'warn' });
    log({ eventId: 'a-info', disposition: 'success', message: 'quiet' });
    log({ eventId: 'a-fault', disposition: 'failure', message: 'loud' });
    expect(out.lines().map((line) => line['eventId'])).toEqual(['a-fault']);
  });

  it('redacts known personal fields, ID numbers, MRZ lines, mobile numbers and Han text', () => {
    const out = captured();
    const log = createLogger({ destination: out.stream });
    log({
      eventId: 'scanner-read-complete',
      disposition: 'success',
      message: 'read A123456789 / ab12345678 / F812345678 for 陳美玲',
      name: 'CHEN MEI-LING',
      birthDate: '1956-04-17',
      idNumber: 'A123456789',
      mrzLine: 'P<TWNCHEN<<MEI<LING<<<<<<<<<<<<<<<<<<<<<<<<<',
      contact: 'call 0912-345-678',
      note: 'born 1956-04-17 / 1956/04/17, logged 2026-03-01T09:00:00Z',
      uid: '04A1B2C3D4E5F6',
      cardNumber: 'TY-K01-S-0000001',
    });
    const [line] = out.lines();
    expect(line).toMatchObject({
      message: 'read [redacted] / [redacted] / [redacted] for [redacted]',
      name: '[redacted]',
      birthDate: '[redacted]',
      idNumber: '[redacted]',
      mrzLine: '[redacted]',
      contact: 'call [redacted]',
      note: 'born [redacted] / [redacted], logged 2026-03-01T09:00:00Z',
      uid: '04A1B2C3D4E5F6',
      cardNumber: 'TY-K01-S-0000001',
    });
  });

  it('leaves ordinary ids, hex and timestamps alone', () => {
    const text = 'job 01a22562-14df-743d-b1bb-f933bb3af143 at 2026-03-01T09:00:00Z uid 04A1B2C3D4 serial AB1234567890 port /dev/ttyUSB0';
    expect(redactText(text)).toBe(text);
  });
});
