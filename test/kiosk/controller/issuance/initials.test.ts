import { describe, expect, it } from 'vitest';
import { initialsOf } from '../../../../kiosk/controller/issuance/issuance-machine';
import { emptyApplicationForm } from '../../../../shared/contract/kiosk-api';

/** What the print queue shows of an applicant: enough to call them, never the whole name. */
describe('initials for the print queue', () => {
  const initials = (fields: { name?: string; nameZh?: string }): string => initialsOf({ ...emptyApplicationForm, ...fields });

  it("keeps a Chinese name's first and last characters and hides the ones between", () => {
    expect(initials({ nameZh: '王小明', name: 'WANG HSIAO-MING' })).toBe('王○明');
    expect(initials({ nameZh: '歐陽娜娜' })).toBe('歐○○娜');
    expect(initials({ nameZh: '林玲' })).toBe('林○');
  });

  it("takes a romanised name's first letters when there is no Chinese name", () => {
    expect(initials({ name: 'NGUYEN THI LAN' })).toBe('N.T.L.');
    expect(initials({ name: '  siti   nurhaliza ' })).toBe('S.N.');
  });

  it('shows nothing for an application without a name', () => {
    expect(initials({})).toBe('');
  });
});
