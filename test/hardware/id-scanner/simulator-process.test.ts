import { afterEach, describe, expect, it } from 'vitest';
import { openIdScanner } from '../../../hardware/id-scanner/driver';
import type { BadFrameReport, IdDocumentRead, IdScanner } from '../../../hardware/id-scanner/types';
import { startProcess, waitFor, type ManagedProcess } from '../../../hardware/host/child-processes';
import { openPtyPair, type PtyPair } from '../../../hardware/serial/pty-pair';

describe('ID scanner simulator as a separate process', () => {
  let pair: PtyPair | undefined;
  let simulator: ManagedProcess | undefined;
  let scanner: IdScanner | undefined;
  afterEach(async () => {
    await scanner?.close();
    await simulator?.stop();
    await pair?.close();
  });

  it('takes commands on stdin and speaks the reader’s bytes on its pty', async () => {
    pair = await openPtyPair('scanner');
    simulator = startProcess('node', ['--import', 'tsx', 'scripts/simulators/id-scanner.ts', '--device', pair.devicePath, '--mode', 'desko'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    await waitFor(() => simulator?.output().includes('ready device=') ?? false, 20_000, `simulator did not start: ${simulator.output()}`);

    const documents: IdDocumentRead[] = [];
    const badFrames: BadFrameReport[] = [];
    scanner = openIdScanner({ path: pair.hostPath, idleFlushMs: 150 });
    scanner.on('document', (document) => documents.push(document));
    scanner.on('badFrame', (report) => badFrames.push(report));
    expect(await scanner.whenConnected()).toBe(true);

    const stdin = simulator.child.stdin;
    stdin?.write('feed passportIndonesia\nnoise 12\nbarcode B223456782\nfeed residentPermitTaiwan rte\nfeed nosuchthing\n');
    await waitFor(() => documents.length === 3 && badFrames.length === 1, 10_000, 'three documents and the noise');
    expect(documents.map((document) => [document.kind, document.mode])).toEqual([
      ['mrz', 'desko'],
      ['taiwan-id', 'plain'],
      ['mrz', 'rte'],
    ]);
    expect(badFrames[0]).toMatchObject({ reason: 'noise', bytes: 12 });
    await waitFor(() => simulator?.output().includes("error: unknown fixture 'nosuchthing'") ?? false, 5000, 'the error reply');
  });
});
