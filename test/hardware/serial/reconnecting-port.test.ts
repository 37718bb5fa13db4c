import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair, type PtyPair } from '../../../hardware/serial/pty-pair';
import { ReconnectingPort } from '../../../hardware/serial/reconnecting-port';

describe('ReconnectingPort', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('reports an unplugged device and reconnects by itself when it is back', async () => {
    const dir = (await import('node:fs')).mkdtempSync('/tmp/reconnect-');
    let pair: PtyPair = await openPtyPair('dev', dir);
    const port = new ReconnectingPort({ path: pair.hostPath, device: 'test', reopenIntervalMs: 50 });
    cleanup.push(() => port.close());
    expect(await port.open()).toBe(true);

    const disconnected = new Promise<string>((resolve) => port.once('disconnected', resolve));
    await pair.close();
    expect(await disconnected).toMatch(/^device (closed|removed)$/);
    expect(port.isOpen).toBe(false);

    const reconnected = new Promise<void>((resolve) => port.once('connected', resolve));
    pair = await openPtyPair('dev', dir);
    cleanup.push(() => pair.close());
    await reconnected;

    const device = new SerialPort({ path: pair.devicePath, baudRate: 9600 });
    cleanup.push(() => new Promise((resolve) => device.close(() => resolve())));
    await new Promise((resolve) => device.once('open', resolve));
    // The reply may come in more than one chunk: collect up to its CR.
    const data = new Promise<string>((resolve) => {
      let received = '';
      port.on('data', (chunk: Buffer) => {
        received += chunk.toString();
        if (received.endsWith('\r')) resolve(received);
      });
    });
    device.write('OK\r');
    expect(await data).toBe('OK\r');
  });
});
