import { assertNever } from '../../../../shared/result';
import type { StockWarningView } from '../../../../shared/contract/kiosk-api';
import type { TransitScheme } from '../../../../shared/domain/card-types';
import type { SessionMode } from '../../../../shared/domain/service-session';
import { translate, type Locale } from '../../../../shared/i18n/messages';

/** A scheme as the blank boxes are labelled: its Chinese name with the English one, in every language. */
export function schemeName(locale: Locale, scheme: TransitScheme): string {
  return translate(locale, `stockScheme${scheme}`);
}

export function modeName(locale: Locale, mode: SessionMode): string {
  return translate(locale, `sessionMode${mode}`);
}

/** `{name}` placeholders filled in (every occurrence: a warning may name its scheme twice). */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** What the screen says of a warning the controller sent, with the scheme's name. */
export function warningText(locale: Locale, warning: StockWarningView): string {
  switch (warning.kind) {
    case 'blanks-low':
      return fill(translate(locale, 'warningBlanksLow'), { scheme: schemeName(locale, warning.scheme), free: warning.free });
    case 'blanks-out':
      return fill(translate(locale, 'warningBlanksOut'), { scheme: schemeName(locale, warning.scheme) });
    case 'ribbon-low':
      return fill(translate(locale, 'warningRibbonLow'), { n: warning.cardsLeft });
    case 'ribbon-out':
      return translate(locale, 'warningRibbonOut');
    default:
      return assertNever(warning);
  }
}

/** Out is an emergency (the next card of it is refused); low is a heads-up. */
export function warningIsUrgent(warning: StockWarningView): boolean {
  return warning.kind === 'blanks-out' || warning.kind === 'ribbon-out';
}
