import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openIdScanner } from '../../../hardware/id-scanner/driver';
import { fixtureDocuments } from '../../../hardware/id-scanner/fixtures';
import { encodeRteFrame } from '../../../hardware/id-scanner/protocol';
import { startIdScannerSimulator, type IdScannerSimulator } from '../../../hardware/id-scanner/simulator';
import type { BadFrameReport, IdDocumentRead, IdScanner, ScanMode } from '../../../hardware/id-scanner/types';
import { openPtyPair, type PtyPair } from '../../../hardware/serial/pty-pair';
import { fixedClock } from '../../../shared/clock';
import type { LogEvent } from '../../../shared/log';

/** The driver on the host end of a real socat pty pair, the simulated reader on the device end. */
interface Rig {
  readonly dir: string;
  pair: PtyPair;
  simulator: IdScannerSimulator;
  readonly scanner: IdScanner;
  readonly documents: IdDocumentRead[];
  readonly badFrames: BadFrameReport[];
  readonly logs: LogEvent[];
  readonly clock: ReturnType<typeof fixedClock>;
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/**
 * Short, so that the idle-flush test stays quick, but well above a scheduling stall of socat on a
 * loaded machine: a frame split by a longer gap would be flushed as a bad frame.
 */
const idleFlushMs = 400;

async function rig(mode: ScanMode = 'rte'): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'id-scanner-'));
  cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
  const pair = await openPtyPair('scanner', dir);
  const simulator = await startIdScannerSimulator({ devicePath: pair.devicePath, mode });
  const clock = fixedClock(new Date('2026-03-02T10:00:00+08:00'));
  const logs: LogEvent[] = [];
  const scanner = openIdScanner({ path: pair.hostPath, clock, log: (event) => logs.push(event), reopenIntervalMs: 50, idleFlushMs });
  const r: Rig = { dir, pair, simulator, scanner, documents: [], badFrames: [], logs, clock };
  cleanup.push(async () => {
    await r.scanner.close();
    await r.simulator.close();
    await r.pair.close();
  });
  scanner.on('document', (document) => r.documents.push(document));
  scanner.on('badFrame', (report) => r.badFrames.push(report));
  expect(await scanner.whenConnected()).toBe(true);
  return r;
}

/** 8–40 bytes of any value (xorshift, seeded): what interference puts on a serial line. */
function lineNoise(seed: number): Uint8Array {
  let state = (seed + 1) * 0x9e3779b1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  return Uint8Array.from({ length: 8 + (next() % 33) }, () => next() & 0xff);
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

const mrzOf = (document: IdDocumentRead | undefined) => {
  if (document?.kind !== 'mrz') throw new Error(`expected an MRZ document, got ${JSON.stringify(document)}`);
  return document;
};

describe('ID scanner driver over a real pty', () => {
  it.each<ScanMode>(['rte', 'desko', 'plain'])('reads a passport, a resident permit and a TD2 card sent in %s mode', async (mode) => {
    const r = await rig(mode);
    await r.simulator.feed(fixtureDocuments.passportVietnam);
    await r.simulator.feed(fixtureDocuments.residentPermitTaiwan);
    await r.simulator.feed(fixtureDocuments.idCardTd2);
    await until(() => r.documents.length === 3, 'three documents');

    const [passport, permit, card] = r.documents.map(mrzOf);
    expect(passport?.mode).toBe(mode);
    expect(passport?.lines).toEqual(fixtureDocuments.passportVietnam.lines);
    expect(passport?.mrz).toMatchObject({ valid: true, format: 'TD3', fields: { nationality: 'VNM', surname: 'NGUYEN', givenNames: 'THI THU HUONG', birthDate: '1994-11-03' } });
    expect(permit?.mrz).toMatchObject({ valid: true, format: 'TD1', fields: { issuingState: 'TWN', optionalData: 'H900001234' } });
    expect(card?.mrz).toMatchObject({ valid: true, format: 'TD2' });
    expect(r.badFrames).toEqual([]);
    expect(r.scanner.stats).toEqual({ documents: 3, duplicates: 0, badFrames: 0 });
  });

  it('reassembles a frame that arrives a few bytes at a time', async () => {
    const r = await rig('rte');
    await r.simulator.feed(fixtureDocuments.passportIndonesia, { chunkSize: 7 });
    await until(() => r.documents.length === 1, 'the document');
    expect(mrzOf(r.documents[0]).mrz).toMatchObject({ valid: true, fields: { nationality: 'IDN', surname: 'SRI WAHYUNI' } });
  });

  it('reads Taiwan ID card barcodes and reports a wrong checksum as an invalid ID, not a bad frame', async () => {
    const r = await rig('plain');
    await r.simulator.feed(fixtureDocuments.taiwanIdMale);
    await r.simulator.feedTaiwanIdBarcode('A800000014', { mode: 'desko' });
    await r.simulator.feed(fixtureDocuments.taiwanIdBadChecksum);
    await until(() => r.documents.length === 3, 'three barcodes');
    expect(r.documents).toEqual([
      { kind: 'taiwan-id', mode: 'plain', id: { valid: true, id: 'A123456789', kind: 'national', sex: 'M' } },
      { kind: 'taiwan-id', mode: 'desko', id: { valid: true, id: 'A800000014', kind: 'resident-new', sex: 'M' } },
      expect.objectContaining({ kind: 'taiwan-id', id: expect.objectContaining({ valid: false, error: expect.objectContaining({ kind: 'checksum' }) }) }),
    ]);
    expect(r.badFrames).toEqual([]);
  });

  it('passes damaged documents on with the identity module’s verdict: wrong check digit, O/0 confusion, truncated', async () => {
    const r = await rig('rte');
    await r.simulator.feed(fixtureDocuments.passportWrongCheckDigit);
    await r.simulator.feed(fixtureDocuments.passportOcrConfusion);
    await r.simulator.feed(fixtureDocuments.passportTruncated);
    await until(() => r.documents.length === 3, 'three documents');
    const [wrong, confused, truncated] = r.documents.map(mrzOf);
    expect(wrong?.mrz).toMatchObject({ valid: false, checks: { documentNumber: false } });
    expect(confused?.mrz.valid).toBe(false);
    expect(confused?.mrz.suggestions).toContainEqual(expect.objectContaining({ line: 2, column: 3, from: 'O', to: '0' }));
    // RTE pads the short line with '_'; the decoder strips it, so the identity module sees the cut.
    expect(truncated?.lines[1]).toHaveLength(31);
    expect(truncated?.mrz).toMatchObject({ valid: false, format: null });
    expect(r.logs.filter((event) => event.eventId === 'scanner-document-read').map((event) => event.disposition)).toEqual(['failure', 'failure', 'failure']);
  });

  it('counts a frame with a wrong BCC, keeps going, and never logs the document’s content', async () => {
    const r = await rig('rte');
    const frame = encodeRteFrame(fixtureDocuments.passportTaiwan.lines);
    frame[frame.length - 1] = (frame[frame.length - 1] ?? 0) ^ 0x5a;
    await r.simulator.feedRaw(frame);
    await r.simulator.feed(fixtureDocuments.passportVietnam);
    await until(() => r.documents.length === 1, 'the good document');
    expect(r.badFrames).toEqual([{ kind: 'bad-frame', reason: 'bad_bcc', mode: 'rte', bytes: frame.length, count: 1 }]);
    expect(r.scanner.stats).toEqual({ documents: 1, duplicates: 0, badFrames: 1 });
    const logged = JSON.stringify(r.logs);
    expect(r.logs.map((event) => event.eventId)).toEqual(expect.arrayContaining(['scanner-connected', 'scanner-bad-frame', 'scanner-document-read']));
    for (const secret of ['NGUYEN', 'C4821973', 'LIN<<MEI', '350123456', 'A223456781']) expect(logged).not.toContain(secret);
  });

  it('counts noise between frames once per run and reads the frames around it', async () => {
    const r = await rig('desko');
    await r.simulator.feed(fixtureDocuments.passportTaiwan);
    await r.simulator.feedRaw(Uint8Array.of(0x00, 0xff, 0xfe, 0x1b, 0x7f, 0x00, 0x80));
    await r.simulator.feed(fixtureDocuments.residentPermitMale);
    await until(() => r.documents.length === 2, 'both documents');
    expect(r.badFrames).toEqual([{ kind: 'bad-frame', reason: 'noise', mode: null, bytes: 7, count: 1 }]);
  });

  it('reads a plain-mode document sent right after line noise of any byte, 10 seeded variants of 10', async () => {
    // Interference is any byte: a stray STX once opened a Desko frame that swallowed the document, and
    // printable bytes glued onto its first line (4 in 10 were lost).
    const r = await rig('plain');
    const documents = [fixtureDocuments.passportTaiwan, fixtureDocuments.residentPermitTaiwan, fixtureDocuments.passportVietnam, fixtureDocuments.idCardTd2];
    for (let seed = 0; seed < 10; seed++) {
      const document = documents[seed % documents.length] ?? fixtureDocuments.passportTaiwan;
      await r.simulator.feedRaw(lineNoise(seed));
      await r.simulator.feed(document, { mode: 'plain' });
      await until(() => r.documents.length === seed + 1, `the document after noise variant ${seed}`);
      expect(r.documents[seed]).toMatchObject({ kind: 'mrz', mode: 'plain' });
      r.clock.advance(5000); // past the duplicate window: the next try is a new read
    }
  });

  it('counts a half document when the line goes quiet, and reads the next one', async () => {
    const r = await rig('rte');
    await r.simulator.feedRaw(encodeRteFrame(fixtureDocuments.passportVietnam.lines).subarray(0, 60));
    await until(() => r.badFrames.length === 1, 'the idle flush');
    expect(r.badFrames[0]).toMatchObject({ reason: 'incomplete', mode: 'rte', bytes: 60 });
    await r.simulator.feed(fixtureDocuments.passportVietnam, { mode: 'plain' });
    await r.simulator.feedRaw(`${fixtureDocuments.passportTaiwan.lines[0]}\r\r`);
    await r.simulator.feed(fixtureDocuments.idCardTd2);
    await until(() => r.documents.length === 2, 'two documents');
    expect(r.badFrames.map((report) => report.reason)).toEqual(['incomplete', 'half_document']);
  });

  it('reports a document read twice within the window once, and again after the window or another document', async () => {
    const r = await rig('rte');
    await r.simulator.feed(fixtureDocuments.passportVietnam);
    await r.simulator.feed(fixtureDocuments.passportVietnam); // still on the glass
    r.clock.advance(1000);
    await r.simulator.feed(fixtureDocuments.passportVietnam); // the window runs from the latest read
    await r.simulator.feed(fixtureDocuments.taiwanIdFemale);
    await until(() => r.documents.length === 2, 'passport and ID');
    expect(r.documents.map((document) => document.kind)).toEqual(['mrz', 'taiwan-id']);
    expect(r.scanner.stats.duplicates).toBe(2);

    await r.simulator.feed(fixtureDocuments.passportVietnam); // a different document came in between
    await until(() => r.documents.length === 3, 'the passport again');
    r.clock.advance(5000);
    await r.simulator.feed(fixtureDocuments.passportVietnam); // after the window
    await until(() => r.documents.length === 4, 'the passport after the window');
    expect(r.scanner.stats).toEqual({ documents: 4, duplicates: 2, badFrames: 0 });
  });

  it('reports an unplugged reader and reconnects by itself when it is plugged back in', async () => {
    const r = await rig('rte');
    await r.simulator.feed(fixtureDocuments.passportTaiwan);
    await until(() => r.documents.length === 1, 'the first document');

    const disconnected = new Promise<string>((resolve) => r.scanner.once('disconnected', resolve));
    await r.simulator.close();
    await r.pair.close();
    expect(await disconnected).toMatch(/^device (closed|removed)$/);
    expect(r.scanner.status.kind).toBe('disconnected');

    const connected = new Promise<void>((resolve) => r.scanner.once('connected', resolve));
    r.pair = await openPtyPair('scanner', r.dir);
    r.simulator = await startIdScannerSimulator({ devicePath: r.pair.devicePath, mode: 'rte' });
    await connected;
    expect(r.scanner.status).toEqual({ kind: 'connected' });
    await r.simulator.feed(fixtureDocuments.residentPermitTaiwan);
    await until(() => r.documents.length === 2, 'a document after the replug');
    expect(mrzOf(r.documents[1]).mrz.format).toBe('TD1');
    expect(r.logs.map((event) => event.eventId)).toEqual(expect.arrayContaining(['scanner-disconnected']));
  });
});
