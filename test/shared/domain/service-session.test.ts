import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transitSchemes } from '../../../shared/domain/card-types';
import {
  closeBook, queueRefusal, reconciles, spoilReasons, stockOf, stockWarnings, type StockDemand, type StockMovement,
} from '../../../shared/domain/service-session';

const none = { easycard: 0, ipass: 0 } as const;
const demand = (overrides: Partial<StockDemand> = {}): StockDemand => ({ queued: none, ribbonPrintsLeft: 300, printsPerCard: 2, ...overrides });

describe('the stock ledger', () => {
  const morning: StockMovement[] = [
    { kind: 'loaded', scheme: 'easycard', quantity: 10, reason: 'box' },
    { kind: 'loaded', scheme: 'ipass', quantity: 5, reason: 'box' },
    { kind: 'issued', scheme: 'easycard', quantity: 4 },
    { kind: 'spoiled', scheme: 'easycard', quantity: 1, reason: 'chip-verify-failed' },
    { kind: 'issued', scheme: 'ipass', quantity: 2 },
    { kind: 'returned', scheme: 'ipass', quantity: 1 },
  ];

  it('sums movements per scheme, with spoilage by reason', () => {
    const stock = stockOf(morning);
    expect(stock.easycard).toMatchObject({ loaded: 10, issued: 4, spoiled: 1, returned: 0, inHand: 5 });
    expect(stock.easycard.spoiledBy['chip-verify-failed']).toBe(1);
    expect(stock.ipass).toMatchObject({ loaded: 5, issued: 2, spoiled: 0, returned: 1, inHand: 2 });
  });

  it('moves a voided card from issued to spoiled in its session, so the session still reconciles', () => {
    const stock = stockOf([...morning, { kind: 'voided', scheme: 'easycard', quantity: 1, reason: 'void-at-counter' }]);
    expect(stock.easycard).toMatchObject({ issued: 3, spoiled: 2, inHand: 5 });
    expect(stock.easycard.spoiledBy['void-at-counter']).toBe(1);
    expect(reconciles([...morning, { kind: 'voided', scheme: 'easycard', quantity: 1, reason: 'void-at-counter' }], { easycard: 5, ipass: 2 })).toBe(true);
  });

  it('refuses a movement that is not a positive whole number', () => {
    expect(() => stockOf([{ kind: 'issued', scheme: 'ipass', quantity: 0 }])).toThrow(/positive whole/);
    expect(() => stockOf([{ kind: 'loaded', scheme: 'ipass', quantity: 1.5, reason: 'box' }])).toThrow(/positive whole/);
  });

  it('closes balanced when the count agrees, and books a shortfall and a surplus as adjustments', () => {
    const stock = stockOf(morning);
    expect(closeBook(stock, { easycard: 5, ipass: 2 })).toMatchObject({ balanced: true, adjustments: [] });
    const book = closeBook(stock, { easycard: 3, ipass: 4 });
    expect(book.balanced).toBe(false);
    expect(book.schemes.easycard).toEqual({ expected: 5, counted: 3, discrepancy: -2 });
    expect(book.schemes.ipass).toEqual({ expected: 2, counted: 4, discrepancy: 2 });
    expect(book.adjustments).toEqual([
      { kind: 'spoiled', scheme: 'easycard', quantity: 2, reason: 'count-discrepancy' },
      { kind: 'loaded', scheme: 'ipass', quantity: 2, reason: 'count-discrepancy' },
    ]);
    expect(reconciles(morning, { easycard: 3, ipass: 4 })).toBe(false);
    expect(reconciles([...morning, ...book.adjustments], { easycard: 3, ipass: 4 })).toBe(true);
  });

  it('reconciles after the closing adjustments, whatever happened and whatever was counted', () => {
    const scheme = fc.constantFrom(...transitSchemes);
    const movement: fc.Arbitrary<StockMovement> = fc.oneof(
      fc.record({ kind: fc.constant('loaded' as const), scheme, quantity: fc.integer({ min: 1, max: 50 }), reason: fc.constant('box' as const) }),
      fc.record({ kind: fc.constant('issued' as const), scheme, quantity: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('spoiled' as const), scheme, quantity: fc.integer({ min: 1, max: 3 }), reason: fc.constantFrom(...spoilReasons) }),
      fc.record({ kind: fc.constant('returned' as const), scheme, quantity: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('voided' as const), scheme, quantity: fc.integer({ min: 1, max: 2 }), reason: fc.constantFrom('void-at-counter' as const, 'crash-recovery' as const) }),
    );
    fc.assert(
      fc.property(fc.array(movement, { maxLength: 60 }), fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 80 }), (movements, easycard, ipass) => {
        const count = { easycard, ipass };
        const book = closeBook(stockOf(movements), count);
        expect(reconciles([...movements, ...book.adjustments], count)).toBe(true);
        expect(book.balanced).toBe(reconciles(movements, count));
      }),
    );
  });
});

describe('warnings before the next applicant and refusals', () => {
  const stock = stockOf([
    { kind: 'loaded', scheme: 'easycard', quantity: 10, reason: 'box' },
    { kind: 'loaded', scheme: 'ipass', quantity: 5, reason: 'box' },
    { kind: 'issued', scheme: 'ipass', quantity: 2 },
  ]);

  it('warns when the free blanks of a scheme fall to the threshold, counting the queued cards', () => {
    expect(stockWarnings(stock, demand())).toEqual([{ kind: 'blanks-low', scheme: 'ipass', free: 3 }]);
    expect(stockWarnings(stock, demand({ queued: { easycard: 7, ipass: 3 } }))).toEqual([
      { kind: 'blanks-low', scheme: 'easycard', free: 3 },
      { kind: 'blanks-out', scheme: 'ipass' },
    ]);
  });

  it('warns when the ribbon runs low or out after the queued cards', () => {
    expect(stockWarnings(stock, demand({ ribbonPrintsLeft: 24, queued: { easycard: 2, ipass: 0 } }))).toContainEqual({ kind: 'ribbon-low', cardsLeft: 10 });
    expect(stockWarnings(stock, demand({ ribbonPrintsLeft: 5, queued: { easycard: 2, ipass: 0 } }))).toContainEqual({ kind: 'ribbon-out' });
    expect(stockWarnings(stock, demand({ ribbonPrintsLeft: null }))).not.toContainEqual(expect.objectContaining({ kind: expect.stringMatching(/^ribbon/) }));
  });

  it('refuses a card it cannot finish: no free blank of its scheme, or no ribbon for it', () => {
    expect(queueRefusal(stock, demand(), 'ipass')).toBeNull();
    expect(queueRefusal(stock, demand({ queued: { easycard: 0, ipass: 3 } }), 'ipass')).toBe('no-blanks');
    expect(queueRefusal(stock, demand({ queued: { easycard: 0, ipass: 3 } }), 'easycard')).toBeNull();
    expect(queueRefusal(stock, demand({ ribbonPrintsLeft: 3, queued: { easycard: 1, ipass: 0 } }), 'easycard')).toBe('no-ribbon');
    expect(queueRefusal(stock, demand({ ribbonPrintsLeft: 4, queued: { easycard: 1, ipass: 0 } }), 'easycard')).toBeNull();
  });
});
