import { useEffect, useRef, useState } from 'react';
import { ownerEnds, type DisplayOwner } from './display-owner';

export interface DisplayChoices {
  readonly largeText: boolean;
  readonly highContrast: boolean;
}

export interface DisplayState extends DisplayChoices {
  toggleLargeText(): void;
  toggleHighContrast(): void;
}

const plain: DisplayChoices = { largeText: false, highContrast: false };

/**
 * Large text and high contrast for the whole page, kept while `owner` uses the kiosk and reset when
 * they leave. Applied as data attributes on <html>: the styles scale the root font and swap the palette.
 */
export function useDisplay(owner: DisplayOwner): DisplayState {
  const [choices, setChoices] = useState<DisplayChoices>(plain);
  const lastOwner = useRef<DisplayOwner>(owner);

  useEffect(() => {
    if (ownerEnds(lastOwner.current, owner)) setChoices(plain);
    lastOwner.current = owner;
  }, [owner]);

  useEffect(() => {
    const root = document.documentElement;
    root.setAttribute('data-text', choices.largeText ? 'large' : 'normal');
    root.setAttribute('data-contrast', choices.highContrast ? 'high' : 'normal');
  }, [choices]);

  return {
    ...choices,
    toggleLargeText: () => setChoices((now) => ({ ...now, largeText: !now.largeText })),
    toggleHighContrast: () => setChoices((now) => ({ ...now, highContrast: !now.highContrast })),
  };
}
