import { transitSchemes, type TransitScheme } from './card-types';

/**
 * A service session: a mobile team's morning at a market or afternoon at a nursing home, with a box of
 * blank cards per transit scheme and one ribbon. Every card made belongs to the open session, and its
 * stock is a ledger of movements, never a counter that is set: what was loaded, issued, spoiled (and
 * why), returned to the box, and — at the close — counted as left. A difference between the count and
 * the ledger is booked as an adjustment with the supervisor's note, never absorbed, so that for every
 * closed session `loaded = issued + spoiled + returned + left` holds exactly.
 *
 * Pure: the store keeps the movements, the controller decides with these functions.
 */
export const sessionModes = ['market', 'transit-station', 'campus', 'nursing-home', 'office-counter'] as const;
export type SessionMode = (typeof sessionModes)[number];

/** Why a blank was spoiled. `count-discrepancy`: missing at the closing count (the supervisor's note says why). */
export const spoilReasons = ['misprint', 'chip-verify-failed', 'jam', 'crash-recovery', 'void-at-counter', 'count-discrepancy'] as const;
export type SpoilReason = (typeof spoilReasons)[number];

/** Why blanks were loaded: from the box at the start or later, or found over the ledger at the closing count. */
export const loadReasons = ['box', 'count-discrepancy'] as const;
export type LoadReason = (typeof loadReasons)[number];

/** One line of the stock ledger: quantities are positive, the kind says which way they go. */
export type StockMovement =
  | { readonly kind: 'loaded'; readonly scheme: TransitScheme; readonly quantity: number; readonly reason: LoadReason }
  | { readonly kind: 'issued'; readonly scheme: TransitScheme; readonly quantity: number }
  | { readonly kind: 'spoiled'; readonly scheme: TransitScheme; readonly quantity: number; readonly reason: SpoilReason }
  | { readonly kind: 'returned'; readonly scheme: TransitScheme; readonly quantity: number }
  /**
   * A card already booked as issued was voided (at the counter, or by crash recovery before it was
   * handed over): its blank moves from issued to spoiled. Booked in the session that issued it, so
   * that session still reconciles.
   */
  | { readonly kind: 'voided'; readonly scheme: TransitScheme; readonly quantity: number; readonly reason: VoidSpoilReason };

/** The reasons a card issued can end spoiled after all. */
export type VoidSpoilReason = Extract<SpoilReason, 'void-at-counter' | 'crash-recovery'>;

/** One scheme's stock as the ledger says: `inHand` is what should be in the feeder and the box now. */
export interface SchemeStock {
  readonly loaded: number;
  readonly issued: number;
  readonly spoiled: number;
  readonly spoiledBy: Readonly<Record<SpoilReason, number>>;
  readonly returned: number;
  readonly inHand: number;
}

export type SessionStock = Readonly<Record<TransitScheme, SchemeStock>>;

const noSpoilage = (): Record<SpoilReason, number> => Object.fromEntries(spoilReasons.map((reason) => [reason, 0])) as Record<SpoilReason, number>;

/** The ledger summed per scheme. Throws on a movement that is not a positive whole number (a bug, not input). */
export function stockOf(movements: readonly StockMovement[]): SessionStock {
  const stock = Object.fromEntries(
    transitSchemes.map((scheme) => [scheme, { loaded: 0, issued: 0, spoiled: 0, spoiledBy: noSpoilage(), returned: 0 }]),
  ) as Record<TransitScheme, { loaded: number; issued: number; spoiled: number; spoiledBy: Record<SpoilReason, number>; returned: number }>;
  for (const movement of movements) {
    if (!Number.isInteger(movement.quantity) || movement.quantity <= 0) throw new Error(`a stock movement of ${movement.quantity} ${movement.kind}: quantities are positive whole numbers`);
    const line = stock[movement.scheme];
    if (movement.kind === 'voided') {
      line.issued -= movement.quantity;
      line.spoiled += movement.quantity;
      line.spoiledBy[movement.reason] += movement.quantity;
      continue;
    }
    line[movement.kind] += movement.quantity;
    if (movement.kind === 'spoiled') line.spoiledBy[movement.reason] += movement.quantity;
  }
  return Object.fromEntries(
    transitSchemes.map((scheme) => {
      const line = stock[scheme];
      return [scheme, { ...line, inHand: line.loaded - line.issued - line.spoiled - line.returned }];
    }),
  ) as unknown as SessionStock;
}

/** The blanks counted at the close, per scheme. */
export type BlankCount = Readonly<Record<TransitScheme, number>>;

export interface SchemeClosing {
  readonly expected: number;
  readonly counted: number;
  /** counted − expected: negative when blanks are missing, positive when more were found. */
  readonly discrepancy: number;
}

export interface ClosingBook {
  readonly schemes: Readonly<Record<TransitScheme, SchemeClosing>>;
  /** The adjustments that make the ledger agree with the count (empty when it already does). */
  readonly adjustments: readonly StockMovement[];
  readonly balanced: boolean;
}

/**
 * Closing a session: the count against the ledger. A shortfall is booked as blanks spoiled for
 * `count-discrepancy`, a surplus as blanks loaded for it; the caller records them with the supervisor's
 * note. A count that is not a whole number ≥ 0 is refused by the caller's schema before this.
 */
export function closeBook(stock: SessionStock, counted: BlankCount): ClosingBook {
  const adjustments: StockMovement[] = [];
  const schemes = Object.fromEntries(
    transitSchemes.map((scheme) => {
      const expected = stock[scheme].inHand;
      const discrepancy = counted[scheme] - expected;
      if (discrepancy < 0) adjustments.push({ kind: 'spoiled', scheme, quantity: -discrepancy, reason: 'count-discrepancy' });
      if (discrepancy > 0) adjustments.push({ kind: 'loaded', scheme, quantity: discrepancy, reason: 'count-discrepancy' });
      return [scheme, { expected, counted: counted[scheme], discrepancy }];
    }),
  ) as Record<TransitScheme, SchemeClosing>;
  return { schemes, adjustments, balanced: adjustments.length === 0 };
}

/** `loaded = issued + spoiled + returned + left` for every scheme, `left` being the closing count. */
export function reconciles(movements: readonly StockMovement[], left: BlankCount): boolean {
  const stock = stockOf(movements);
  return transitSchemes.every((scheme) => {
    const line = stock[scheme];
    return line.loaded === line.issued + line.spoiled + line.returned + left[scheme];
  });
}

/** When the screen starts warning, before the next applicant. */
export interface StockThresholds {
  /** Warn when this many blanks of a scheme or fewer are free (in hand and not promised to a queued card). */
  readonly blanksLow: number;
  /** Warn when the ribbon has this many cards' prints or fewer left after the queued cards. */
  readonly ribbonCardsLow: number;
}

export const defaultStockThresholds: StockThresholds = { blanksLow: 3, ribbonCardsLow: 10 };

/** What the queue has promised and the ribbon has left. */
export interface StockDemand {
  /** Cards queued and not yet printed, per scheme: each will take one blank. */
  readonly queued: Readonly<Record<TransitScheme, number>>;
  /** The printer's own count of prints left on its ribbon (`Rco;I`); null when it has not said. */
  readonly ribbonPrintsLeft: number | null;
  /** Ribbon prints one card takes (one per printed side). */
  readonly printsPerCard: number;
}

export type StockWarning =
  | { readonly kind: 'blanks-low'; readonly scheme: TransitScheme; readonly free: number }
  | { readonly kind: 'blanks-out'; readonly scheme: TransitScheme }
  | { readonly kind: 'ribbon-low'; readonly cardsLeft: number }
  | { readonly kind: 'ribbon-out' };

/** Blanks of `scheme` neither used nor promised to a queued card. */
export function freeBlanks(stock: SessionStock, demand: StockDemand, scheme: TransitScheme): number {
  return stock[scheme].inHand - demand.queued[scheme];
}

/** Whole cards the ribbon can still print after the queued ones; null when the printer has not said. */
export function ribbonCardsFree(demand: StockDemand): number | null {
  if (demand.ribbonPrintsLeft === null) return null;
  const queuedCards = transitSchemes.reduce((sum, scheme) => sum + demand.queued[scheme], 0);
  return Math.floor(demand.ribbonPrintsLeft / demand.printsPerCard) - queuedCards;
}

/** What the screen says before the next applicant: every scheme and the ribbon that will run out. */
export function stockWarnings(stock: SessionStock, demand: StockDemand, thresholds: StockThresholds = defaultStockThresholds): StockWarning[] {
  const warnings: StockWarning[] = [];
  for (const scheme of transitSchemes) {
    const free = freeBlanks(stock, demand, scheme);
    if (free <= 0) warnings.push({ kind: 'blanks-out', scheme });
    else if (free <= thresholds.blanksLow) warnings.push({ kind: 'blanks-low', scheme, free });
  }
  const ribbon = ribbonCardsFree(demand);
  if (ribbon !== null && ribbon <= 0) warnings.push({ kind: 'ribbon-out' });
  else if (ribbon !== null && ribbon <= thresholds.ribbonCardsLow) warnings.push({ kind: 'ribbon-low', cardsLeft: ribbon });
  return warnings;
}

/** Why a card of `scheme` cannot be queued now: no free blank, or no ribbon for it; null when it can. */
export function queueRefusal(stock: SessionStock, demand: StockDemand, scheme: TransitScheme): 'no-blanks' | 'no-ribbon' | null {
  if (freeBlanks(stock, demand, scheme) <= 0) return 'no-blanks';
  const ribbon = ribbonCardsFree(demand);
  if (ribbon !== null && ribbon <= 0) return 'no-ribbon';
  return null;
}
