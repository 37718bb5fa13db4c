/** Staff roles. Self-service (unattended) mode is not a role: it has no sign-in and its own permissions. */
export const operatorRoles = ['operator', 'supervisor', 'technician'] as const;
export type OperatorRole = (typeof operatorRoles)[number];

export function isOperatorRole(value: string): value is OperatorRole {
  return (operatorRoles as readonly string[]).includes(value);
}
