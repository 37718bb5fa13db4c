import { describe, expect, it } from 'vitest';
import { classifyRefusal, refusalText } from '../../../../kiosk/ui/src/commands/refusal-text';
import { locales, messages } from '../../../../shared/i18n/messages';

/** Reasons exactly as the controller words them (kiosk-controller.ts, request-guard.ts, server.ts). */
const controllerReasons = {
  role: 'a technician may not issue card',
  wrongScreen: "'confirm-print' is not possible on the home screen now",
  signInFirst: 'sign in first: tap your staff card on the reader',
  token: 'missing or wrong kiosk token: it changes at every start, so open the kiosk from the address (with ?token=) the controller gave at this start',
  outOfService: 'out of service: the kiosk door was opened',
  invalid: 'invalid command: fields.birthDate: Invalid string',
  technicianOnly: 'only a technician can put the kiosk back in service',
  door: 'shut the door first',
  voidFirst: 'tap the card to void on the counter reader first',
  unknown: 'busy with the previous frame',
};

describe('refusal texts', () => {
  it('recognises the refusals a person meets at the counter', () => {
    expect(classifyRefusal(controllerReasons.role)).toEqual({ kind: 'role', role: 'technician' });
    expect(classifyRefusal('a supervisor may not change devices')).toEqual({ kind: 'role', role: 'supervisor' });
    expect(classifyRefusal(controllerReasons.wrongScreen)).toEqual({ kind: 'wrong-screen' });
    expect(classifyRefusal(controllerReasons.signInFirst)).toEqual({ kind: 'sign-in-first' });
    expect(classifyRefusal(controllerReasons.token)).toEqual({ kind: 'token' });
    expect(classifyRefusal(controllerReasons.outOfService)).toEqual({ kind: 'out-of-service' });
    expect(classifyRefusal(controllerReasons.invalid)).toEqual({ kind: 'invalid-input' });
    expect(classifyRefusal(controllerReasons.technicianOnly)).toEqual({ kind: 'technician-only' });
    expect(classifyRefusal(controllerReasons.door)).toEqual({ kind: 'door-open' });
    expect(classifyRefusal(controllerReasons.voidFirst)).toEqual({ kind: 'tap-card-to-void' });
    expect(classifyRefusal(controllerReasons.unknown)).toEqual({ kind: 'other' });
  });

  it('says a role refusal in the screen language, naming the role', () => {
    expect(refusalText(controllerReasons.role, 'zh-TW')).toEqual({ text: '您的身分（技術人員）無權執行此操作。', detail: null });
    expect(refusalText(controllerReasons.role, 'en').text).toBe('Your role (Technician) is not allowed to do this.');
    expect(refusalText(controllerReasons.role, 'vi').text).toContain('Kỹ thuật viên');
    expect(refusalText(controllerReasons.role, 'id').text).toContain('Teknisi');
  });

  it('gives every recognised refusal its own sentence in all four languages, never the English reason', () => {
    for (const locale of locales) {
      for (const [name, reason] of Object.entries(controllerReasons)) {
        if (name === 'unknown') continue;
        const said = refusalText(reason, locale);
        expect(said.text).not.toBe(messages[locale].refusalOther);
        expect(said.text).not.toContain('{role}');
        expect(said.text).not.toBe(reason);
        if (locale !== 'en') expect(said.text).not.toBe(refusalText(reason, 'en').text);
        if (name !== 'role') expect(Object.values(messages[locale])).toContain(said.text);
      }
    }
  });

  it('falls back to "could not be done" with the controller\'s own words beneath', () => {
    expect(refusalText(controllerReasons.unknown, 'vi')).toEqual({ text: messages.vi.refusalOther, detail: controllerReasons.unknown });
    expect(refusalText('', 'en')).toEqual({ text: messages.en.refusalOther, detail: null });
    // Invalid input keeps the field's name for whoever fixes it.
    expect(refusalText(controllerReasons.invalid, 'zh-TW').detail).toBe(controllerReasons.invalid);
  });
});
