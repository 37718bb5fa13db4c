import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { sharedUiBuild } from './shared-ui';

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.wav': 'audio/wav',
};

export interface BuiltUi {
  /** The UI's page with a test token (the tests answer its API and WebSocket themselves). */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * The kiosk UI (built once for the test run) served as static files on loopback: for screen tests that
 * feed the page snapshots of their own instead of running a kiosk.
 */
export async function serveBuiltUi(): Promise<BuiltUi> {
  const outDir = await sharedUiBuild();
  const server = createServer((req, res) => {
    const asked = (req.url ?? '/').split('?')[0]!;
    const path = normalize(join(outDir, asked === '/' ? 'index.html' : asked));
    if (!path.startsWith(outDir)) return void res.writeHead(403).end();
    try {
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/?token=test`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
