import { afterEach, describe, expect, it } from 'vitest';
import { crashPointEnv, crashPoints, type CrashPoint } from '../../kiosk/controller/crash-points';
import { waitFor } from '../../hardware/host/child-processes';
import { topUpKiosk, type TopUpKiosk } from '../../scripts/lib/top-up-kiosk';

/**
 * The kiosk PC loses power at each step of a top-up (the controller SIGKILLs itself at a named crash
 * point) while the validator and the citizen's card live on, as they would. After the restart, and
 * the card's next tap: the ledger, the chip's mirror, the validator's own count of notes and the
 * journal agree — the note is credited exactly once if the validator stacked it, and not at all if
 * it gave it back; nothing is left open and nothing is left for staff to guess.
 */
const note = 500;
/** Where the note ends up after a crash at each point: stacked (and credited) or given back. */
const expected: Record<CrashPoint, 'stacked' | 'returned'> = {
  'top-up:escrow-reported': 'returned',
  'top-up:journaled': 'returned',
  'top-up:route-sent': 'stacked',
  'top-up:stacked-reported': 'stacked',
  'top-up:credited': 'stacked',
  'top-up:mirror-written': 'stacked',
};

describe('kill -9 at each step of a top-up', () => {
  let kiosk: TopUpKiosk | undefined;
  afterEach(async () => {
    await kiosk?.cleanUp();
    kiosk = undefined;
  });

  for (const point of crashPoints) {
    it(`at ${point}: the note is ${expected[point]}, and ledger, chip, validator and journal agree`, { timeout: 120_000 }, async () => {
      kiosk = await topUpKiosk(`crash-${point.replace(':', '-')}`);
      const { world } = kiosk;
      const validator = world.validator!;
      const card = kiosk.cardNumber('demo-senior');

      const first = await kiosk.start({ [crashPointEnv]: point });
      // Until the validator has answered the new controller, the card shows that cash cannot be taken yet.
      await kiosk.tapUntil('demo-senior', (view) => view.state === 'card' && view.card.wallet?.topUp.available === true, 30_000, 'the card offering a top-up');
      expect(await first.command({ type: 'top-up-start' })).toEqual({ accepted: true });
      await kiosk.untilView((view) => view.state === 'top-up' && view.topUp.notes.includes(note), 20_000, 'the top-up taking notes');
      await validator.insertNote(note);
      // The chip's mirror is written as the visit ends: that crash point needs the citizen to press Finish.
      if (point === 'top-up:mirror-written') {
        await kiosk.untilView((view) => view.state === 'top-up' && view.topUp.inserted === note && view.topUp.phase === 'insert', 20_000, 'the note credited');
        await first.command({ type: 'top-up-finish' }).catch(() => {});
      }
      const exit = await Promise.race([first.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000))]);
      expect(exit, `the controller never reached ${point}`).toMatchObject({ signal: 'SIGKILL' });

      // Power back: the journal is settled against the validator's buffer before it takes a note again.
      await kiosk.start();
      const noteSettled = (): boolean => (validator.state().stackedTotal[note] ?? 0) + validator.state().returnedNotes === 1;
      await waitFor(() => noteSettled() && validator.state().escrow === null && validator.state().stacking === null, 20_000, 'the note is still in the validator');
      await waitFor(async () => (await kiosk!.ledger(card)).journal.every((row) => row.state !== 'escrow' && row.state !== 'routing'), 20_000, 'the journal row stayed open');
      // The card's next tap brings its chip up to the ledger.
      await kiosk.lift();
      await kiosk.tapUntil('demo-senior', (view) => view.state === 'card' && view.card.wallet !== null && view.card.wallet.mirror !== 'pending', 30_000, 'the card with its mirror written');

      const stacked = validator.state().stackedTotal[note] ?? 0;
      const ledger = await kiosk.ledger(card);
      expect(stacked).toBe(expected[point] === 'stacked' ? 1 : 0);
      expect(validator.state().returnedNotes).toBe(expected[point] === 'returned' ? 1 : 0);
      expect(ledger.credited).toBe(stacked * note);
      expect(ledger.journal).toEqual([{ state: expected[point] === 'stacked' ? 'credited' : 'returned', amount: note }].slice(0, ledger.journal.length));
      expect(ledger.journal.length).toBe(point === 'top-up:escrow-reported' ? 0 : 1);
      expect(ledger.openExceptions).toEqual([]);
      expect(kiosk.chipWallet('demo-senior')).toEqual({ balance: ledger.balance, counter: ledger.counter });
    });
  }
});
