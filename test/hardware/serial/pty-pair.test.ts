import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair, type PtyPair } from '../../../hardware/serial/pty-pair';

describe('openPtyPair', () => {
  let pair: PtyPair | undefined;
  afterEach(async () => {
    await pair?.close();
  });

  it('carries bytes from the device end to the host end through real ptys', async () => {
    pair = await openPtyPair('loop');
    const host = new SerialPort({ path: pair.hostPath, baudRate: 9600 });
    const device = new SerialPort({ path: pair.devicePath, baudRate: 9600 });
    await Promise.all([once(host, 'open'), once(device, 'open')]);
    // The bytes may come in more than one chunk: collect all four.
    const received = new Promise<Buffer>((resolve) => {
      let bytes = Buffer.alloc(0);
      host.on('data', (chunk: Buffer) => {
        bytes = Buffer.concat([bytes, chunk]);
        if (bytes.length >= 4) resolve(bytes);
      });
    });
    device.write(Buffer.from([0x1b, 0x0d, 0x00, 0xff]));
    expect([...(await received)]).toEqual([0x1b, 0x0d, 0x00, 0xff]);
    await Promise.all([close(host), close(device)]);
  });
});

function once(port: SerialPort, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    port.once(event, () => resolve());
    port.once('error', reject);
  });
}

function close(port: SerialPort): Promise<void> {
  return new Promise((resolve) => port.close(() => resolve()));
}
