import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { uid } from './fixtures';
import { useStation } from './station-harness';

/**
 * nfc-pcsc disconnects a removed card asynchronously; a card laid down before that disconnect is done
 * gets a "connection" from pcsclite without a protocol (it still counts itself connected). Under load
 * the window is a few milliseconds; here pcsclite's disconnect is held back so the next card always
 * lands in it.
 */
const require = createRequire(import.meta.url);
require('@pokusew/pcsclite'); // adds disconnect() to the native CardReader's prototype
const pcscliteDir = dirname(dirname(require.resolve('@pokusew/pcsclite')));
type Disconnect = (this: unknown, disposition: unknown, callback: (error?: Error) => void) => void;
const { CardReader } = (require('bindings') as (options: object) => { CardReader: { prototype: { disconnect: Disconnect } } })({
  bindings: 'pcsclite',
  module_root: pcscliteDir,
});
const realDisconnect = CardReader.prototype.disconnect;
const heldBackMs = 300;

const h = useStation();

describe('a card laid down while the previous one is still being disconnected', () => {
  afterEach(() => {
    CardReader.prototype.disconnect = realDisconnect;
  });

  it('is connected properly and gives its UID', async () => {
    const first = await h.tap({ uid: Uint8Array.of(1, 2, 3, 4) });
    CardReader.prototype.disconnect = function (this: unknown, disposition, callback) {
      setTimeout(() => realDisconnect.call(this, disposition, callback), heldBackMs);
    };
    await h.lift(first.card);
    const { tap } = await h.tap({ uid });
    expect(tap).toMatchObject({ uid: '04A1B2C3', kind: 'mifare-classic-1k' });
    expect(h.station().currentCard()?.uid).toBe('04A1B2C3');
  });
});
