import type { CardTap, NfcStation } from './types';

/**
 * The next card the station sees, or undefined after `timeoutMs` (no timeout when omitted).
 * A card already on the reader is not "next": callers that accept it check `currentCard()` first.
 */
export function nextCard(station: Pick<NfcStation, 'on' | 'off'>, timeoutMs?: number): Promise<CardTap | undefined> {
  return new Promise((resolve) => {
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => finish(undefined), timeoutMs);
    const listener = (tap: CardTap): void => finish(tap);
    function finish(tap: CardTap | undefined): void {
      clearTimeout(timer);
      station.off('card', listener);
      resolve(tap);
    }
    station.on('card', listener);
  });
}
