import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LogHealthBanner } from '../../../../kiosk/ui/src/commands/log-health';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import type { LogHealthView, SessionView } from '../../../../shared/contract/kiosk-api';
import { locales, messages, type Locale } from '../../../../shared/i18n/messages';

const session = (state: SessionView['state']): SessionView => ({
  state,
  operator: state === 'signed-in' ? { name: 'Staff', role: 'operator' } : null,
  approval: null,
  message: null,
  idleSecondsLeft: null,
  mayStartApplication: state === 'signed-in',
  mayClearTamper: false,
});
const memoryOnly: LogHealthView = { state: 'memory-only', since: '2026-03-02T02:00:00.000Z', reason: 'ENOSPC', keptLines: 12, droppedLines: 0 };

const banner = (locale: Locale, logging: LogHealthView, state: SessionView['state'] = 'signed-in', selfService: 'ready' | null = null): string =>
  renderToStaticMarkup(
    <LocaleContext.Provider value={locale}>
      <LogHealthBanner snapshot={{ logging, session: session(state), selfService: selfService ? { state: selfService } : null }} />
    </LocaleContext.Provider>,
  );

describe('the log health banner', () => {
  it('tells signed-in staff, in each of the four languages, that the log is kept in memory only', () => {
    for (const locale of locales) {
      const html = banner(locale, memoryOnly);
      expect(html).toContain('role="alert"');
      expect(html).toContain(messages[locale].logMemoryOnly);
      expect(html).toContain('ENOSPC');
    }
    expect(new Set(locales.map((locale) => messages[locale].logMemoryOnly)).size).toBe(4);
  });

  it('shows nothing while the log is written, before sign-in, or to the public', () => {
    expect(banner('zh-TW', { state: 'writing' })).toBe('');
    expect(banner('zh-TW', memoryOnly, 'signed-out')).toBe('');
    expect(banner('zh-TW', memoryOnly, 'signed-out', 'ready')).toBe('');
  });
});
