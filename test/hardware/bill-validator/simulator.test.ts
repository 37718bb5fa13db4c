import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { checksum, command, decodePacket, encodePacket, reply } from '../../../hardware/bill-validator/protocol';
import { startBillValidatorSimulatorOnPty, type PluggableBillValidatorSimulator } from '../../../hardware/bill-validator/simulator';

/**
 * The simulator as a host sees it byte by byte, without our driver: it must be as strict as a device,
 * or a driver tested against it proves nothing.
 */
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Line {
  readonly simulator: PluggableBillValidatorSimulator;
  /** Writes `bytes` and returns everything that came back within `ms`. */
  send(bytes: Uint8Array, ms?: number): Promise<Buffer>;
}

async function line(echo = true): Promise<Line> {
  const simulator = await startBillValidatorSimulatorOnPty({ echo, validationMs: 10 });
  cleanup.push(() => simulator.close());
  const port = new SerialPort({ path: simulator.hostPath, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  cleanup.push(() => new Promise((resolve) => port.close(() => resolve())));
  let received = Buffer.alloc(0);
  port.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
  });
  return {
    simulator,
    async send(bytes, ms = 150) {
      received = Buffer.alloc(0);
      port.write(Buffer.from(bytes));
      await new Promise((resolve) => setTimeout(resolve, ms));
      return received;
    },
  };
}

describe('bill validator simulator on the wire', () => {
  it('echoes the host bytes, then answers a simple poll with an ACK to the sender', async () => {
    const { send } = await line();
    const poll = command(254);
    const back = await send(poll);
    expect([...back]).toEqual([...poll, ...reply(1)]);
    expect([...reply(1)]).toEqual([1, 0, 40, 0, 215]);
  });

  it('ignores a packet with a bad checksum or for another address (the echo still comes back)', async () => {
    const { send, simulator } = await line();
    const bad = Buffer.from(command(254));
    bad[4] = (bad[4]! + 1) & 0xff;
    expect([...(await send(bad))]).toEqual([...bad]);
    const toCoinAcceptor = encodePacket({ dest: 2, source: 1, header: 254, data: new Uint8Array() });
    expect([...(await send(toCoinAcceptor))]).toEqual([...toCoinAcceptor]);
    expect(simulator.state()).toMatchObject({ badFrames: 1, commandsReceived: 0 });
  });

  it('stays silent on a header it does not know and NAKs data of the wrong length', async () => {
    const { send, simulator } = await line();
    const unknown = command(100);
    expect([...(await send(unknown))]).toEqual([...unknown]);
    expect(simulator.state().unknownHeaders).toBe(1);
    const shortRoute = command(154);
    const back = await send(shortRoute);
    const nak = decodePacket(back.subarray(shortRoute.length));
    expect(nak.ok && nak.packet).toMatchObject({ dest: 1, source: 40, header: 5 });
  });

  it('without the one-wire echo only the reply comes back; powered off, only the echo', async () => {
    const noEcho = await line(false);
    expect([...(await noEcho.send(command(254)))]).toEqual([...reply(1)]);
    const powered = await line();
    powered.simulator.injectFault({ kind: 'power-loss', offMs: 2000 });
    expect([...(await powered.send(command(254)))]).toEqual([...command(254)]);
  });

  it('reads its buffer newest first: counter, then pairs; route errors 254 (empty) and 255 (cannot)', async () => {
    const { send, simulator } = await line();
    const data = async (header: number, payload: number[] = []): Promise<number[]> => {
      const sent = command(header, payload);
      const back = await send(sent);
      const decoded = decodePacket(back.subarray(sent.length));
      if (!decoded.ok) throw new Error(`no reply to ${header}`);
      return [...decoded.packet.data];
    };
    expect(await data(153, [3])).toEqual([]);
    expect(await data(228, [1])).toEqual([]);
    expect(await data(154, [1])).toEqual([254]);
    expect(await simulator.insertNote(500)).toEqual({ kind: 'escrow', billType: 3 });
    expect(await simulator.insertNote(200)).toEqual({ kind: 'not-taken', reason: 'busy' });
    simulator.injectFault({ kind: 'stacker-removed' });
    expect(await data(159)).toEqual([2, 0, 11, 3, 1, 0, 0, 0, 0, 0, 0]);
    expect(await data(154, [1])).toEqual([255]);
    expect(await data(157, [2])).toEqual([...Buffer.from('TW0200A')]);
    expect(await data(156, [...Buffer.from('TW')])).toEqual([1, 0, 0]);
    expect(checksum(Uint8Array.from([40, 0, 1, 254]))).toBe(217);
  });
});
