/**
 * A process that places a virtual card, lifts it and stops its pcscd, then must end by itself (no
 * process.exit): prints the OS thread counts before, while placed, and after the card thread's linger.
 *   node --import tsx test/hardware/nfc/card-thread-process.ts
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPcscd } from '../../../hardware/nfc/pcscd';
import { idleThreadLingerMs, insertVirtualCard } from '../../../hardware/nfc/simulator';

const threads = (): number => readdirSync('/proc/self/task').length;
const runDir = mkdtempSync(join(tmpdir(), 'card-thread-'));
const pcscd = await startPcscd({ runDir, cardPollMs: 40 });
await readFile(new URL(import.meta.url)); // libuv's thread pool is up before the count
const before = threads();
const card = await insertVirtualCard({ port: pcscd.vpcdPort });
await card.powered;
const placed = threads();
await card.remove();
await pcscd.stop();
rmSync(runDir, { recursive: true, force: true });
setTimeout(() => process.stdout.write(`${JSON.stringify({ before, placed, afterLinger: threads() })}\n`), idleThreadLingerMs + 1_000);
