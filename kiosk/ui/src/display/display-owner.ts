/**
 * Whose display choices are in force: large text and high contrast belong to one person's use of the
 * kiosk and must not follow them to the next. At a staffed counter that is the signed-in operator
 * (sign-out or another operator starts afresh); on an unattended kiosk it is the citizen's visit,
 * which ends when their card leaves the screen (as the language does).
 */
export type DisplayOwner = string | null;

export interface OwnerInputs {
  readonly selfService: boolean;
  /** Self-service: a citizen's card (or its top-up) is on the screen. */
  readonly showingCard: boolean;
  /** Staffed: the operator signed in, or null. */
  readonly operator: { readonly name: string; readonly role: string } | null;
}

export function displayOwner({ selfService, showingCard, operator }: OwnerInputs): DisplayOwner {
  if (selfService) return showingCard ? 'citizen-visit' : null;
  return operator ? `operator:${operator.role}:${operator.name}` : null;
}

/**
 * The choices made before anyone owned the screen (at the sign-in pad, on the attract screen) pass
 * to whoever then signs in or taps their card; an owner leaving, or another taking over, resets them.
 */
export function ownerEnds(before: DisplayOwner, now: DisplayOwner): boolean {
  return before !== null && before !== now;
}
