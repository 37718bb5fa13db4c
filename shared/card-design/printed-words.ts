import type { SchoolLevel, TransitScheme } from '../domain/card-types';

/**
 * The words printed on the card itself, as the city designs it (zh-TW with English): content of the
 * card, not messages to a person, so they live here beside the card type names and the controller's
 * card face only lays them out.
 */
export const printedWords = {
  /** The emblem drawn where a card has no photo. */
  emblem: '桃',
  title: { zh: '桃園市市民卡', en: 'Taoyuan Citizen Card' },
  labels: { name: '姓名 Name', cardType: '卡別 Card type', cardNumber: '卡號 Card No.', issued: '發卡日期 Issued' },
  issuer: '桃園市政府 Taoyuan City Government',
  conditionsTitle: '使用須知 Conditions of Use',
  issuedBy: '桃園市政府 發行',
  hotline: '市民服務專線 1999',
  /** The school level after the student card's name (`學生卡・國小`). */
  schoolLevels: { elementary: '國小', 'junior-high': '國中', 'senior-high': '高中' } satisfies Record<SchoolLevel, string>,
  schemes: { easycard: '悠遊卡 EasyCard', ipass: '一卡通 iPASS' } satisfies Record<TransitScheme, string>,
  /** Conditions of use printed on the back (from the city's card rules; one line each). */
  conditionsOfUse: [
    '一、本卡限持卡人本人使用，不得轉讓、出借或冒用。',
    '二、本卡具電子票證功能，儲值金額上限為新臺幣一萬元。',
    '三、福利點數依桃園市政府規定按月撥入，逾期未用不予保留。',
    '四、本卡如有遺失，請儘速辦理掛失；補發依規定收取工本費。',
    '五、本卡請勿折損、高溫或重壓，以免晶片損壞。',
    '六、拾獲本卡者，請送交桃園市政府或投入郵筒，謝謝。',
  ],
} as const;
