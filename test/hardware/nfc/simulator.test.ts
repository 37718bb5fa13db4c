import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { uid } from './fixtures';
import { useStation } from './station-harness';

/**
 * The virtual card is served on its own thread. pcsclite can hold the process's main thread in native
 * code while a transmit waits for the card (CardReader::HandleReaderStatusChange waits for the reader
 * mutex that DoTransmit holds during SCardTransmit): a card answering on the main thread would never
 * answer, and nothing would ever time out. Blocking the main thread here stands in for that wait.
 */
// Long enough that the driver's own timeout cannot end the tap while this thread is blocked.
const h = useStation({ timeouts: { commandMs: 20_000 } });
// Late enough that this thread surely sees the APDU arrive before the answer, even on a loaded machine.
const answerDelayMs = 1_000;
const maxBlockedMs = 10_000;

/** Holds this thread without ever returning to its event loop, until `done` or the time is up. */
function blockThisThreadUntil(done: () => boolean, ms: number): void {
  const slice = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) Atomics.wait(slice, 0, 0, 10);
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('virtual card simulator', () => {
  it('answers an APDU in flight while the main thread is blocked (as in a native PC/SC call)', async () => {
    const seen = h.next('card');
    const card = await h.place({ uid, faults: { responseDelayMs: answerDelayMs } });
    // The station's GET UID has reached the card: pcscd waits on vpcd, vpcd on the card's late answer.
    await until(() => card.apdus().length > 0, 'the first APDU');
    const answeredBefore = card.apduCount;
    blockThisThreadUntil(() => card.apduCount > 0, maxBlockedMs);
    const answeredWhileBlocked = card.apduCount;
    expect(answeredBefore).toBe(0);
    expect(answeredWhileBlocked).toBe(1);
    expect(await seen).toMatchObject({ uid: '04A1B2C3' });
  });

  it('keeps the chip memory, APDU log and presence readable at once from this thread', async () => {
    const { card } = await h.tap({ uid });
    expect(card.present).toBe(true);
    expect(card.uid).toEqual(uid);
    expect(card.apdus()[0]).toMatch(/^FFCA/); // GET UID at the tap
    expect(card.blocks()[0]?.subarray(0, 4)).toEqual(uid);
    await h.lift(card);
    expect(card.present).toBe(false);
    expect(card.blocks()).toHaveLength(64);
  });

  it('ends its card thread once no card is placed, and lets the process exit on its own', async () => {
    const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/hardware/nfc/card-thread-process.ts'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.once('close', (code) => resolve({ code, text }));
    });
    expect(output.code, output.text).toBe(0);
    const threads = JSON.parse(output.text.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
    expect(threads['placed']).toBeGreaterThan(threads['before'] ?? Infinity);
    expect(threads['afterLinger']).toBe(threads['before']);
  }, 60_000);
});
