import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, waitFor } from 'xstate';
import { issuanceMachine, type Assessment, type PhotoVerdict } from '../../../../kiosk/controller/issuance/issuance-machine';
import { message } from '../../../../shared/contract/messages';
import { eligibleGeneral, goodPhoto, issuanceHarness, toPhoto, toReview, type IssuanceActor } from './issuance-harness';

/** Nothing lost to one tap: Cancel after a scan or a photo asks first; Back never discards. */

const scanned = { idNumber: 'H900001234', name: 'NGUYEN THI THU HUONG', birthDate: '1994-11-03', sex: 'F', nationality: 'VNM', documentNumber: 'RA1234567' } as const;

const noFace: PhotoVerdict = {
  passed: false,
  checks: [{ id: 'one-face', passed: true, value: 1, threshold: '= 1', message: message('photo.many-faces') }, { id: 'light', passed: false, value: 0, threshold: '>= 1', message: message('photo.come-closer') }],
  cardPhoto: new Uint8Array([0xc0]),
  archivePhoto: new Uint8Array([0xa0]),
  faceMatch: null,
};

async function scannedApplication(actor: IssuanceActor): Promise<void> {
  actor.send({ type: 'start-application' });
  actor.send({ type: 'document-read', fields: scanned, problems: [] });
  await waitFor(actor, (s) => s.matches({ applicant: { application: 'editing' } }));
}

const at = (actor: IssuanceActor, state: object | string): boolean => actor.getSnapshot().matches({ applicant: state } as never);

describe('Cancel after a scan or a photo asks "discard this application?"', () => {
  it('on the application: Cancel asks; "keep" returns to the form as it was; "discard" empties it', async () => {
    const { actor } = issuanceHarness();
    await scannedApplication(actor);
    actor.send({ type: 'cancel' });
    expect(at(actor, { application: 'confirmingDiscard' })).toBe(true);
    expect(actor.getSnapshot().can({ type: 'submit-application' })).toBe(false);
    actor.send({ type: 'keep-application' });
    await waitFor(actor, (s) => s.matches({ applicant: { application: 'editing' } }));
    expect(actor.getSnapshot().context.form).toMatchObject(scanned);
    actor.send({ type: 'cancel' });
    actor.send({ type: 'confirm-discard' });
    expect(at(actor, 'home')).toBe(true);
    expect(actor.getSnapshot().context.form.name).toBe('');
    expect(actor.getSnapshot().context.scannedFields).toEqual([]);
  });

  it('a form typed by hand, nothing scanned and no photo, goes at one tap', async () => {
    const { actor } = issuanceHarness();
    actor.send({ type: 'start-application' });
    actor.send({ type: 'update-application', fields: { name: 'CHEN MEI LING' } });
    await waitFor(actor, (s) => s.matches({ applicant: { application: 'editing' } }));
    actor.send({ type: 'cancel' });
    expect(at(actor, 'home')).toBe(true);
  });

  it('on the photo screen after a capture: Cancel asks, "keep" stays with the attempt counted, "discard" goes home', async () => {
    const { actor } = issuanceHarness({ photo: [noFace] });
    await toPhoto(actor);
    actor.send({ type: 'capture-photo', image: new Uint8Array([1]) });
    await waitFor(actor, (s) => s.matches({ applicant: { photo: 'waiting' } }) && s.context.photo.attempts === 1);
    actor.send({ type: 'cancel' });
    expect(at(actor, { photo: 'confirmingDiscard' })).toBe(true);
    actor.send({ type: 'keep-application' });
    expect(at(actor, { photo: 'waiting' })).toBe(true);
    expect(actor.getSnapshot().context.photo.attempts).toBe(1);
    actor.send({ type: 'cancel' });
    actor.send({ type: 'confirm-discard' });
    expect(at(actor, 'home')).toBe(true);
    expect(actor.getSnapshot().context.photo.attempts).toBe(0);
  });

  it('on the review: Cancel asks and the job stays open; "keep" shows the same card face; "discard" closes the job', async () => {
    const { actor, calls } = issuanceHarness();
    await toReview(actor);
    actor.send({ type: 'cancel' });
    expect(at(actor, { review: 'confirmingDiscard' })).toBe(true);
    expect(actor.getSnapshot().can({ type: 'confirm-print' })).toBe(false);
    expect(calls).toEqual([]);
    actor.send({ type: 'keep-application' });
    expect(at(actor, { review: 'ready' })).toBe(true);
    expect(actor.getSnapshot().context.preview?.cardNumber).toBe('TY0001');
    actor.send({ type: 'cancel' });
    actor.send({ type: 'confirm-discard' });
    await waitFor(actor, (s) => s.matches({ applicant: 'home' }));
    expect(calls).toEqual(['abandon:job-1:false:cancelled']);
  });
});

describe('Back never discards', () => {
  it('review → back → photo keeps the accepted photo: "use photo" returns to the review without a new attempt', async () => {
    const { actor, evaluated, rendered } = issuanceHarness();
    await toReview(actor);
    actor.send({ type: 'back' });
    await waitFor(actor, (s) => s.matches({ applicant: { photo: 'waiting' } }));
    expect(actor.getSnapshot().context.photo.best?.verdict).toEqual(goodPhoto);
    actor.send({ type: 'use-photo' });
    await waitFor(actor, (s) => s.matches({ applicant: { review: 'ready' } }));
    expect(evaluated).toHaveLength(1);
    expect(actor.getSnapshot().context.photo.attempts).toBe(1);
    expect(rendered).toEqual([goodPhoto.cardPhoto, goodPhoto.cardPhoto]);
  });

  it('photo → back → application keeps the form and the photo attempts', async () => {
    const { actor } = issuanceHarness({ photo: [noFace] });
    await toPhoto(actor);
    actor.send({ type: 'capture-photo', image: new Uint8Array([1]) });
    await waitFor(actor, (s) => s.matches({ applicant: { photo: 'waiting' } }) && s.context.photo.attempts === 1);
    actor.send({ type: 'back' });
    await waitFor(actor, (s) => s.matches({ applicant: { application: 'editing' } }));
    expect(actor.getSnapshot().context.form.name).toBe('A');
    actor.send({ type: 'submit-application' });
    expect(at(actor, { photo: 'waiting' })).toBe(true);
    expect(actor.getSnapshot().context.photo.attempts).toBe(1);
    expect(actor.getSnapshot().context.photo.best).not.toBeNull();
    // A photo that failed its checks is not one to go on with.
    expect(actor.getSnapshot().can({ type: 'use-photo' })).toBe(false);
  });

  it('an approved override survives Back from the review; a new capture is judged on its own', async () => {
    const { actor } = issuanceHarness({ photo: [noFace, noFace, noFace, goodPhoto] });
    await toPhoto(actor);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      actor.send({ type: 'capture-photo', image: new Uint8Array([attempt]) });
      await waitFor(actor, (s) => s.matches({ applicant: { photo: 'waiting' } }) && s.context.photo.attempts === attempt);
    }
    actor.send({ type: 'override-photo', reason: 'bedridden applicant', approvedBy: 'SUP-7' });
    await waitFor(actor, (s) => s.matches({ applicant: { review: 'ready' } }));
    actor.send({ type: 'back' });
    await waitFor(actor, (s) => s.matches({ applicant: { photo: 'waiting' } }));
    expect(actor.getSnapshot().context.photo.override).toEqual({ reason: 'bedridden applicant', approvedBy: 'SUP-7' });
    actor.send({ type: 'use-photo' });
    await waitFor(actor, (s) => s.matches({ applicant: { review: 'ready' } }));
    expect(actor.getSnapshot().context.photo.override).not.toBeNull();
  });
});

describe('the scanned fields and the recommended card type', () => {
  it('remembers which fields the scanner filled until the operator corrects one', async () => {
    const { actor } = issuanceHarness();
    await scannedApplication(actor);
    expect([...actor.getSnapshot().context.scannedFields].sort()).toEqual(['birthDate', 'documentNumber', 'idNumber', 'name', 'nationality', 'sex']);
    actor.send({ type: 'update-application', fields: { name: 'NGUYEN THI THU HUONG ANH' } });
    expect(actor.getSnapshot().context.scannedFields).not.toContain('name');
    expect(actor.getSnapshot().context.scannedFields).toContain('idNumber');
  });

  it('preselects the recommended card type when none is chosen, never over the operator\'s choice', async () => {
    const assessed: string[] = [];
    const recommending: Assessment = { ...eligibleGeneral, eligibility: { cards: [], guardianConsentRequired: false, recommended: 'senior' } };
    const machine = issuanceMachine.provide({
      actors: {
        assessApplication: fromPromise(async ({ input }) => {
          assessed.push(input.form.cardType);
          return recommending;
        }),
      },
    });
    const actor = createActor(machine, { input: {} }).start();
    actor.send({ type: 'start-application' });
    actor.send({ type: 'update-application', fields: { name: 'LIN' } });
    await waitFor(actor, (s) => s.matches({ applicant: { application: 'editing' } }));
    expect(actor.getSnapshot().context.form.cardType).toBe('senior');
    // Assessed again with the preselected type, so its fee and problems are the ones shown.
    expect(assessed.slice(-2)).toEqual(['', 'senior']);
    actor.send({ type: 'update-application', fields: { cardType: 'general' } });
    await waitFor(actor, (s) => s.matches({ applicant: { application: 'editing' } }));
    expect(actor.getSnapshot().context.form.cardType).toBe('general');
  });
});
