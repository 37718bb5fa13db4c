import type { DevCommand, KioskCommand } from '../../../shared/contract/kiosk-api';
import { sendCommand, sendDevCommand, type Reply } from './api';
import { createNoticeBoard, type Report } from './commands/notice-board';

/** The screen's one notice of the last command's outcome (shown by App). */
export const notices = createNoticeBoard((ms, run) => {
  const timer = window.setTimeout(run, ms);
  return () => window.clearTimeout(timer);
});

/** Sends a command; a refusal or an unreachable controller shows on screen. Never rejects. */
export const command = (kioskCommand: KioskCommand, report: Report = 'all'): Promise<Reply> => notices.run(() => sendCommand(kioskCommand), report);

/** The dev panel's sends: it shows its own replies, so only an unreachable controller goes to the notice. */
export const devCommand = (dev: DevCommand): Promise<Reply> => notices.run(() => sendDevCommand(dev), 'unreachable-only');
