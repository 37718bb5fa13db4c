import type { Bilingual } from '../../../shared/contract/kiosk-api';

/**
 * What the applicant hears for each outcome: short, kind, an action they can take.
 * Left/right are the applicant's own, so they hold whether or not the preview is mirrored.
 */
export const photoMessages = {
  ok: { zh: '很好，請保持不動', en: 'Good, please hold still' },
  noFace: { zh: '看不到臉，請面向鏡頭', en: 'We cannot see a face: please face the camera' },
  manyFaces: { zh: '畫面中只能有一個人', en: 'Only one person may be in the picture' },
  comeCloser: { zh: '請靠近一點', en: 'Please come a little closer' },
  moveBack: { zh: '請退後一點', en: 'Please move back a little' },
  moveToYourLeft: { zh: '請往您的左邊移一點', en: 'Please move a little to your left' },
  moveToYourRight: { zh: '請往您的右邊移一點', en: 'Please move a little to your right' },
  moveUp: { zh: '請把頭抬高一點，放進框線內', en: 'Please raise your head a little, into the oval' },
  moveDown: { zh: '請把頭放低一點，放進框線內', en: 'Please lower your head a little, into the oval' },
  faceCamera: { zh: '請正面看著鏡頭', en: 'Please look straight at the camera' },
  headStraight: { zh: '請把頭擺正，不要歪斜', en: 'Please hold your head upright' },
  openEyes: { zh: '您的眼睛看起來是閉著的，請張開眼睛', en: 'Your eyes look closed: please keep them open' },
  openBothEyes: { zh: '有一隻眼睛看起來是閉著的，請兩眼都張開', en: 'One of your eyes looks closed: please keep both eyes open' },
  tooDark: { zh: '太暗了，請面向燈光', en: 'It is too dark: please face the light' },
  tooBright: { zh: '太亮了，請避開強光', en: 'It is too bright: please move out of strong light' },
  lowContrast: { zh: '影像太淡，請避開背後的強光', en: 'The picture is washed out: please avoid light behind you' },
  blurred: { zh: '影像模糊，請保持不動', en: 'The picture is blurred: please hold still' },
  darkBackground: { zh: '背景太暗，請站在淺色背景前', en: 'The background is too dark: please stand in front of a light background' },
  busyBackground: { zh: '背景不夠單純，請移開身後的物品', en: 'The background is not plain: please clear the area behind you' },
  pass: {
    'one-face': { zh: '偵測到一張臉', en: 'One face found' },
    'head-height': { zh: '距離剛好', en: 'Distance is right' },
    centred: { zh: '位置置中', en: 'Well centred' },
    frontal: { zh: '正面朝向鏡頭', en: 'Facing the camera' },
    'eyes-open': { zh: '眼睛張開', en: 'Eyes open' },
    brightness: { zh: '亮度合適', en: 'Exposure is good' },
    contrast: { zh: '對比合適', en: 'Contrast is good' },
    sharpness: { zh: '影像清晰', en: 'Picture is sharp' },
    background: { zh: '背景單純', en: 'Background is plain' },
  },
  notMeasured: { zh: '需要先偵測到一張臉', en: 'Needs one face first' },
} as const satisfies Record<string, Bilingual | Record<string, Bilingual>>;
