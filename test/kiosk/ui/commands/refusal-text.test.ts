import { describe, expect, it } from 'vitest';
import { refusalText, type RefusedReply } from '../../../../kiosk/ui/src/commands/refusal-text';
import { refused, type RefusalCode } from '../../../../shared/contract/kiosk-api';
import { locales, messages } from '../../../../shared/i18n/messages';

const roleRefusal: RefusedReply = { accepted: false, code: 'role', role: 'technician', reason: 'a technician may not issue card' };
/** Every code but 'other', with a reason as the controller words it. */
const coded: ReadonlyArray<RefusedReply> = [
  roleRefusal,
  ...([
    ['wrong-screen', "'confirm-print' is not possible on the home screen now"],
    ['sign-in-first', 'sign in first: tap your staff card on the reader'],
    ['token', 'missing or wrong kiosk token: it changes at every start'],
    ['out-of-service', 'out of service: the kiosk door was opened'],
    ['invalid-input', 'invalid command: fields.birthDate: Invalid string'],
    ['technician-only', 'only a technician can put the kiosk back in service'],
    ['door-open', 'shut the door first'],
    ['tap-card-to-void', 'tap the card to void on the counter reader first'],
    ['ask-staff', 'issue-card is not offered unattended: ask the staff at the service desk'],
    ['disk-full', 'the data disk is full: /var/kiosk has 3.0 MB free, below the 64.0 MB the kiosk keeps for its records; free space there or call a technician'],
  ] as const satisfies ReadonlyArray<readonly [RefusalCode, string]>).map(([code, reason]) => refused(code, reason) as RefusedReply),
];

describe('refusal texts', () => {
  it('says a role refusal in the screen language, naming the role', () => {
    expect(refusalText(roleRefusal, 'zh-TW')).toEqual({ text: '您的身分（技術人員）無權執行此操作。', detail: null });
    expect(refusalText(roleRefusal, 'en').text).toBe('Your role (Technician) is not allowed to do this.');
    expect(refusalText(roleRefusal, 'vi').text).toContain('Kỹ thuật viên');
    expect(refusalText(roleRefusal, 'id').text).toContain('Teknisi');
  });

  it('gives every coded refusal its own sentence in all four languages, never the English reason', () => {
    for (const locale of locales) {
      const sentences = new Set<string>();
      for (const refusal of coded) {
        const said = refusalText(refusal, locale);
        expect(said.text, refusal.code).not.toBe(messages[locale].refusalOther);
        expect(said.text).not.toContain('{role}');
        expect(said.text).not.toBe(refusal.reason);
        if (locale !== 'en') expect(said.text).not.toBe(refusalText(refusal, 'en').text);
        if (refusal.code !== 'role') expect(Object.values(messages[locale])).toContain(said.text);
        sentences.add(said.text);
      }
      expect(sentences.size).toBe(coded.length);
    }
  });

  it('falls back to "could not be done" with the controller\'s own words beneath', () => {
    const other = refused('other', 'busy with the previous frame') as RefusedReply;
    expect(refusalText(other, 'vi')).toEqual({ text: messages.vi.refusalOther, detail: 'busy with the previous frame' });
    expect(refusalText(refused('other', '') as RefusedReply, 'en')).toEqual({ text: messages.en.refusalOther, detail: null });
    // A role refusal without the role cannot name it: said generically, with the words.
    expect(refusalText(refused('role', 'a role may not') as RefusedReply, 'en')).toEqual({ text: messages.en.refusalOther, detail: 'a role may not' });
    // Invalid input keeps the field's name for whoever fixes it.
    expect(refusalText(coded.find((r) => r.code === 'invalid-input')!, 'zh-TW').detail).toMatch(/birthDate/);
    // A full disk keeps how full and where, for the technician.
    expect(refusalText(coded.find((r) => r.code === 'disk-full')!, 'vi')).toEqual({ text: messages.vi.refusalDiskFull, detail: expect.stringMatching(/3\.0 MB free/) });
  });
});
