import type { SessionStock } from '../../shared/domain/service-session';

/**
 * The promises a crash must not break, checked on facts read after the restart and recovery: the
 * store's tables and the simulators' own counts (the printer's cards, the chips, the validator's
 * notes). Pure, so that a test can hand it a doctored store or simulator and see it complain.
 */
export const violationKinds = ['doubleIssued', 'reusedNumbers', 'stockMismatches', 'lostCredits', 'doubleCredits', 'auditBreaks'] as const;
export type ViolationKind = (typeof violationKinds)[number];

export interface Violation {
  readonly kind: ViolationKind;
  /** Stable across runs: the same broken fact is counted once, in the run that broke it. */
  readonly key: string;
  readonly detail: string;
}

export interface AuditFact {
  readonly ok: boolean;
  /** Where the chain breaks, when it does. */
  readonly detail?: string;
}

/** The staffed counter kiosk: its store and its printer, as they stand once recovery is done. */
export interface CounterFacts {
  /** Every card this kiosk issued (demo cards excluded: they were never printed). */
  readonly issuances: ReadonlyArray<{ readonly cardNumber: string; readonly cardholderId: string; readonly cardType: string; readonly status: string }>;
  /** The card numbers of the stock ledger's `issued` lines (one per blank issued). */
  readonly issuedLines: readonly string[];
  /** The card numbers of the stock ledger's `voided` lines, with their reason. */
  readonly voidedLines: ReadonlyArray<{ readonly cardNumber: string; readonly reason: string }>;
  /** The open session's stock ledger per scheme. */
  readonly stock: SessionStock;
  /** The simulated printer's own counts. */
  readonly printer: {
    /** Blanks it took from the feeder. */
    readonly cardsInserted: number;
    readonly cardsEjected: number;
    readonly cardsRejected: number;
    /** A card still inside it (nothing should be, once recovery and the queue are done). */
    readonly cardInside: boolean;
  };
  /** The card number on each ejected card's chip, read under its keys (null: it does not read). */
  readonly ejectedChips: ReadonlyArray<string | null>;
  readonly audit: AuditFact;
}

/** The unattended top-up kiosk: its ledger, its validator's count of notes and the cards' chips. */
export interface TopUpFacts {
  /** NT$ the validator stacked (its own count, since the world started). */
  readonly stackedMoney: number;
  /** NT$ the ledger credited to wallets from cash: `cash-top-up` transfers and supervisors' `adjustment`s. */
  readonly creditedMoney: number;
  readonly cards: ReadonlyArray<{
    readonly cardNumber: string;
    /** The wallet as the ledger derives it from its transfers. */
    readonly ledger: { readonly balance: number; readonly counter: number };
    /** The wallet on the chip, verified under its keys; null when it does not verify. */
    readonly chip: { readonly balance: number; readonly counter: number } | null;
  }>;
  readonly audit: AuditFact;
}

export function checkCounter(facts: CounterFacts): Violation[] {
  const violations: Violation[] = [];
  const add = (kind: ViolationKind, key: string, detail: string): void => void violations.push({ kind, key, detail });

  // No application with two active cards: one active card per person and card type.
  const active = new Map<string, number>();
  for (const card of facts.issuances) {
    if (card.status !== 'active') continue;
    const key = `${card.cardholderId}/${card.cardType}`;
    active.set(key, (active.get(key) ?? 0) + 1);
  }
  for (const [key, count] of active) if (count > 1) add('doubleIssued', `active:${key}:${count}`, `${count} active cards of one type for one cardholder (${key.split('/')[1]})`);

  // No card number used twice: in the store's issued lines, and on the cards that left the printer.
  for (const [what, numbers] of [['issued stock lines', facts.issuedLines], ['ejected chips', facts.ejectedChips.filter((n): n is string => n !== null)]] as const) {
    for (const [number, count] of tally(numbers)) if (count > 1) add('reusedNumbers', `${what}:${number}:${count}`, `card number …${number.slice(-4)} on ${count} ${what}`);
  }

  // Stock loaded = issued + spoiled + returned + left, per scheme, with nothing left below zero.
  for (const [scheme, line] of Object.entries(facts.stock)) {
    if (line.loaded !== line.issued + line.spoiled + line.returned + line.inHand || line.inHand < 0) {
      add('stockMismatches', `ledger:${scheme}:${line.loaded}/${line.issued}/${line.spoiled}/${line.returned}/${line.inHand}`, `${scheme}: loaded ${line.loaded} ≠ issued ${line.issued} + spoiled ${line.spoiled} + returned ${line.returned} + left ${line.inHand}`);
    }
  }

  // The printer and the store agree on where every card went.
  const schemes = Object.values(facts.stock);
  const issued = schemes.reduce((sum, line) => sum + line.issued, 0);
  const spoiled = schemes.reduce((sum, line) => sum + line.spoiled, 0);
  const { printer } = facts;
  const counterVoids = facts.voidedLines.filter((line) => line.reason !== 'crash-recovery').length;
  // Keyed by what differs (a count's difference, a card): a difference that persists is counted once, in the run that made it.
  const mismatch = (what: string, detail: string, key = detail): void => add('stockMismatches', `printer:${what}:${key}`, `printer and store: ${what} (${detail})`);
  if (printer.cardInside) mismatch('a card is still inside the printer', `taken ${printer.cardsInserted}`);
  if (issued + spoiled !== printer.cardsInserted - (printer.cardInside ? 1 : 0)) {
    mismatch('blanks used', `store issued ${issued} + spoiled ${spoiled}, printer took ${printer.cardsInserted}`, String(issued + spoiled - printer.cardsInserted));
  }
  // Every card out of the exit slot was issued (net of the counter's voids of cards handed over); every other blank was rejected.
  if (issued + counterVoids !== printer.cardsEjected) mismatch('cards handed out', `store issued ${issued} + voided at the counter ${counterVoids}, printer ejected ${printer.cardsEjected}`, String(issued + counterVoids - printer.cardsEjected));
  if (spoiled - counterVoids !== printer.cardsRejected) mismatch('cards rejected', `store spoiled ${spoiled - counterVoids} (counter voids aside), printer rejected ${printer.cardsRejected}`, String(spoiled - counterVoids - printer.cardsRejected));
  const byNumber = new Map(facts.issuances.map((card) => [card.cardNumber, card]));
  const crashVoided = new Set(facts.voidedLines.filter((line) => line.reason === 'crash-recovery').map((line) => line.cardNumber));
  const ejected = new Set<string>();
  for (const [index, number] of facts.ejectedChips.entries()) {
    if (number === null) {
      mismatch('an ejected card whose chip does not read', `card ${index + 1} out`);
      continue;
    }
    ejected.add(number);
    if (!byNumber.has(number)) mismatch('an ejected card the store never issued', `…${number.slice(-4)}`);
    if (crashVoided.has(number)) mismatch('a card voided as undelivered was handed out', `…${number.slice(-4)}`);
  }
  for (const card of facts.issuances) {
    if (card.status !== 'void' && !ejected.has(card.cardNumber)) mismatch('an issued card never left the printer', `…${card.cardNumber.slice(-4)} ${card.status}`);
  }

  if (!facts.audit.ok) add('auditBreaks', `counter:${facts.audit.detail ?? ''}`, `the counter kiosk's audit chain does not verify: ${facts.audit.detail ?? ''}`);
  return violations;
}

export function checkTopUp(facts: TopUpFacts): Violation[] {
  const violations: Violation[] = [];
  const add = (kind: ViolationKind, key: string, detail: string): void => void violations.push({ kind, key, detail });
  // Ledger = notes stacked: every note the validator kept is credited once, and nothing else is.
  if (facts.creditedMoney < facts.stackedMoney) add('lostCredits', `stacked:${facts.stackedMoney - facts.creditedMoney}`, `the validator stacked NT$${facts.stackedMoney}, the ledger credited NT$${facts.creditedMoney}`);
  if (facts.creditedMoney > facts.stackedMoney) add('doubleCredits', `stacked:${facts.stackedMoney - facts.creditedMoney}`, `the ledger credited NT$${facts.creditedMoney}, the validator stacked only NT$${facts.stackedMoney}`);
  // Ledger = card mirrors: once the card has been tapped after the restart, its chip holds what the ledger says.
  for (const card of facts.cards) {
    const { ledger, chip } = card;
    const last4 = card.cardNumber.slice(-4);
    if (chip === null) {
      add('lostCredits', `chip:${card.cardNumber}:unverified:${ledger.counter}`, `card …${last4}: its wallet does not verify (ledger NT$${ledger.balance})`);
    } else if (chip.balance < ledger.balance || (chip.balance === ledger.balance && chip.counter !== ledger.counter)) {
      add('lostCredits', `chip:${card.cardNumber}:${chip.balance}/${chip.counter}:${ledger.balance}/${ledger.counter}`, `card …${last4}: chip NT$${chip.balance} (#${chip.counter}), ledger NT$${ledger.balance} (#${ledger.counter})`);
    } else if (chip.balance > ledger.balance) {
      add('doubleCredits', `chip:${card.cardNumber}:${chip.balance}/${chip.counter}:${ledger.balance}/${ledger.counter}`, `card …${last4}: chip NT$${chip.balance} (#${chip.counter}) over the ledger's NT$${ledger.balance} (#${ledger.counter})`);
    }
  }
  if (!facts.audit.ok) add('auditBreaks', `top-up:${facts.audit.detail ?? ''}`, `the top-up kiosk's audit chain does not verify: ${facts.audit.detail ?? ''}`);
  return violations;
}

function tally(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** The run's count per kind, counting each broken fact once over the whole chaos session. */
export class ViolationTally {
  private readonly seen = new Set<string>();
  readonly counts: Record<ViolationKind, number> = Object.fromEntries(violationKinds.map((kind) => [kind, 0])) as Record<ViolationKind, number>;

  /** Adds the violations not seen before; returns those. */
  add(violations: readonly Violation[]): Violation[] {
    const fresh = violations.filter((v) => !this.seen.has(`${v.kind}:${v.key}`));
    for (const v of fresh) {
      this.seen.add(`${v.kind}:${v.key}`);
      this.counts[v.kind]++;
    }
    return fresh;
  }

  total(): number {
    return violationKinds.reduce((sum, kind) => sum + this.counts[kind], 0);
  }
}
