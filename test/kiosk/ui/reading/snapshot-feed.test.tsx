import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import { createSnapshotFeed } from '../../../../kiosk/ui/src/reading/snapshot-feed';
import type { Unreadable } from '../../../../kiosk/ui/src/reading/unreadable';
import { UnreadableNotice } from '../../../../kiosk/ui/src/reading/unreadable-notice';
import { locales, messages } from '../../../../shared/i18n/messages';
import { goodSnapshot } from './snapshot-fixture';

/** The snapshot as text on the wire, with `change` applied to a copy. */
const push = (change: (snapshot: Record<string, unknown>) => void = () => {}): string => {
  const copy = structuredClone(goodSnapshot) as unknown as Record<string, unknown>;
  change(copy);
  return JSON.stringify(copy);
};

const malformed: ReadonlyArray<readonly [string, string, RegExp]> = [
  ['a wrong type', push((s) => (s['version'] = '8')), /^version: invalid_type$/],
  ['a missing field', push((s) => delete s['logging']), /^logging: invalid_/],
  ['an unknown screen', push((s) => (s['screen'] = 'lottery')), /^screen: invalid_value$/],
  ['a field the contract does not know', push((s) => (s['birthday'] = '1956-04-17')), /^\(root\): unrecognized_keys$/],
  ['a wrong type deep inside', push((s) => ((s['application'] as { form: { name: unknown } }).form.name = 42)), /^application\.form\.name: invalid_type$/],
  ['a card job at a stage the contract does not know', push((s) => ((s['printQueue'] as { jobs: { stage: unknown }[] }).jobs[0]!.stage = 'lottery')), /^printQueue\.jobs\.0\.stage: invalid_value$/],
  ['no JSON at all', '{"screen": "home", A123456789', /^\(root\): not JSON$/],
];

describe('the snapshot feed reads every push with the contract before the screen sees it', () => {
  it('shows a good push', () => {
    const feed = createSnapshotFeed(() => {});
    const listener = vi.fn();
    feed.subscribe(listener);
    feed.receive(push());
    expect(feed.current()).toEqual({ snapshot: goodSnapshot, unreadable: false });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it.each(malformed)('refuses %s: the last good snapshot stays, the notice shows, the issue paths are reported without values', (_name, text, issue) => {
    const reports: Unreadable[] = [];
    const feed = createSnapshotFeed((unreadable) => reports.push(unreadable));
    feed.receive(push());
    const shown = feed.current().snapshot;

    feed.receive(text);
    expect(feed.current().snapshot).toBe(shown);
    expect(feed.current().unreadable).toBe(true);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.what).toBe('snapshot');
    expect(reports[0]?.issues.some((line) => issue.test(line))).toBe(true);
    const said = JSON.stringify(reports);
    for (const value of ['lottery', 'A123456789', 'CHEN', '1956-04-17', '"8"', '42']) expect(said).not.toContain(value);

    // The next good push is shown again, and the notice goes.
    feed.receive(push((s) => (s['version'] = 8)));
    expect(feed.current()).toMatchObject({ snapshot: { version: 8 }, unreadable: false });
  });

  it('refuses a bad first push too: nothing to show, and the notice', () => {
    const feed = createSnapshotFeed(() => {});
    feed.receive(push((s) => (s['screen'] = 'lottery')));
    expect(feed.current()).toEqual({ snapshot: null, unreadable: true });
  });

  it('keeps a newer snapshot over an older push that crossed it', () => {
    const feed = createSnapshotFeed(() => {});
    feed.receive(push((s) => (s['version'] = 9)));
    feed.receive(push());
    expect(feed.current().snapshot?.version).toBe(9);
  });

  it('logs the issue paths to the console by default, and nothing of the values', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      createSnapshotFeed().receive(push((s) => ((s['application'] as { form: { idNumber: unknown } }).form.idNumber = ['A123456789'])));
      expect(errors).toHaveBeenCalledTimes(1);
      const line = String(errors.mock.calls[0]?.[0]);
      expect(line).toContain('application.form.idNumber: invalid_type');
      expect(line).not.toContain('A123456789');
    } finally {
      errors.mockRestore();
    }
  });

  it('says so on screen in all four languages, and nothing while the pushes are good', () => {
    for (const locale of locales) {
      const html = renderToStaticMarkup(<LocaleContext.Provider value={locale}><UnreadableNotice shown /></LocaleContext.Provider>).replaceAll('&#x27;', "'");
      expect(html).toContain('role="alert"');
      expect(html).toContain(messages[locale].controllerUnreadable);
    }
    expect(renderToStaticMarkup(<UnreadableNotice shown={false} />)).toBe('');
  });
});
