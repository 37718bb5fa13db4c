import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CommandNotice, ConnectionBanner, ConnectionWait } from '../../../../kiosk/ui/src/commands/notices';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import { messages, type Locale } from '../../../../shared/i18n/messages';

const inLocale = (locale: Locale, element: React.ReactElement): string => renderToStaticMarkup(<LocaleContext.Provider value={locale}>{element}</LocaleContext.Provider>);
const ignore = (): void => undefined;

describe('the notices on screen', () => {
  it('shows a refused command as an alert in the current language, with a close button', () => {
    const html = inLocale('zh-TW', <CommandNotice notice={{ kind: 'refused', refusal: { accepted: false, code: 'role', role: 'technician', reason: 'a technician may not issue card' }, id: 1 }} onDismiss={ignore} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain(messages['zh-TW'].commandNotDone);
    expect(html).toContain('您的身分（技術人員）無權執行此操作。');
    expect(html).toContain(`>${messages['zh-TW'].close}</button>`);
  });

  it('says an unknown refusal is not done, with the controller\'s words beneath', () => {
    const html = inLocale('id', <CommandNotice notice={{ kind: 'refused', refusal: { accepted: false, code: 'other', reason: 'this kiosk has no tamper switch' }, id: 2 }} onDismiss={ignore} />);
    expect(html).toContain(messages.id.refusalOther);
    expect(html).toContain('this kiosk has no tamper switch');
  });

  it('says the controller cannot be reached', () => {
    const html = inLocale('vi', <CommandNotice notice={{ kind: 'unreachable', id: 3 }} onDismiss={ignore} />);
    expect(html).toContain('data-notice="unreachable"');
    expect(html).toContain(messages.vi.commandUnreachable);
    expect(inLocale('en', <CommandNotice notice={null} onDismiss={ignore} />)).toBe('');
  });

  it('says an answer it could not read may or may not have been done (no "not done")', () => {
    const html = inLocale('zh-TW', <CommandNotice notice={{ kind: 'unreadable', id: 4 }} onDismiss={ignore} />);
    expect(html).toContain('data-notice="unreadable"');
    expect(html).toContain(messages['zh-TW'].commandUnreadable);
    expect(html).not.toContain(messages['zh-TW'].commandNotDone);
  });

  it('waits with "connecting" and explains a refused token, and shows a banner only while the link is down', () => {
    expect(inLocale('en', <ConnectionWait link="connecting" />)).toContain('Connecting to the kiosk…');
    const token = inLocale('en', <ConnectionWait link="token-refused" />);
    expect(token).toContain('role="alert"');
    expect(token).toContain('?token=');
    expect(inLocale('zh-TW', <ConnectionBanner link="lost" />)).toContain(messages['zh-TW'].connectionLost);
    expect(inLocale('zh-TW', <ConnectionBanner link="up" />)).toBe('');
  });
});
