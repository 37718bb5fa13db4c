import { describe, expect, it } from 'vitest';
import { displayOwner, ownerEnds } from '../../../../kiosk/ui/src/display/display-owner';

/** Large text and high contrast are one person's: they pass from the sign-in pad to who signs in, and end with them. */
describe('whose display choices are in force', () => {
  const lin = { name: 'Operator Lin', role: 'operator' };
  const wu = { name: 'Supervisor Wu', role: 'supervisor' };

  it('staffed: the signed-in operator; nobody before sign-in', () => {
    expect(displayOwner({ selfService: false, showingCard: false, operator: null })).toBeNull();
    expect(displayOwner({ selfService: false, showingCard: false, operator: lin })).not.toBe(displayOwner({ selfService: false, showingCard: false, operator: wu }));
  });

  it("self-service: the citizen's visit while their card is on the screen", () => {
    expect(displayOwner({ selfService: true, showingCard: true, operator: null })).not.toBeNull();
    expect(displayOwner({ selfService: true, showingCard: false, operator: null })).toBeNull();
  });

  it('resets when the owner leaves or another takes over, not when someone takes over an unowned screen', () => {
    const linOwner = displayOwner({ selfService: false, showingCard: false, operator: lin });
    const wuOwner = displayOwner({ selfService: false, showingCard: false, operator: wu });
    expect(ownerEnds(null, linOwner)).toBe(false);
    expect(ownerEnds(linOwner, linOwner)).toBe(false);
    expect(ownerEnds(linOwner, null)).toBe(true);
    expect(ownerEnds(linOwner, wuOwner)).toBe(true);
    expect(ownerEnds('citizen-visit', null)).toBe(true);
  });
});
