import { message, type Message } from '../../../shared/contract/messages';
import type { PhotoCheckId } from './verdict';

/**
 * What the applicant hears for each outcome, as message codes: the UI words them in the applicant's
 * language (shared/i18n/message-catalogue.ts: short, kind, an action they can take). Left/right are
 * the applicant's own, so they hold whether or not the preview is mirrored.
 */
export const photoMessages = {
  noFace: message('photo.no-face'),
  manyFaces: message('photo.many-faces'),
  comeCloser: message('photo.come-closer'),
  moveBack: message('photo.move-back'),
  moveToYourLeft: message('photo.move-to-your-left'),
  moveToYourRight: message('photo.move-to-your-right'),
  moveUp: message('photo.move-up'),
  moveDown: message('photo.move-down'),
  faceCamera: message('photo.face-camera'),
  headStraight: message('photo.head-straight'),
  openEyes: message('photo.open-eyes'),
  openBothEyes: message('photo.open-both-eyes'),
  tooDark: message('photo.too-dark'),
  tooBright: message('photo.too-bright'),
  lowContrast: message('photo.low-contrast'),
  blurred: message('photo.blurred'),
  darkBackground: message('photo.dark-background'),
  busyBackground: message('photo.busy-background'),
  /** The bytes are not a JPEG or PNG that can be decoded. */
  unreadable: message('photo.unreadable'),
  /** The accepted photo could not be cut to the card and archive sizes (a check of the controller's own). */
  cropFailed: message('photo.crop-failed'),
  pass: {
    'one-face': message('photo.passed.one-face'),
    'head-height': message('photo.passed.head-height'),
    centred: message('photo.passed.centred'),
    frontal: message('photo.passed.frontal'),
    'eyes-open': message('photo.passed.eyes-open'),
    brightness: message('photo.passed.brightness'),
    contrast: message('photo.passed.contrast'),
    sharpness: message('photo.passed.sharpness'),
    background: message('photo.passed.background'),
  } satisfies Record<PhotoCheckId, Message>,
  notMeasured: message('photo.not-measured'),
} as const;
