import { describe, expect, it } from 'vitest';
import { actions, can, permission, type Action, type Actor } from '../../../../kiosk/controller/auth/permissions';

/** The table as the issue states it, written out again so that a change to the code must be deliberate. */
const expected: Record<Actor, { allow: Action[]; approval: Action[] }> = {
  operator: { allow: ['issue-card', 'replace-card', 'top-up', 'view-cardholder', 'spoil-card'], approval: ['override-photo', 'void-card', 'open-session', 'close-session', 'adjust-stock', 'accept-batch-problems', 'waive-fee'] },
  supervisor: {
    allow: ['issue-card', 'replace-card', 'top-up', 'view-cardholder', 'override-photo', 'void-card', 'spoil-card', 'approve', 'take-over-job', 'open-session', 'close-session', 'adjust-stock', 'accept-batch-problems', 'open-cash-box', 'settle-money-exception', 'run-diagnostics', 'manage-operators', 'view-audit', 'purge-data', 'backup', 'view-reports', 'waive-fee'],
    approval: [],
  },
  technician: { allow: ['spoil-card', 'change-devices', 'run-diagnostics', 'view-audit', 'backup'], approval: ['purge-data'] },
  'self-service': { allow: ['issue-card', 'top-up'], approval: [] },
};

describe('permission table', () => {
  for (const [actor, { allow, approval }] of Object.entries(expected) as [Actor, { allow: Action[]; approval: Action[] }][]) {
    for (const action of actions) {
      const want = allow.includes(action) ? 'allow' : approval.includes(action) ? 'with-approval' : 'deny';
      it(`${actor} ${want === 'allow' ? 'may' : want === 'deny' ? 'may not' : 'needs a supervisor to'} ${action}`, () => {
        expect(permission(actor, action)).toBe(want);
        expect(can(actor, action)).toBe(want === 'allow');
      });
    }
  }

  it('keeps the key rules: only supervisors open the cash box, only technicians change devices, self-service sees no records', () => {
    expect((['operator', 'supervisor', 'technician', 'self-service'] as const).filter((a) => can(a, 'open-cash-box'))).toEqual(['supervisor']);
    expect((['operator', 'supervisor', 'technician', 'self-service'] as const).filter((a) => can(a, 'change-devices'))).toEqual(['technician']);
    expect(can('self-service', 'view-cardholder')).toBe(false);
    expect(can('technician', 'view-cardholder')).toBe(false);
  });
});
