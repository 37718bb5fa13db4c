import { describe, expect, it } from 'vitest';
import { cardLookupStatuses } from '../../../shared/domain/card-status';
import { locales, messages, translate, type MessageKey } from '../../../shared/i18n/messages';

describe('UI words', () => {
  const keys = Object.keys(messages['zh-TW']);

  it('has every word, non-empty, in all four languages', () => {
    for (const locale of locales) {
      for (const key of keys) expect(messages[locale][key as keyof (typeof messages)['en']], `${locale}.${key}`).toMatch(/\S/);
    }
  });

  it('speaks the applicant-facing steps in Vietnamese and Indonesian, not English', () => {
    for (const key of ['photoHint', 'jobStageready', 'homeNewApplication', 'signInTapCard'] as const) {
      expect(messages.vi[key]).not.toBe(messages.en[key]);
      expect(messages.id[key]).not.toBe(messages.en[key]);
    }
  });

  it('words every card status a screen shows, keyed by the one status vocabulary, in all four languages', () => {
    for (const status of cardLookupStatuses) {
      for (const key of [`status${status}`, `selfServiceStatus${status}`] satisfies MessageKey[]) {
        for (const locale of locales) expect(messages[locale][key], `${locale}.${key}`).toMatch(/\S/);
      }
    }
  });

  it('looks up keys built from data, falling back to Chinese, then to the key', () => {
    expect(translate('vi', 'cardsenior')).toBe('Thẻ người cao tuổi');
    expect(translate('en', 'no-such-key')).toBe('no-such-key');
  });
});
