import { loadConfig } from '../../kiosk/controller/config';
import { startKiosk, type RunningKiosk } from '../../kiosk/controller/main';
import type { ControllerMemory, ControllerReply, ControllerRequest } from './controller-process';

/**
 * The kiosk's controller alone in a child process (forked by `controller-process.ts`): the simulated
 * world stays in the parent, and the controller reaches its devices through the pty paths and pcscd
 * socket the parent sends, exactly as it would reach hardware. Everything this process spends is
 * the controller's (its drivers, store, photo gate, card face, and answering the parent over IPC).
 */
const send = (message: ControllerReply): void => {
  process.send?.(message);
};

let kiosk: RunningKiosk | undefined;
let stopping: Promise<void> | undefined;
const stop = (): Promise<void> =>
  (stopping ??= (async () => {
    await kiosk?.stop();
  })());

// The parent decides when the kiosk stops (a Ctrl-C reaches the whole process group): it asks, or it goes away.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('disconnect', () => void stop().finally(() => process.exit(0)));

process.on('message', (message: ControllerRequest) => {
  void handle(message).catch((error: unknown) => {
    if (message.type === 'call') send({ type: 'reply', id: message.id, ok: false, error: String(error) });
    else send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
});

async function handle(message: ControllerRequest): Promise<void> {
  switch (message.type) {
    case 'start': {
      const { world } = message;
      kiosk = await startKiosk(loadConfig(message.env), {
        world: { ...world, setDemoCard: (kind, blocks) => send({ type: 'demo-card', kind, blocks }) },
      });
      kiosk.controller.onChange((snapshot) => send({ type: 'change', snapshot }));
      send({ type: 'started', snapshot: kiosk.controller.snapshot() });
      return;
    }
    case 'call': {
      if (message.method === 'memory') {
        send({ type: 'reply', id: message.id, ok: true, value: memory() });
        return;
      }
      if (!kiosk) throw new Error('the controller has not started');
      const value =
        message.method === 'command' ? await kiosk.controller.command(message.command)
        : message.method === 'snapshot' ? kiosk.controller.snapshot()
        : await kiosk.store.readAudit(message.options);
      send({ type: 'reply', id: message.id, ok: true, value });
      return;
    }
    case 'stop':
      await stop();
      send({ type: 'stopped' });
      return;
  }
}

/** The heap after a full collection when the parent asked for `--expose-gc`; as it stands otherwise. */
function memory(): ControllerMemory {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const { heapUsed, heapTotal, external, arrayBuffers, rss } = process.memoryUsage();
  return { heapUsed, heapTotal, external, arrayBuffers, rss, collected: gc !== undefined };
}
