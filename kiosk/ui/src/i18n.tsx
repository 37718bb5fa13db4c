import { createContext, useContext } from 'react';
import type { Bilingual, Message } from '../../../shared/contract/kiosk-api';
import { textIn } from '../../../shared/i18n/localized-text';
import { textOf } from '../../../shared/i18n/message-catalogue';
import { translate, type Locale, type MessageKey } from '../../../shared/i18n/messages';

export const LocaleContext = createContext<Locale>('zh-TW');

/** `t('next')` for fixed words, `t.key('card' + type)` for keys built from data. */
export function useT() {
  const locale = useContext(LocaleContext);
  const t = (key: MessageKey): string => translate(locale, key);
  t.key = (key: string): string => translate(locale, key);
  t.locale = locale;
  return t;
}

/**
 * A message from the controller: Chinese over English on a Chinese screen; otherwise the screen's
 * language (Vietnamese, Indonesian where the text has it, else English) with Chinese beneath.
 */
export function BilingualText({ text }: { text: Bilingual }) {
  const shown = textIn(useContext(LocaleContext), text);
  return <span>{shown.main}<small className="second-language">{shown.beneath}</small></span>;
}

/**
 * A coded message from the controller, worded from the catalogue in the screen's language, with
 * Chinese beneath (English beneath on a Chinese screen), as `BilingualText` shows a text.
 */
export function MessageText({ message }: { message: Message }) {
  return <BilingualText text={textOf(message)} />;
}
