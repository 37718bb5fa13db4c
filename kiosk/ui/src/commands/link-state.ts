import type { MessageKey } from '../../../../shared/i18n/messages';
import { assertNever } from '../../../../shared/result';

/**
 * The live connection to the controller as the screen tells it. A browser hides why a WebSocket
 * upgrade was refused, so after a close the UI asks once over plain HTTP: 401 is the request
 * guard's "wrong kiosk token", no answer at all is a controller that is down.
 */
export type LinkState = 'connecting' | 'up' | 'lost' | 'token-refused' | 'unreachable';

/** The HTTP status of the check after a close, or 'no-answer' when the request itself failed. */
export type Probe = number | 'no-answer';

export function linkAfterClose(hadWorked: boolean, probe: Probe): LinkState {
  if (probe === 401) return 'token-refused';
  if (hadWorked) return 'lost';
  return probe === 'no-answer' ? 'unreachable' : 'connecting';
}

/** What to say about the link: in place of the screen before the first snapshot, as a banner over it after. */
export function linkMessage(state: LinkState, hasSnapshot: boolean): MessageKey | null {
  switch (state) {
    case 'up':
      return null;
    case 'token-refused':
      return 'connectionTokenRefused';
    case 'connecting':
    case 'lost':
      return hasSnapshot ? 'connectionLost' : 'connecting';
    case 'unreachable':
      return hasSnapshot ? 'connectionLost' : 'connectionUnreachable';
    default:
      return assertNever(state);
  }
}
