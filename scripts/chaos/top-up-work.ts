import { join } from 'node:path';
import { loadConfig, type KioskConfig } from '../../kiosk/controller/config';
import { crashPointEnv, type CrashPoint } from '../../kiosk/controller/crash-points';
import type { DemoCitizenKind } from '../../kiosk/controller/devices/demo-citizens';
import { defaultCityRules } from '../../shared/domain/rules';
import { defaultStoreFile } from '../../kiosk/controller/store/cli-options';
import type { SelfServiceView } from '../../shared/contract/kiosk-api';
import { topUpKiosk, type TopUpKiosk } from '../lib/top-up-kiosk';
import { readTopUpFacts, type TopUpCard } from './facts';
import type { TopUpFacts } from './invariants';
import { openCashRows } from './store-queries';

/**
 * The unattended top-up kiosk of a chaos session (scripts/lib/top-up-kiosk.ts): its data directory,
 * validator and citizens' cards outlive every controller process killed on them.
 */
export const topUpCards: readonly DemoCitizenKind[] = ['demo-senior', 'demo-disability', 'demo-general'];
const notes = [100, 100, 100, 500] as const;
/** How close to the e-wallet's cap (NT$) a wallet counts as full: more than a visit's usual notes. */
const walletCap = defaultCityRules.eWalletCap;
const nearCapMargin = 1_000;

/** Every card's wallet within a visit's worth of the cap (none unread): a top-up would only tap cards. */
export function walletsNearCap(cards: readonly TopUpCard[]): boolean {
  return cards.length > 0 && cards.every((card) => card.chip !== null && card.chip.balance >= walletCap - nearCapMargin);
}

export class TopUpSite {
  /** The running controller has exited (killed). */
  dead = true;
  /** The cards' chips as last read (nothing writes them while the counter kiosk runs). */
  private lastChips: TopUpCard[] | undefined;

  private constructor(
    readonly kiosk: TopUpKiosk,
    readonly config: KioskConfig,
  ) {}

  static async create(): Promise<TopUpSite> {
    const kiosk = await topUpKiosk('chaos-top-up');
    return new TopUpSite(kiosk, loadConfig({ KIOSK_SIMULATE: '1', KIOSK_DATA_DIR: kiosk.dataDir, KIOSK_MODE: 'self-service' }));
  }

  /** `crashAt`: a crash point armed in the new process (kiosk/controller/crash-points.ts): it kills itself there. */
  async start(crashAt?: CrashPoint): Promise<void> {
    const controller = await this.kiosk.start(crashAt ? { [crashPointEnv]: crashAt } : {});
    this.dead = false;
    void controller.exited.then(() => {
      this.dead = true;
    });
  }

  async kill(): Promise<void> {
    // A controller that reached its crash point is gone already.
    await this.kiosk.bench().controller.kill();
  }

  /** Random visits until the controller is gone: a card tapped, one to three notes, Finish (or the card lifted). */
  async loop(random: () => number, note: (line: string) => void): Promise<void> {
    for (;;) {
      const kind = topUpCards[Math.floor(random() * topUpCards.length)]!;
      note(`top-up ${kind}`);
      await this.lift();
      let view: SelfServiceView;
      try {
        view = await this.kiosk.tapUntil(kind, (v) => v.state === 'card' && v.card.wallet !== null, 15_000, 'the card on show');
      } catch (error) {
        if (this.dead) throw error;
        continue;
      }
      if (view.state !== 'card' || !view.card.wallet?.topUp.available) continue; // at the cap, say: another card
      const controller = this.kiosk.bench().controller;
      if (!(await controller.command({ type: 'top-up-start' })).accepted) continue;
      await this.kiosk.untilView((v) => v.state === 'top-up' && v.topUp.phase === 'insert', 20_000, 'the top-up taking notes');
      const count = 1 + Math.floor(random() * 3);
      for (let i = 0; i < count; i++) {
        const current = this.kiosk.bench().controller.snapshot().selfService;
        const room = current?.state === 'top-up' ? current.topUp.notes : [];
        const value = notes[Math.floor(random() * notes.length)]!;
        if (!room.includes(value)) break;
        const before = current?.state === 'top-up' ? current.topUp.inserted : 0;
        await this.kiosk.world.validator!.insertNote(value);
        await this.kiosk.untilView((v) => v.state === 'top-up' && v.topUp.phase === 'insert' && (v.topUp.inserted > before || v.topUp.notice !== null), 30_000, 'the note credited');
      }
      if (random() < 0.2) {
        note('card lifted mid-visit');
        await this.lift();
      } else {
        await controller.command({ type: 'top-up-finish' });
        await this.kiosk.untilView((v) => v.state === 'top-up-done' || v.state === 'ready', 30_000, 'the receipt');
      }
      await this.lift();
    }
  }

  /**
   * After a restart: the journal settled against the validator's buffer, then each card tapped once so
   * that its chip catches up with the ledger (as the citizen's next visit would).
   */
  async settleAndRead(timeoutMs: number, { tapCards }: { readonly tapCards: boolean }): Promise<TopUpFacts> {
    const validator = this.kiosk.world.validator!;
    const file = join(this.kiosk.dataDir, defaultStoreFile);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = validator.state();
      if (state.escrow === null && state.stacking === null && (await openCashRows(file)).length === 0) break;
      if (Date.now() > deadline) throw new Error(`chaos: the cash journal did not settle (escrow ${state.escrow}, rows ${JSON.stringify(await openCashRows(file))})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (!tapCards && this.lastChips) return readTopUpFacts(this.config, this.kiosk.world, this.lastChips);
    const cards: TopUpCard[] = [];
    for (const kind of topUpCards) {
      await this.lift();
      await this.kiosk.tapUntil(kind, (v) => v.state === 'card' && v.card.wallet !== null && v.card.wallet.mirror !== 'pending', Math.max(5_000, deadline - Date.now()), `the ${kind} card with its mirror written`);
      await this.lift();
      cards.push({ cardNumber: this.kiosk.cardNumber(kind), chip: this.kiosk.chipWallet(kind) });
    }
    this.lastChips = cards;
    return readTopUpFacts(this.config, this.kiosk.world, cards);
  }

  /** Every card's wallet (as last read) within a visit's worth of the cap: top-ups would only tap cards. */
  nearCap(): boolean {
    return this.lastChips !== undefined && walletsNearCap(this.lastChips);
  }

  /** Takes the card off the counter reader, if one lies there. */
  private async lift(): Promise<void> {
    if (this.kiosk.world.state().counterReader === 'card') await this.kiosk.lift().catch(() => {});
  }

  close(): Promise<void> {
    return this.kiosk.cleanUp();
  }
}
