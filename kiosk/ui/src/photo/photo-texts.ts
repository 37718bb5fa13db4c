import type { Bilingual } from '../../../../shared/contract/kiosk-api';

/** The camera component's own words; the quality advice comes from the controller's verdict. */
export const photoTexts = {
  starting: { zh: '正在開啟相機…', en: 'Starting the camera…' },
  capture: { zh: '拍照', en: 'Take photo' },
  importFile: { zh: '匯入照片檔', en: 'Import a photo file' },
  retryCamera: { zh: '重新開啟相機', en: 'Try the camera again' },
  denied: {
    zh: '無法使用相機：尚未允許使用相機。請工作人員允許相機權限，或匯入照片檔。',
    en: 'The camera cannot be used: permission was not given. Staff can allow the camera, or import a photo file.',
  },
  missing: {
    zh: '找不到相機，或相機正被其他程式使用。請工作人員檢查相機連線，或匯入照片檔。',
    en: 'No camera was found, or it is in use. Staff can check the camera cable, or import a photo file.',
  },
  unsupported: {
    zh: '此畫面無法使用相機。請匯入照片檔。',
    en: 'The camera is not available on this screen. Please import a photo file.',
  },
  badFile: { zh: '無法讀取這個檔案，請選擇 JPEG 或 PNG 照片', en: 'This file cannot be read: please choose a JPEG or PNG photo' },
  accepted: { zh: '照片合格', en: 'The photo is accepted' },
  /** After the last attempt, when none showed exactly one face: an override cannot accept a faceless frame. */
  overrideRefused: {
    zh: '每一次拍攝都沒有找到唯一一張清楚的臉，這張照片不能以例外核准；請取消後重新申辦並重新拍照',
    en: 'No attempt shows exactly one face, so no photo can be accepted by exception: cancel, start again and retake the photo',
  },
  guide: { zh: '請把頭放在橢圓框內，肩膀對齊下方線條', en: 'Place your head inside the oval, shoulders on the line below' },
} as const satisfies Record<string, Bilingual>;
