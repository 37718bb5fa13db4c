import { describe, expect, it } from 'vitest';
import { kioskCommandSchema } from '../../../../shared/contract/kiosk-api';
import { permission } from '../../../../kiosk/controller/auth/permissions';
import { offeredUnattended, commandAction, unattendedRefusal } from '../../../../kiosk/controller/self-service/unattended-commands';

const commandTypes = kioskCommandSchema.options.map((option) => option.shape.type.value);

describe('commands at the unattended kiosk', () => {
  it('takes only the self-service screen\'s own commands', () => {
    const taken = commandTypes.filter((type) => commandAction({ type } as never).kind === 'citizen');
    expect(taken.sort()).toEqual(['cancel-pin', 'dismiss-card', 'enter-pin', 'sign-out']);
  });

  it('refuses every other command, by the permission table or because the flow is not offered unattended', () => {
    for (const type of commandTypes) {
      const asked = commandAction({ type } as never);
      if (asked.kind === 'citizen') continue;
      expect(unattendedRefusal({ type } as never), type).toMatch(/ask the staff/);
      if (permission('self-service', asked.action) !== 'allow') expect(unattendedRefusal({ type } as never)).toMatch(/^not available/);
    }
  });

  it('offers no application unattended even though the table allows self-service to issue', () => {
    expect(permission('self-service', 'issue-card')).toBe('allow');
    expect(offeredUnattended.has('issue-card')).toBe(false);
    expect(unattendedRefusal({ type: 'start-application' })).toMatch(/issue-card is not offered unattended/);
  });
});
