import { createContext, useContext } from 'react';
import type { Bilingual } from '../../../shared/contract/kiosk-api';
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

/** Messages from the controller come in Chinese and English; Chinese first, English beneath. */
export function BilingualText({ text }: { text: Bilingual }) {
  const locale = useContext(LocaleContext);
  if (locale === 'zh-TW') return <span>{text.zh}<small className="second-language">{text.en}</small></span>;
  return <span>{text.en}<small className="second-language">{text.zh}</small></span>;
}
