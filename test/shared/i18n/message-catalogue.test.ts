import { describe, expect, it } from 'vitest';
import { kioskSnapshotSchema, sessionViewSchema } from '../../../shared/contract/kiosk-api';
import { message, messageCodes, messageParams, messageSchema, type MessageCode, type MessageParamValue } from '../../../shared/contract/messages';
import { englishOf, messageCatalogue, renderMessage, textOf } from '../../../shared/i18n/message-catalogue';
import { locales } from '../../../shared/i18n/messages';

/** A distinct value per parameter, so that each one is seen where it belongs. */
const sampleValue = (name: string, index: number): MessageParamValue => (index % 2 === 0 ? 7 + index : `‹${name}›`);
const sampleOf = (code: MessageCode) => ({
  code,
  params: Object.fromEntries(messageParams[code].map((name: string, index) => [name, sampleValue(name, index)])),
});
const placeholdersOf = (sentence: string): string[] => [...sentence.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');

describe('the message catalogue', () => {
  it('renders every code in every locale with its parameters filled in, no {param} left', () => {
    const problems: string[] = [];
    for (const code of messageCodes) {
      const sample = sampleOf(code);
      for (const locale of locales) {
        const text = renderMessage(locale, sample);
        if (!/\S/.test(text)) problems.push(`${locale} ${code}: empty`);
        if (/[{}]/.test(text)) problems.push(`${locale} ${code}: "${text}" has a placeholder left`);
        for (const value of Object.values(sample.params)) if (!text.includes(String(value))) problems.push(`${locale} ${code}: ${value} not shown`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('asks in each sentence for exactly the parameters its code declares', () => {
    for (const locale of locales) {
      for (const code of messageCodes) {
        expect(placeholdersOf(messageCatalogue[locale][code]).sort(), `${locale} ${code}`).toEqual([...messageParams[code]].sort());
      }
    }
  });

  it('words no code the contract does not know', () => {
    for (const locale of locales) expect(Object.keys(messageCatalogue[locale]).sort(), locale).toEqual([...messageCodes].sort());
  });

  it('speaks Chinese on a Chinese screen and not English elsewhere', () => {
    for (const code of messageCodes) {
      const text = textOf(sampleOf(code));
      expect(text.zh, code).toMatch(/[\u3400-\u9fff]/);
      expect(text.vi, code).not.toBe(text.en);
      expect(text.id, code).not.toBe(text.en);
    }
  });

  it('keeps the English rendering for logs and refusal reasons', () => {
    expect(englishOf(message('staff.wrong-pin', { attemptsLeft: 2 }))).toBe('Wrong PIN: 2 tries left');
    expect(englishOf(message('staff.locked', { until: '14:05' }))).toBe('Too many wrong PINs: locked until 14:05');
    expect(renderMessage('zh-TW', message('staff.wrong-pin', { attemptsLeft: 2 }))).toBe('密碼錯誤，還可再試 2 次');
    expect(renderMessage('vi', message('staff.wrong-pin', { attemptsLeft: 2 }))).toBe('Sai mã PIN: còn 2 lần thử');
    expect(renderMessage('id', message('staff.wrong-pin', { attemptsLeft: 2 }))).toBe('PIN salah: sisa 2 kali percobaan');
  });
});

describe('a coded message in the contract', () => {
  it('carries a known code with the parameters it declares', () => {
    expect(messageSchema.safeParse({ code: 'staff.wrong-pin', params: { attemptsLeft: 3 } }).success).toBe(true);
    expect(messageSchema.safeParse({ code: 'photo.no-face', params: {} }).success).toBe(true);
  });

  it('refuses an unknown code, a missing or unexpected parameter, and a sentence in its place', () => {
    expect(messageSchema.safeParse({ code: 'staff.no-such-code', params: {} }).success).toBe(false);
    expect(messageSchema.safeParse({ code: 'staff.wrong-pin', params: {} }).success).toBe(false);
    expect(messageSchema.safeParse({ code: 'photo.no-face', params: { face: 'none' } }).success).toBe(false);
    expect(messageSchema.safeParse({ code: 'photo.no-face', params: { extra: { nested: true } } }).success).toBe(false);
    expect(messageSchema.safeParse({ zh: '密碼錯誤', en: 'Wrong PIN' }).success).toBe(false);
  });

  it('is what the session and the photo checks carry', () => {
    expect(sessionViewSchema.shape.message.unwrap()).toBe(messageSchema);
    const photo = kioskSnapshotSchema.shape.photo.shape.checks.element.shape.message;
    expect(photo).toBe(messageSchema);
  });
});
