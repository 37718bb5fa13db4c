import { describe, expect, it } from 'vitest';
import { linkAfterClose, linkMessage } from '../../../../kiosk/ui/src/commands/link-state';

describe('the link to the controller', () => {
  it('tells a refused token, a controller that is down and a dropped connection apart', () => {
    expect(linkAfterClose(false, 401)).toBe('token-refused');
    expect(linkAfterClose(true, 401)).toBe('token-refused');
    expect(linkAfterClose(false, 'no-answer')).toBe('unreachable');
    expect(linkAfterClose(true, 'no-answer')).toBe('lost');
    expect(linkAfterClose(false, 200)).toBe('connecting');
    expect(linkAfterClose(true, 200)).toBe('lost');
  });

  it('says "connecting" instead of the screen before the first snapshot, and "lost" over it after', () => {
    expect(linkMessage('connecting', false)).toBe('connecting');
    expect(linkMessage('unreachable', false)).toBe('connectionUnreachable');
    expect(linkMessage('token-refused', false)).toBe('connectionTokenRefused');
    expect(linkMessage('up', true)).toBeNull();
    expect(linkMessage('lost', true)).toBe('connectionLost');
    expect(linkMessage('unreachable', true)).toBe('connectionLost');
    expect(linkMessage('token-refused', true)).toBe('connectionTokenRefused');
  });
});
