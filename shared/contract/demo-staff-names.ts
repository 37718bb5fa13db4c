/**
 * The names of a fully simulated kiosk's three demo staff, as their cards and the staff list show them:
 * names no real person's card bears, so the kiosk recognises the demo accounts by them.
 */
export const demoStaffNames = {
  staff: '示範服務員 Demo Operator',
  supervisor: '示範督導 Demo Supervisor',
  technician: '示範技術員 Demo Technician',
} as const;
