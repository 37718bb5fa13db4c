import { describe, expect, it } from 'vitest';
import { createCardSession, type Reselect } from '../../../hardware/nfc/card-session';
import { transportKey } from '../../../hardware/nfc/mifare';
import { createClassic1k } from '../../../hardware/nfc/virtual-card';
import { err } from '../../../shared/result';
import { modelTransport, uid } from './fixtures';

/** The session against the halting card model: every failed authentication is followed by a re-selection. */
const wrongKey = Uint8Array.of(1, 2, 3, 4, 5, 6);

describe('CardSession.authenticate on a card that halts after a failed authentication', () => {
  it('re-selects after a key that fails, then the next key opens the sector', async () => {
    const transport = modelTransport(createClassic1k(uid));
    const session = createCardSession(transport, transport.reselect);
    const opened = await session.authenticate(1, [
      { keyType: 'A', key: wrongKey },
      { keyType: 'A', key: transportKey },
    ]);
    expect(opened).toEqual({ ok: true, value: { keyType: 'A', key: transportKey } });
    expect(transport.reselects()).toBe(1);
    expect((await session.read(4)).ok).toBe(true);
  });

  it('never re-selects when the first key opens the sector', async () => {
    const transport = modelTransport(createClassic1k(uid));
    await createCardSession(transport, transport.reselect).authenticate(1, [{ keyType: 'A', key: transportKey }]);
    expect(transport.reselects()).toBe(0);
  });

  it('leaves the card awake after auth_failed: the caller can go on in the same selection', async () => {
    const transport = modelTransport(createClassic1k(uid));
    const session = createCardSession(transport, transport.reselect);
    expect(await session.authenticate(1, [{ keyType: 'A', key: wrongKey }, { keyType: 'B', key: wrongKey }])).toMatchObject({ ok: false, error: { kind: 'auth_failed', sector: 1 } });
    expect(transport.reselects()).toBe(2);
    expect((await session.authenticate(1, [{ keyType: 'A', key: transportKey }])).ok).toBe(true);
  });

  it('without a re-selection the halted card refuses even the right key (what the driver did before)', async () => {
    const session = createCardSession(modelTransport(createClassic1k(uid)));
    const opened = await session.authenticate(1, [
      { keyType: 'A', key: wrongKey },
      { keyType: 'A', key: transportKey },
    ]);
    expect(opened.ok ? 'ok' : opened.error.kind).toBe('auth_failed');
  });

  it('gives the re-selection failure (the card left) instead of trying the next key', async () => {
    const transport = modelTransport(createClassic1k(uid));
    const gone: Reselect = async () => err({ kind: 'card_removed', message: 'card left the reader' });
    const opened = await createCardSession(transport, gone).authenticate(1, [
      { keyType: 'A', key: wrongKey },
      { keyType: 'A', key: transportKey },
    ]);
    expect(opened).toEqual({ ok: false, error: { kind: 'card_removed', message: 'card left the reader' } });
    expect(transport.count()).toBe(2); // load key + the failed authentication; the transport key was never tried
  });
});
