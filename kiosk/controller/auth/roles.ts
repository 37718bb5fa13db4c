import { operatorRoles, type OperatorRole } from '../../../shared/contract/kiosk-api';

/** Staff roles, as the kiosk contract names them. Self-service (unattended) mode is not a role: it has no sign-in and its own permissions. */
export { operatorRoles, type OperatorRole };

export function isOperatorRole(value: string): value is OperatorRole {
  return (operatorRoles as readonly string[]).includes(value);
}
