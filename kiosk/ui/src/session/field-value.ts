/**
 * The text of the field an input event came from. Read without the DOM's types, so that the session
 * forms also compile where the tests render them (Node, no DOM library).
 */
export function fieldValue(event: { readonly target: unknown }): string {
  const { target } = event;
  return typeof target === 'object' && target !== null && 'value' in target && typeof target.value === 'string' ? target.value : '';
}
