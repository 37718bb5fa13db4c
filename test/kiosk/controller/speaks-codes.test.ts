import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The controller speaks codes: the lint rule of eslint.config.js refuses Chinese text in the files
 * converted to message codes (issue 13), in string and template literals alike.
 */
const eslint = new ESLint({ cwd: process.cwd() });

/** The lines where the rule refuses something. */
const restricted = async (filePath: string, code: string): Promise<number[]> => {
  const [result] = await eslint.lintText(code, { filePath });
  return [...new Set((result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line))];
};

describe('no Chinese text where the controller speaks codes', () => {
  it('refuses a Chinese string or template literal in a converted file', async () => {
    const sentence = "export const a = { zh: '密碼錯誤', en: 'Wrong PIN' };\nexport const b = (n: number) => `還可再試 ${n} 次`;\n";
    for (const file of ['kiosk/controller/machine/staff-messages.ts', 'kiosk/controller/machine/service-glue.ts', 'kiosk/controller/kiosk-controller.ts', 'kiosk/controller/main.ts', 'kiosk/controller/photo/messages.ts', 'kiosk/controller/staff-card-reader.ts', 'kiosk/controller/store/new-file.ts']) {
      expect(await restricted(file, sentence), file).toEqual([1, 2]);
    }
  });

  it('holds the card face and the demo staff to it too: their words live in shared/card-design and shared/contract', async () => {
    expect(await restricted('kiosk/controller/card-face/design.ts', "export const title = '桃園市市民卡';\n")).toEqual([1]);
    expect(await restricted('kiosk/controller/devices/demo-staff.ts', "export const name = '示範督導 Demo Supervisor';\n")).toEqual([1]);
  });

  it('lets English, codes and the whole controller as it stands through', async () => {
    expect(await restricted('kiosk/controller/machine/staff-messages.ts', "export const a = 'Wrong PIN: staff.wrong-pin';\n")).toEqual([]);
    const results = await eslint.lintFiles(['kiosk/controller/']);
    expect(results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => `${r.filePath}:${m.line}`))).toEqual([]);
  });
});
