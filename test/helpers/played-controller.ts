import type { Page, WebSocketRoute } from 'playwright-core';
import type { CommandReply, KioskCommand, KioskSnapshot } from '../../shared/contract/kiosk-api';

export interface PlayedController {
  /** Sends a snapshot as the controller would (held until the page opens its feed). */
  push(snapshot: KioskSnapshot): void;
  /** Every command the page sent, in order. */
  readonly sent: KioskCommand[];
}

/**
 * The controller played by a screen test: the page's snapshot feed and command route answered here.
 * `reply` answers each command (accepted by default). Call before the page loads the UI.
 */
export async function playController(page: Page, reply: (command: KioskCommand) => CommandReply = () => ({ accepted: true })): Promise<PlayedController> {
  let socket: WebSocketRoute | null = null;
  const waiting: string[] = [];
  const sent: KioskCommand[] = [];
  await page.routeWebSocket(/\/api\/events/, (ws) => {
    socket = ws;
    for (const text of waiting.splice(0)) ws.send(text);
  });
  await page.route(/\/api\/command$/, async (route) => {
    const command = route.request().postDataJSON() as KioskCommand;
    sent.push(command);
    await route.fulfill({ json: reply(command) });
  });
  const push = (snapshot: KioskSnapshot): void => {
    const text = JSON.stringify(snapshot);
    if (socket) socket.send(text);
    else waiting.push(text);
  };
  return { push, sent };
}
