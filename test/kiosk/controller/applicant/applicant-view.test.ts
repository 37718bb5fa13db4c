import { describe, expect, it } from 'vitest';
import { applicantView, maskIdNumber } from '../../../../kiosk/controller/applicant/applicant-view';
import { DeviceStatusBoard } from '../../../../kiosk/controller/device-status';
import { issuanceMachine } from '../../../../kiosk/controller/issuance/issuance-machine';
import { createKioskController } from '../../../../kiosk/controller/kiosk-controller';
import { applicantViewSchema } from '../../../../shared/contract/applicant';
import { emptyApplicationForm, type KioskCommand } from '../../../../shared/contract/kiosk-api';
import { silentLog } from '../../../../shared/log';
import { issuanceHarness, untilStages } from '../issuance/issuance-harness';

/** The applicant's window: what the controller lets it show, and the applicant's language as flow state. */

describe('the ID number on the applicant window', () => {
  it('keeps the first three and the last two characters of a Taiwan ID or ARC number', () => {
    expect(maskIdNumber('A123456789')).toBe('A12*****89');
    expect(maskIdNumber('H900001234')).toBe('H90*****34');
    expect(maskIdNumber(' AB123456789 ')).toBe('AB1******89');
  });

  it('shows only the last two of a short number, and nothing of a tiny one', () => {
    expect(maskIdNumber('123456')).toBe('****56');
    expect(maskIdNumber('12')).toBe('**');
    expect(maskIdNumber('')).toBe('');
  });
});

describe('applicantView', () => {
  const form = { ...emptyApplicationForm, idNumber: 'A123456789', name: 'NGUYEN THI THU HUONG', nameZh: '阮氏秋香', birthDate: '1988-03-09', cardType: 'general' as const };
  const base = { language: 'vi' as const, form, fee: 94, previewCard: '3300011000000014', jobId: null };

  it('shows the details, the fee and both card sides on review only, the ID masked', () => {
    const view = applicantView({ ...base, screen: 'review' });
    expect(applicantViewSchema.parse(view)).toEqual({
      language: 'vi',
      stage: 'review',
      details: { name: 'NGUYEN THI THU HUONG', nameZh: '阮氏秋香', birthDate: '1988-03-09', cardType: 'general', idNumber: 'A12*****89', fee: 94 },
      preview: { front: 'api/preview.png?card=3300011000000014', back: 'api/preview.png?card=3300011000000014&side=back' },
      jobId: null,
    });
    expect(JSON.stringify(view)).not.toContain('A123456789');
    for (const screen of ['application', 'photo'] as const) {
      expect(applicantView({ ...base, screen })).toMatchObject({ stage: screen, details: null, preview: null });
    }
  });

  it('follows the confirmed card at home, and welcomes when there is none', () => {
    expect(applicantView({ ...base, screen: 'home', jobId: 'job-1' })).toMatchObject({ stage: 'card', jobId: 'job-1', details: null, preview: null });
    expect(applicantView({ ...base, screen: 'home' })).toMatchObject({ stage: 'welcome', jobId: null, details: null });
  });
});

describe("the applicant's language and card, as the flow keeps them", () => {
  function kiosk() {
    const harness = issuanceHarness();
    const controller = createKioskController(issuanceMachine.provide({}), new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true }), silentLog, { actor: harness.actor as never });
    const send = async (command: KioskCommand): Promise<void> => {
      expect(await controller.command(command), command.type).toEqual({ accepted: true });
    };
    const view = () => controller.snapshot().applicant;
    const untilScreen = async (screen: string): Promise<void> => {
      for (let turn = 0; turn < 200 && controller.screen() !== screen; turn += 1) await new Promise((resolve) => setTimeout(resolve, 1));
      expect(controller.screen()).toBe(screen);
    };
    /** An application taken to review with the language chosen on the way. */
    const toReview = async (): Promise<void> => {
      await send({ type: 'start-application' });
      await send({ type: 'update-application', fields: { name: 'NGUYEN THI THU HUONG', idNumber: 'A123456789', birthDate: '1988-03-09', cardType: 'general' } });
      await untilScreen('application');
      for (let turn = 0; turn < 50 && !(await controller.command({ type: 'submit-application' })).accepted; turn += 1) await new Promise((resolve) => setTimeout(resolve, 1));
      await untilScreen('photo');
      await send({ type: 'capture-photo', jpegBase64: 'A'.repeat(32) });
      await untilScreen('review');
      for (let turn = 0; turn < 200 && controller.snapshot().previewUrl === null; turn += 1) await new Promise((resolve) => setTimeout(resolve, 1));
    };
    return { harness, controller, send, view, toReview, untilScreen };
  }

  it('is Chinese until chosen, kept from the welcome through the review to the card, and goes when the card is taken', async () => {
    const k = kiosk();
    expect(k.view()).toMatchObject({ language: 'zh-TW', stage: 'welcome' });
    await k.send({ type: 'set-applicant-language', language: 'vi' });
    expect(k.view()).toMatchObject({ language: 'vi', stage: 'welcome' });
    await k.toReview();
    expect(k.view()).toMatchObject({ language: 'vi', stage: 'review', details: { idNumber: 'A12*****89' } });
    expect(k.view()?.preview?.back).toMatch(/side=back$/);

    await k.send({ type: 'confirm-print' });
    await untilStages(k.harness.actor, { 1: 'ready' });
    expect(k.controller.screen()).toBe('home');
    const jobId = k.controller.snapshot().printQueue.jobs[0]?.jobId;
    expect(k.view()).toEqual({ language: 'vi', stage: 'card', details: null, preview: null, jobId });

    await k.send({ type: 'finish', jobId: jobId ?? '' });
    await untilStages(k.harness.actor, {});
    expect(k.view()).toEqual({ language: 'zh-TW', stage: 'welcome', details: null, preview: null, jobId: null });
    k.controller.stop();
  });

  it('is not the next applicant\'s: a new application while the last card prints starts in Chinese', async () => {
    const k = kiosk();
    await k.toReview();
    await k.send({ type: 'set-applicant-language', language: 'id' });
    await k.send({ type: 'confirm-print' });
    await k.send({ type: 'start-application' });
    expect(k.view()).toMatchObject({ language: 'zh-TW', stage: 'application', jobId: null });
    k.controller.stop();
  });

  it('goes when the application is cancelled', async () => {
    const k = kiosk();
    await k.send({ type: 'start-application' });
    await k.send({ type: 'set-applicant-language', language: 'en' });
    expect(k.view()).toMatchObject({ language: 'en', stage: 'application' });
    await k.send({ type: 'cancel' });
    expect(k.view()).toMatchObject({ language: 'zh-TW', stage: 'welcome' });
    k.controller.stop();
  });
});
