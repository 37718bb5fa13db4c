import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startProcess, waitFor, type ManagedProcess } from '../../../hardware/host/child-processes';
import { citizenCardStation } from '../../../hardware/card-record/station';
import type { CitizenCardStation } from '../../../hardware/card-record/types';
import { openNfcStation } from '../../../hardware/nfc/driver';
import { deriveChipKeys } from '../../../hardware/card-record/keys';
import { acceptsConnections } from '../../../hardware/nfc/pcscd';
import type { NfcStationEvents } from '../../../hardware/nfc/types';

/**
 * `scripts/simulators/nfc-card.ts` as a process: it starts its own pcscd, places virtual cards on stdin
 * commands, and leaves no pcscd behind when it stops. The station here talks to its pcscd (one socket
 * per process: this file's station binds the first simulator's socket only).
 */
const masterKeyHex = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const citizenUid = Uint8Array.of(0x04, 0x11, 0x22, 0x33);
const startMs = 20_000;

let simulator: ManagedProcess | undefined;
let station: CitizenCardStation | undefined;

afterEach(async () => {
  await station?.close();
  station = undefined;
  await simulator?.stop();
  simulator = undefined;
});

async function startSimulator(): Promise<{ process: ManagedProcess; socket: string; reader: string }> {
  const started = startProcess('node', ['--import', 'tsx', 'scripts/simulators/nfc-card.ts', '--master-key', masterKeyHex], { stdio: ['pipe', 'pipe', 'pipe'] });
  simulator = started;
  await waitFor(() => /ready port=\d+ socket=\S+ reader=.+\n/.test(started.output()), startMs, `simulator did not start: ${started.output()}`);
  const [, socket = '', reader = ''] = /ready port=\d+ socket=(\S+) reader=(.+)\n/.exec(started.output()) ?? [];
  return { process: started, socket, reader };
}

/** Children of `pid` by name (from /proc): the simulator's pcscd. */
function childrenOf(pid: number): { pid: number; name: string }[] {
  const children: { pid: number; name: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) children.push({ pid: Number(entry), name });
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

function next<E extends keyof NfcStationEvents>(target: CitizenCardStation, event: E): Promise<NfcStationEvents[E][0]> {
  return new Promise((resolve) => {
    const listener = (...args: NfcStationEvents[E]) => {
      target.off(event, listener);
      resolve(args[0] as NfcStationEvents[E][0]);
    };
    target.on(event, listener);
  });
}

async function reply(process: ManagedProcess, command: string, expected: RegExp): Promise<void> {
  process.child.stdin?.write(`${command}\n`);
  await waitFor(() => expected.test(process.output()), 10_000, `no '${expected.source}' after '${command}': ${process.output()}`);
}

describe('nfc-card simulator as a process', () => {
  it('places a personalised card that the station reads verified, then quits leaving no pcscd', async () => {
    const { process: sim, socket, reader } = await startSimulator();
    const pid = sim.child.pid ?? 0;
    const daemons = childrenOf(pid).filter((child) => child.name === 'pcscd');
    expect(daemons).toHaveLength(1);

    const opened = citizenCardStation(await openNfcStation({ socketPath: socket, readerName: reader }));
    station = opened;
    if (opened.readerName() === undefined) await next(opened, 'readerAttached');
    const seen = next(opened, 'card');
    await reply(sim, 'place citizen', /ok placed citizen uid=04112233/);
    expect(await seen).toMatchObject({ uid: '04112233', kind: 'mifare-classic-1k' });
    const read = await opened.readRecord(deriveChipKeys(Buffer.from(masterKeyHex, 'hex'), citizenUid));
    expect(read.ok ? { mac: read.value.mac, cardNumber: read.value.record.cardNumber } : read.error).toEqual({ mac: 'verified', cardNumber: '8860000000000101' });

    const removed = next(opened, 'removed');
    await reply(sim, 'remove citizen', /ok removed citizen/);
    expect(await removed).toMatchObject({ uid: '04112233' });
    await reply(sim, 'place nosuchcard', /error: unknown card/);
    const unreadable = next(opened, 'cardUnreadable');
    await reply(sim, 'place blank collision', /ok placed blank/);
    await unreadable;

    await opened.close();
    station = undefined;
    sim.child.stdin?.write('quit\n');
    await waitFor(() => sim.child.exitCode !== null, 10_000, `simulator did not exit: ${sim.output()}`);
    expect(sim.child.exitCode).toBe(0);
    for (const daemon of daemons) expect(existsSync(`/proc/${daemon.pid}`)).toBe(false);
    expect(await acceptsConnections(socket)).toBe(false);
  });

  it('stops its pcscd on SIGTERM too', async () => {
    const { process: sim, socket } = await startSimulator();
    const daemons = childrenOf(sim.child.pid ?? 0).filter((child) => child.name === 'pcscd');
    expect(daemons).toHaveLength(1);
    await sim.stop();
    expect(sim.child.exitCode).toBe(0);
    for (const daemon of daemons) expect(existsSync(`/proc/${daemon.pid}`)).toBe(false);
    expect(await acceptsConnections(socket)).toBe(false);
  });
});
