import { message } from '../../../../shared/contract/messages';
import { emptyApplicationForm, type KioskSnapshot, type SelfServiceView, type SessionView } from '../../../../shared/contract/kiosk-api';

/** A signed-in operator on the application screen, the last applicant's card printing: a snapshot as the controller sends it. */
export const goodSnapshot: KioskSnapshot = {
  screen: 'application',
  mode: 'staffed',
  selfService: null,
  speech: { volume: 0.8 },
  session: { state: 'signed-in', operator: { name: 'Operator Lin', role: 'operator' }, approval: null, message: null, idleSecondsLeft: null, mayStartApplication: true, mayClearTamper: false },
  outOfService: null,
  cardCheck: null,
  version: 7,
  application: {
    form: { ...emptyApplicationForm, name: 'CHEN MEI-LING', idNumber: 'A123456789', birthDate: '1956-04-17' },
    source: 'manual',
    scannedFields: [],
    confirmingDiscard: false,
    documentProblems: [],
    eligibility: null,
    problems: [message('application.choose-card-type')],
    fee: 0,
  },
  photo: { attempts: 0, maxAttempts: 3, evaluating: false, checks: [], passed: null, overrideAllowed: false, accepted: false, faceMatch: null, live: null },
  previewUrl: null,
  rendering: false,
  fee: null,
  applicant: { language: 'zh-TW', stage: 'application', details: null, preview: null, jobId: null },
  error: null,
  printQueue: {
    paused: false,
    jobs: [
      {
        jobId: 'job-1', ticket: 1, initials: 'N.T.H.', stage: 'printing', completed: [], stageSeconds: 4, cardType: 'general',
        cardNumber: '3300011000000014', uid: null, error: null, mine: true, mayTakeOver: false,
        progress: { step: 'print-front', fraction: 0.2, secondsLeft: 22, steps: [] }, summary: null,
      },
    ],
  },
  serviceSession: {
    id: 'session-1',
    site: '中壢轉運站',
    mode: 'transit-station',
    openedAt: '2026-12-06T01:00:00.000Z',
    stock: {
      easycard: { loaded: 10, issued: 3, spoiled: 1, returned: 0, inHand: 6, queued: 1, free: 5 },
      ipass: { loaded: 5, issued: 2, spoiled: 0, returned: 0, inHand: 3, queued: 0, free: 3 },
    },
    ribbon: { printsLeft: 240, cardsFree: 119 },
    warnings: [{ kind: 'blanks-low', scheme: 'ipass', free: 3 }],
  },
  batch: null,
  devices: {
    printer: { state: 'connected', simulated: true, detail: '' },
    scanner: { state: 'connected', simulated: true, detail: '' },
    nfc: { state: 'connected', simulated: true, detail: '' },
    board: { state: 'connected', simulated: true, detail: '' },
  },
  logging: { state: 'writing' },
};

export const signedOutSession: SessionView = { state: 'signed-out', operator: null, approval: null, message: null, idleSecondsLeft: null, mayStartApplication: false, mayClearTamper: false };

let selfServiceVersion = 100;
/**
 * What the controller sends an unattended kiosk with nobody signed in: the self-service view and nothing of
 * anyone. Each call a newer version, unless `fields` sets one (a test mixing it with its own snapshots).
 */
export function selfServiceSnapshot(view: SelfServiceView, fields: Partial<KioskSnapshot> = {}): KioskSnapshot {
  return {
    ...goodSnapshot,
    screen: 'home',
    mode: 'self-service',
    selfService: view,
    session: signedOutSession,
    serviceSession: null,
    printQueue: { paused: false, jobs: [] },
    batch: null,
    version: selfServiceVersion++,
    ...fields,
  };
}
